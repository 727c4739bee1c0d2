//! Testing service orders (检测委托): a client organisation asks a testing
//! center — an organisation that runs instruments — for tests; the center's
//! staff quote them (instrument time at the client's rate, the rule of
//! bookings) or reject them; the client accepts or declines the quote, or
//! cancels. Each move is kept in the order's history and tells the other
//! side (`SERVICE_ORDER_CHANGED`).

use chrono::{DateTime, Utc};
use iurhub_domain::records::notifications::{NewNotice, Notices, Recipients};
use iurhub_domain::records::page::{Page, PageArgs};
use iurhub_domain::records::service_orders::{self as rules, MAX_QUOTE_LINES};
use iurhub_domain::{Message, NotificationKind, ServiceOrderStatus};
use iurhub_store::service_orders::{
    NewServiceOrder, OrderVisibility, QuoteLine, ServiceOrder, ServiceOrderEvent,
};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// What a client asks for.
pub struct OrderRequest<'a> {
    pub center_organization_id: i64,
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
    if app
        .store
        .organization(r.center_organization_id)
        .await?
        .is_none()
        || !app.store.runs_instruments(r.center_organization_id).await?
    {
        return Err(AppError::invalid(
            "centerOrganizationId",
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
        center_organization_id: r.center_organization_id,
        client_organization_id: client,
        requested_by: caller.id(),
        samples,
        test_items,
        standards,
        required_by: r.required_by,
    };
    let draft = ServiceOrder {
        id: 0,
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
    let to = staff_of(app, r.center_organization_id).await?;
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

/// The center's staff quote a REQUESTED order: `(instrument, minutes)`
/// lines priced at each instrument's rate for the client, and a note.
pub async fn quote(
    app: &App,
    caller: &Caller,
    id: i64,
    lines: &[(i64, i64)],
    note: &str,
) -> AppResult<ServiceOrder> {
    let order = visible(app, caller, id).await?;
    if !is_staff(caller, &order) {
        return Err(AppError::denied(Message::new("service_order.staff_only")));
    }
    order.status.transition(ServiceOrderStatus::Quoted)?;
    if lines.is_empty() || lines.len() > MAX_QUOTE_LINES {
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
        .quote_service_order(id, caller.id(), priced, note, &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(quoted))
}

/// A move of an order by one side: the staff reject; the client accepts,
/// declines or cancels. The other side is told.
pub async fn decide(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ServiceOrderStatus,
    note: &str,
) -> AppResult<ServiceOrder> {
    let order = visible(app, caller, id).await?;
    let staff_move = to == ServiceOrderStatus::Rejected;
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
    let recipients = if staff_move {
        Recipients::Users(vec![order.requested_by])
    } else {
        staff_of(app, order.center_organization_id).await?
    };
    let mut notices = Notices::of(vec![notice(app, caller, &order, to, recipients).await?]);
    let moved = app
        .store
        .set_service_order_status(id, caller.id(), order.status, to, note, &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(moved))
}

/// The quote lines of an order (for whoever may see it).
pub async fn lines(app: &App, order_id: i64) -> AppResult<Vec<QuoteLine>> {
    Ok(app.store.service_order_lines(order_id).await?)
}

/// The history of an order, oldest first.
pub async fn history(app: &App, order_id: i64) -> AppResult<Vec<ServiceOrderEvent>> {
    Ok(app.store.service_order_events(order_id).await?)
}
