//! Testing service orders (检测委托): a client organisation asks a testing
//! center for tests; the center's staff (the ORG_ADMINs of the organisation
//! running the center, and of those above it; platform ADMINs) quote them
//! (instrument time of the center at the client's tier, the rule of
//! bookings, and test items of the center's price list at the client's tier
//! for the center's own work) or reject them; the client accepts or
//! declines the quote, or cancels; the staff start the tests, book
//! instrument time under the order (approved at once, for the client
//! organisation), attach the report and complete the order; the client side
//! rates it once. Each move is kept in the order's history and tells the
//! other side (`SERVICE_ORDER_CHANGED`).

use bytes::Bytes;
use chrono::{DateTime, Utc};
use iurhub_domain::booking;
use iurhub_domain::records::notifications::{NewNotice, Notices, Recipients};
use iurhub_domain::records::page::{Page, PageArgs};
use iurhub_domain::records::service_orders::{self as rules, MAX_QUOTE_LINES};
use iurhub_domain::{Message, NotificationKind, ServiceOrderStatus};
use iurhub_store::service_orders::{
    Booking, NewBooking, NewReport, NewServiceOrder, OrderVisibility, Quote, ServiceOrder,
    ServiceOrderEvent, ServiceOrderRating, ServiceOrderReport,
};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// What a client asks for.
pub struct OrderRequest<'a> {
    /// The testing center asked (its running organisation's admins staff
    /// the order).
    pub center_id: i64,
    /// The client organisation; the caller's first membership when `None`.
    pub client_organization_id: Option<i64>,
    pub samples: &'a str,
    pub test_items: &'a str,
    pub standards: &'a str,
    pub required_by: DateTime<Utc>,
}

fn text(field: &str, value: &str, min: usize, max: usize) -> AppResult<String> {
    Ok(iurhub_domain::validate::text(field, value, min, max)?)
}

/// The notice of a move, to `to` (never the actor).
async fn notice(
    app: &App,
    caller: &Caller,
    order: &ServiceOrder,
    status: ServiceOrderStatus,
    to: Recipients,
) -> AppResult<NewNotice> {
    let client = app
        .store
        .organization(order.client_organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let topic: String = order.test_items.chars().take(80).collect();
    Ok(NewNotice::new(NotificationKind::ServiceOrderChanged, to)
        .by(caller.id())
        .with("topic", topic)
        .with("organization", client)
        .with_text(
            "status",
            format!("notification.service_order_status.{}", status.as_str()),
        ))
}

/// The center's staff: the ORG_ADMINs of the center and of those above it.
async fn staff_of(app: &App, center: i64) -> AppResult<Recipients> {
    let parents = app.store.organization_parents_of([center]).await?;
    Ok(Recipients::AdminsOf(iurhub_domain::policy::chain_of(
        center,
        &|o| parents.get(&o).copied(),
    )))
}

/// Asks a testing center for tests, for one of the caller's organisations.
pub async fn request(app: &App, caller: &Caller, r: OrderRequest<'_>) -> AppResult<ServiceOrder> {
    let samples = text("samples", r.samples, 1, 2_000)?;
    let test_items = text("testItems", r.test_items, 1, 2_000)?;
    let standards = text("standards", r.standards, 0, 1_000)?;
    if r.required_by <= Utc::now() {
        return Err(AppError::invalid(
            "requiredBy",
            Message::new("service_order.required_by.past"),
        ));
    }
    let Some(center) = app.store.center(r.center_id).await? else {
        return Err(AppError::invalid(
            "centerId",
            Message::new("service_order.center.not_found"),
        ));
    };
    if !app.store.center_has_instruments(center.id).await? {
        return Err(AppError::invalid(
            "centerId",
            Message::new("service_order.center.no_instruments"),
        ));
    }
    let client = match r.client_organization_id {
        Some(org) if caller.managed_org_ids().contains(&org) => org,
        Some(_) => {
            return Err(AppError::denied(Message::new(
                "service_order.client.not_member",
            )));
        }
        None => app
            .store
            .memberships_of_user(caller.id())
            .await?
            .first()
            .map(|m| m.organization_id)
            .ok_or_else(|| AppError::denied(Message::new("service_order.client.none")))?,
    };
    let new = NewServiceOrder {
        center_id: center.id,
        center_organization_id: center.organization_id,
        client_organization_id: client,
        requested_by: caller.id(),
        samples,
        test_items,
        standards,
        required_by: r.required_by,
    };
    let draft = ServiceOrder {
        id: 0,
        center_id: new.center_id,
        center_organization_id: new.center_organization_id,
        client_organization_id: new.client_organization_id,
        requested_by: new.requested_by,
        samples: new.samples.clone(),
        test_items: new.test_items.clone(),
        standards: new.standards.clone(),
        required_by: new.required_by,
        status: ServiceOrderStatus::Requested,
        quote_note: None,
        quoted_at: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    };
    let to = staff_of(app, center.organization_id).await?;
    let mut notices = Notices::of(vec![
        notice(app, caller, &draft, ServiceOrderStatus::Requested, to).await?,
    ]);
    let order = app.store.request_service_order(new, &mut notices).await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(order))
}

/// An order the caller may see (the client side, the center's staff,
/// admins); anybody else's is NOT_FOUND, like a missing one.
pub async fn visible(app: &App, caller: &Caller, id: i64) -> AppResult<ServiceOrder> {
    match app.store.service_order(id).await? {
        Some(o)
            if rules::sees_order(
                caller.user().platform_role,
                caller.managed_org_ids(),
                caller.administered_org_ids(),
                &o,
            ) =>
        {
            Ok(o)
        }
        _ => Err(AppError::NotFound("service order")),
    }
}

/// Whether the caller is the order's center staff.
pub fn is_staff(caller: &Caller, order: &ServiceOrder) -> bool {
    rules::staffs_order(
        caller.user().platform_role,
        caller.administered_org_ids(),
        order,
    )
}

/// Orders the caller may see, newest first, one page.
pub async fn list(
    app: &App,
    caller: &Caller,
    statuses: &[ServiceOrderStatus],
    args: PageArgs,
) -> AppResult<Page<ServiceOrder>> {
    let visible = (!caller.is_admin()).then(|| OrderVisibility {
        client_org_ids: caller.managed_org_ids().to_vec(),
        center_org_ids: caller.administered_org_ids().to_vec(),
    });
    Ok(app
        .store
        .list_service_orders(visible.as_ref(), statuses, args)
        .await?)
}

/// What the staff quote: `(instrument, minutes)` lines of instrument time
/// and `(test item, quantity)` lines of the center's price list.
#[derive(Debug, Clone, Default)]
pub struct QuoteRequest<'a> {
    pub lines: &'a [(i64, i64)],
    pub items: &'a [(i64, i64)],
    pub note: &'a str,
}

/// The center's staff quote a REQUESTED order: instrument time priced at
/// each instrument's hourly price for the client's tier, test items at
/// their unit price for the client's tier of the center's own work
/// ([`iurhub_domain::billing::center_tier`]), 1 to 20 lines together, and a
/// note.
pub async fn quote(
    app: &App,
    caller: &Caller,
    id: i64,
    QuoteRequest { lines, items, note }: QuoteRequest<'_>,
) -> AppResult<ServiceOrder> {
    let order = staffed(app, caller, id).await?;
    order.status.transition(ServiceOrderStatus::Quoted)?;
    let count = lines.len() + items.len();
    if count == 0 || count > MAX_QUOTE_LINES {
        return Err(AppError::invalid(
            "lines",
            Message::new("service_order.lines.count").with("max", MAX_QUOTE_LINES),
        ));
    }
    let note = text("note", note, 0, 2_000)?;
    let entities = app.store.legal_entities().await?;
    let centers = app.store.all_centers().await?;
    let mut priced = Vec::with_capacity(lines.len());
    for (k, &(instrument_id, minutes)) in lines.iter().enumerate() {
        let Some(instrument) = app.store.instrument(instrument_id).await? else {
            return Err(AppError::invalid(
                &format!("lines[{k}].instrumentId"),
                Message::new("instrument.not_found"),
            ));
        };
        let owners: Vec<i64> = app
            .store
            .instrument_owners(&[instrument.id])
            .await?
            .remove(&instrument.id)
            .unwrap_or_default()
            .iter()
            .map(|o| o.organization_id)
            .collect();
        let members = centers
            .iter()
            .find(|c| c.id == instrument.center_id)
            .map(|c| c.member_ids())
            .unwrap_or_default();
        let tier = iurhub_domain::billing::tier_for(
            &entities,
            order.client_organization_id,
            &owners,
            &members,
        );
        priced.push(rules::quote_line(k, &instrument, &order, tier, minutes)?);
    }
    let mut priced_items = Vec::with_capacity(items.len());
    if !items.is_empty() {
        let center = centers
            .iter()
            .find(|c| c.id == order.center_id)
            .ok_or(AppError::NotFound("testing center"))?;
        let tier =
            iurhub_domain::billing::center_tier(&entities, order.client_organization_id, center);
        for (k, &(item_id, quantity)) in items.iter().enumerate() {
            let Some(item) = app.store.test_item(item_id).await? else {
                return Err(AppError::invalid(
                    &format!("items[{k}].testItemId"),
                    Message::new("test_item.not_found"),
                ));
            };
            priced_items.push(rules::quote_item_line(k, &item, &order, tier, quantity)?);
        }
    }
    let mut notices = Notices::of(vec![
        notice(
            app,
            caller,
            &order,
            ServiceOrderStatus::Quoted,
            Recipients::Users(vec![order.requested_by]),
        )
        .await?,
    ]);
    let quoted = app
        .store
        .quote_service_order(id, caller.id(), (priced, priced_items), note, &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(quoted))
}

/// A move of an order by one side ([`rules::moved_by_staff`]): the staff
/// reject it, start it (ACCEPTED → IN_PROGRESS) or complete it (IN_PROGRESS
/// → COMPLETED, once its report is attached); the client accepts, declines
/// or cancels. The other side is told: the requester of a staff move, the
/// staff of a client's.
pub async fn decide(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ServiceOrderStatus,
    note: &str,
) -> AppResult<ServiceOrder> {
    let order = visible(app, caller, id).await?;
    let staff_move = rules::moved_by_staff(to);
    let allowed = if staff_move {
        is_staff(caller, &order)
    } else {
        rules::is_client(caller.managed_org_ids(), &order)
    };
    if !allowed {
        return Err(AppError::denied(Message::new(if staff_move {
            "service_order.staff_only"
        } else {
            "service_order.client_only"
        })));
    }
    order.status.transition(to)?;
    let note = text("note", note, 0, 2_000)?;
    let completing = to == ServiceOrderStatus::Completed;
    if completing {
        let reported = app.store.service_order_report(id).await?.is_some();
        if let Some(refusal) = rules::completion_refusal(&order, reported)? {
            return Err(AppError::conflict_on("id", refusal));
        }
    }
    let recipients = if staff_move {
        Recipients::Users(vec![order.requested_by])
    } else {
        staff_of(app, order.center_organization_id).await?
    };
    let mut notices = Notices::of(vec![notice(app, caller, &order, to, recipients).await?]);
    let moved = if completing {
        // The report is checked again in the move's transaction.
        app.store
            .complete_service_order(id, caller.id(), note, &mut notices)
            .await?
    } else {
        app.store
            .set_service_order_status(id, caller.id(), order.status, to, note, &mut notices)
            .await?
    };
    crate::notifications::written(app, &notices);
    Ok(app.wrote(moved))
}

/// An order the caller may see and staffs (NOT_FOUND / FORBIDDEN
/// otherwise).
async fn staffed(app: &App, caller: &Caller, id: i64) -> AppResult<ServiceOrder> {
    let order = visible(app, caller, id).await?;
    if !is_staff(caller, &order) {
        return Err(AppError::denied(Message::new("service_order.staff_only")));
    }
    Ok(order)
}

/// An order whose tests are running (a CONFLICT otherwise).
fn running(order: &ServiceOrder) -> AppResult<()> {
    match rules::not_running(order) {
        Some(refusal) => Err(AppError::conflict_on("orderId", refusal)),
        None => Ok(()),
    }
}

/// The staff book `[start, end)` of an instrument of the order's center
/// under a running order, for the client organisation: APPROVED at once,
/// under the rules of every booking (the instrument AVAILABLE, the slot
/// within the limits, outside maintenance, the booker qualified when the
/// instrument requires it, no overlap with an active booking nor a window
/// held for a waiting list — whatever the concurrency).
pub async fn book_time(
    app: &App,
    caller: &Caller,
    order_id: i64,
    instrument_id: i64,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<Booking> {
    let order = staffed(app, caller, order_id).await?;
    running(&order)?;
    app.booking.check_slot(start, end, Utc::now())?;
    let Some(found) = app.store.instrument(instrument_id).await? else {
        return Err(AppError::invalid(
            "instrumentId",
            Message::new("instrument.not_found"),
        ));
    };
    rules::check_order_instrument(&order, &found)?;
    crate::instruments::check_available(&found)?;
    crate::instruments::check_time(app, caller, &found, (start, end), true).await?;
    let purpose: String = format!("检测委托 Service order {}: {}", order.id, order.test_items)
        .chars()
        .take(1_000)
        .collect();
    let new = NewBooking {
        instrument_id: found.id,
        user_id: caller.id(),
        organization_id: order.client_organization_id,
        start,
        end,
        purpose,
        agreement_id: None,
    };
    let made = app
        .store
        .book_service_order_time(order.id, new, &mut Notices::none())
        .await?;
    Ok(app.wrote(made))
}

/// The instrument time booked under an order (for whoever may see it),
/// by start.
pub async fn bookings(app: &App, order_id: i64) -> AppResult<Vec<Booking>> {
    Ok(app.store.service_order_bookings(order_id).await?)
}

/// May the caller attach the report of the order now (NOT_FOUND,
/// FORBIDDEN or CONFLICT otherwise)? Checked before an upload's body is
/// read.
pub async fn may_upload_report(app: &App, caller: &Caller, id: i64) -> AppResult<ServiceOrder> {
    let order = staffed(app, caller, id).await?;
    running(&order)?;
    Ok(order)
}

/// Attaches the report of a running order (the staff), replacing the one
/// it had: checked like a conversation's attachment (name, size, type by
/// name and leading bytes), its bytes in the file store. The requester is
/// not told yet: completing the order tells them.
pub async fn upload_report(
    app: &App,
    caller: &Caller,
    id: i64,
    name: &str,
    bytes: Bytes,
) -> AppResult<ServiceOrderReport> {
    may_upload_report(app, caller, id).await?;
    let file = crate::threads::store_upload(app, name, bytes).await?;
    let stored = app
        .store
        .set_service_order_report(NewReport {
            order_id: id,
            storage_key: file.key.clone(),
            name: file.name.clone(),
            content_type: file.content_type.to_owned(),
            size: file.size,
            uploaded_by: caller.id(),
        })
        .await;
    match stored {
        Ok((report, replaced)) => {
            if let Some(old) = replaced {
                crate::threads::discard_bytes(app, &old).await;
            }
            app.written();
            Ok(report)
        }
        Err(e) => {
            file.discard(app).await;
            Err(e.into())
        }
    }
}

/// The report of an order (for whoever may see the order).
pub async fn report(app: &App, order_id: i64) -> AppResult<Option<ServiceOrderReport>> {
    Ok(app.store.service_order_report(order_id).await?)
}

/// The report of an order and its bytes, for the client side, the staff
/// and admins (NOT_FOUND for everyone else, and while none is attached).
pub async fn download_report(
    app: &App,
    caller: &Caller,
    id: i64,
) -> AppResult<(ServiceOrderReport, Bytes)> {
    let order = visible(app, caller, id)
        .await
        .map_err(|_| AppError::NotFound("report"))?;
    let report = app
        .store
        .service_order_report(order.id)
        .await?
        .ok_or(AppError::NotFound("report"))?;
    let bytes = crate::threads::stored_bytes(app, &report.storage_key, "report").await?;
    Ok((report, bytes))
}

/// The client side rates a COMPLETED order once (1–5 and a comment):
/// FORBIDDEN for the staff, a CONFLICT before completion or when rated
/// already (the unique index has the last word).
pub async fn rate(
    app: &App,
    caller: &Caller,
    id: i64,
    score: i32,
    comment: &str,
) -> AppResult<ServiceOrderRating> {
    let order = visible(app, caller, id).await?;
    let client = rules::is_client(caller.managed_org_ids(), &order);
    match rules::rating_refusal(&order, client) {
        Some(key @ "service_order.rating.client_only") => {
            return Err(AppError::denied(Message::new(key)));
        }
        Some(key) => return Err(AppError::conflict_on("orderId", Message::new(key))),
        None => {}
    }
    let (score, comment) = booking::check_rating(score, comment)?;
    if app.store.service_order_rating(id).await?.is_some() {
        return Err(AppError::conflict_on(
            "orderId",
            Message::new("service_order.rating.exists"),
        ));
    }
    Ok(app.wrote(
        app.store
            .rate_service_order(id, caller.id(), score, comment)
            .await?,
    ))
}

/// The rating of an order (for whoever may see it).
pub async fn rating(app: &App, order_id: i64) -> AppResult<Option<ServiceOrderRating>> {
    Ok(app.store.service_order_rating(order_id).await?)
}

/// The quote of an order, its instrument time and test items (for
/// whoever may see it).
pub async fn quote_of(app: &App, order_id: i64) -> AppResult<Quote> {
    Ok(app.store.service_order_quote(order_id).await?)
}

/// The history of an order, oldest first.
pub async fn history(app: &App, order_id: i64) -> AppResult<Vec<ServiceOrderEvent>> {
    Ok(app.store.service_order_events(order_id).await?)
}
