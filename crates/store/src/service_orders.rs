//! Testing service orders: the order, its quote lines, its history, the
//! instrument time booked under it, its report file and its rating. Every
//! move is one transaction guarded by the status it starts from (a
//! concurrent move is a CONFLICT), with its event and its notices; time
//! booked and a report attached are guarded the same way by IN_PROGRESS.

use chrono::Utc;
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::{Message, ServiceOrderStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::{
    bookings, service_order_events, service_order_item_lines, service_order_lines,
    service_order_ratings, service_order_reports, service_orders,
};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows::{self, Records};
use crate::{Store, StoreError, StoreResult, parse_enum};

pub use iurhub_domain::records::instruments::{Booking, NewBooking};
pub use iurhub_domain::records::service_orders::{
    ItemLine, NewItemLine, NewQuoteLine, NewServiceOrder, Quote, QuoteLine, ServiceOrder,
    ServiceOrderEvent, ServiceOrderRating, ServiceOrderReport,
};

impl TryFrom<service_orders::Model> for ServiceOrder {
    type Error = StoreError;
    fn try_from(m: service_orders::Model) -> StoreResult<Self> {
        let center_id = m.center_id.ok_or_else(|| {
            StoreError::Database(sea_orm::DbErr::Custom(format!(
                "service order {} has no center (migration 33 not run?)",
                m.id
            )))
        })?;
        Ok(ServiceOrder {
            id: m.id,
            center_id,
            center_organization_id: m.center_organization_id,
            client_organization_id: m.client_organization_id,
            requested_by: m.requested_by,
            samples: m.samples,
            test_items: m.test_items,
            standards: m.standards,
            required_by: m.required_by,
            status: parse_enum(&m.status)?,
            quote_note: m.quote_note,
            quoted_at: m.quoted_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<service_order_lines::Model> for QuoteLine {
    type Error = StoreError;
    fn try_from(m: service_order_lines::Model) -> StoreResult<Self> {
        Ok(QuoteLine {
            id: m.id,
            order_id: m.order_id,
            instrument_id: m.instrument_id,
            minutes: m.minutes,
            rate_cents: m.rate_cents,
            amount_cents: m.amount_cents,
        })
    }
}

impl TryFrom<service_order_item_lines::Model> for ItemLine {
    type Error = StoreError;
    fn try_from(m: service_order_item_lines::Model) -> StoreResult<Self> {
        Ok(ItemLine {
            id: m.id,
            order_id: m.order_id,
            test_item_id: m.test_item_id,
            quantity: m.quantity,
            tier: parse_enum(&m.tier)?,
            unit_price_cents: m.unit_price_cents,
            amount_cents: m.amount_cents,
        })
    }
}

/// A service order completed in a period, for the assessment: its center,
/// its quoted test items and its client's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedOrder {
    pub order_id: i64,
    pub center_id: i64,
    pub items_cents: i64,
    pub score: Option<i32>,
}

impl From<service_order_reports::Model> for ServiceOrderReport {
    fn from(m: service_order_reports::Model) -> Self {
        ServiceOrderReport {
            id: m.id,
            order_id: m.order_id,
            storage_key: m.storage_key,
            name: m.name,
            content_type: m.content_type,
            size: m.size,
            uploaded_by: m.uploaded_by,
            created_at: m.created_at,
        }
    }
}

impl From<service_order_ratings::Model> for ServiceOrderRating {
    fn from(m: service_order_ratings::Model) -> Self {
        ServiceOrderRating {
            id: m.id,
            order_id: m.order_id,
            user_id: m.user_id,
            score: m.score,
            comment: m.comment,
            created_at: m.created_at,
        }
    }
}

/// A report file to attach (its bytes already in the file store).
#[derive(Debug, Clone)]
pub struct NewReport {
    pub order_id: i64,
    pub storage_key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
}

/// Touches an order that must still be IN_PROGRESS (a CONFLICT otherwise):
/// the guard of what is done under a running order. On PostgreSQL the
/// row stays locked until the transaction ends, so the order cannot be
/// completed meanwhile.
async fn still_running<C: ConnectionTrait>(db: &C, order_id: i64) -> StoreResult<()> {
    use service_orders::Column as C;
    let touched = service_orders::Entity::update_many()
        .col_expr(C::UpdatedAt, Expr::value(Utc::now()))
        .filter(C::Id.eq(order_id))
        .filter(C::Status.eq(ServiceOrderStatus::InProgress.as_str()))
        .exec(db)
        .await?;
    if touched.rows_affected == 0 {
        return Err(StoreError::conflict(
            "orderId",
            Message::new("conflict.status").with("object", "service order"),
        ));
    }
    Ok(())
}

impl TryFrom<service_order_events::Model> for ServiceOrderEvent {
    type Error = StoreError;
    fn try_from(m: service_order_events::Model) -> StoreResult<Self> {
        Ok(ServiceOrderEvent {
            id: m.id,
            order_id: m.order_id,
            actor_id: m.actor_id,
            from: m.from_status.as_deref().map(parse_enum).transpose()?,
            to: parse_enum(&m.to_status)?,
            note: m.note,
            created_at: m.created_at,
        })
    }
}

/// The service orders a reader who is not an admin may list: those of
/// their organisations (the client side) and of the centers they staff.
#[derive(Debug, Clone, Default)]
pub struct OrderVisibility {
    pub client_org_ids: Vec<i64>,
    pub center_org_ids: Vec<i64>,
}

async fn event<C: ConnectionTrait>(
    db: &C,
    order_id: i64,
    actor_id: i64,
    from: Option<ServiceOrderStatus>,
    to: ServiceOrderStatus,
    note: String,
) -> StoreResult<()> {
    service_order_events::ActiveModel {
        order_id: Set(order_id),
        actor_id: Set(Some(actor_id)),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

impl Store {
    /// Stores a REQUESTED order with the first event of its history.
    pub async fn request_service_order(
        &self,
        new: NewServiceOrder,
        notices: &mut Notices,
    ) -> StoreResult<ServiceOrder> {
        let now = Utc::now();
        let txn = self.write().await?;
        let requested_by = new.requested_by;
        let model = service_orders::ActiveModel {
            center_id: Set(Some(new.center_id)),
            center_organization_id: Set(new.center_organization_id),
            client_organization_id: Set(new.client_organization_id),
            requested_by: Set(new.requested_by),
            samples: Set(new.samples),
            test_items: Set(new.test_items),
            standards: Set(new.standards),
            required_by: Set(new.required_by),
            status: Set(ServiceOrderStatus::Requested.as_str().to_owned()),
            quote_note: Set(None),
            quoted_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        event(
            &txn,
            model.id,
            requested_by,
            None,
            ServiceOrderStatus::Requested,
            String::new(),
        )
        .await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        model.try_into()
    }

    pub async fn service_order(&self, id: i64) -> StoreResult<Option<ServiceOrder>> {
        rows::by_id::<service_orders::Entity, _, _>(&self.db, id).await
    }

    /// Orders one may see (`None`: all), newest first, one page.
    pub async fn list_service_orders(
        &self,
        visible: Option<&OrderVisibility>,
        statuses: &[ServiceOrderStatus],
        args: PageArgs,
    ) -> StoreResult<Page<ServiceOrder>> {
        use service_orders::Column as C;
        let mut cond = Condition::all();
        if let Some(v) = visible {
            let mut any = Condition::any();
            if !v.client_org_ids.is_empty() {
                any = any.add(C::ClientOrganizationId.is_in(v.client_org_ids.iter().copied()));
            }
            if !v.center_org_ids.is_empty() {
                any = any.add(C::CenterOrganizationId.is_in(v.center_org_ids.iter().copied()));
            }
            if v.client_org_ids.is_empty() && v.center_org_ids.is_empty() {
                return Ok(Page {
                    items: Vec::new(),
                    has_next_page: false,
                    has_previous_page: false,
                    total_count: Some(0),
                });
            }
            cond = cond.add(any);
        }
        if !statuses.is_empty() {
            cond = cond.add(C::Status.is_in(statuses.iter().map(|s| s.as_str())));
        }
        let select = service_orders::Entity::find().filter(cond);
        let order: Order<service_orders::Entity> = (C::CreatedAt, |m| Key::new(m.created_at, m.id));
        paginate_records(&self.db, select, order, C::Id, true, args).await
    }

    /// REQUESTED → QUOTED with its lines (replacing none: an order is quoted
    /// once) and the staff's note.
    pub async fn quote_service_order(
        &self,
        id: i64,
        actor_id: i64,
        (lines, items): (Vec<NewQuoteLine>, Vec<NewItemLine>),
        note: String,
        notices: &mut Notices,
    ) -> StoreResult<ServiceOrder> {
        let now = Utc::now();
        let txn = self.write().await?;
        for i in items {
            service_order_item_lines::ActiveModel {
                order_id: Set(id),
                test_item_id: Set(i.test_item_id),
                quantity: Set(i.quantity),
                tier: Set(i.tier.as_str().to_owned()),
                unit_price_cents: Set(i.unit_price_cents),
                amount_cents: Set(i.amount_cents),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|err| {
                if crate::error::is_foreign_key_violation(&err) {
                    // Removed from the price list meanwhile.
                    StoreError::conflict("items", Message::new("test_item.not_found"))
                } else {
                    StoreError::from(err)
                }
            })?;
        }
        for l in lines {
            service_order_lines::ActiveModel {
                order_id: Set(id),
                instrument_id: Set(l.instrument_id),
                minutes: Set(l.minutes),
                rate_cents: Set(l.rate_cents),
                amount_cents: Set(l.amount_cents),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let from = ServiceOrderStatus::Requested;
        let to = ServiceOrderStatus::Quoted;
        Self::move_order(&txn, id, from, to, Some(note.clone())).await?;
        event(&txn, id, actor_id, Some(from), to, note).await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        let order = rows::get::<service_orders::Entity, _>(&txn, id, "service order")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(order)
    }

    /// Moves an order from `from` to `to` (a concurrent move is a CONFLICT)
    /// with the event of the move.
    pub async fn set_service_order_status(
        &self,
        id: i64,
        actor_id: i64,
        from: ServiceOrderStatus,
        to: ServiceOrderStatus,
        note: String,
        notices: &mut Notices,
    ) -> StoreResult<ServiceOrder> {
        let now = Utc::now();
        let txn = self.write().await?;
        Self::move_order(&txn, id, from, to, None).await?;
        event(&txn, id, actor_id, Some(from), to, note).await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        let order = rows::get::<service_orders::Entity, _>(&txn, id, "service order")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(order)
    }

    async fn move_order<C: ConnectionTrait>(
        db: &C,
        id: i64,
        from: ServiceOrderStatus,
        to: ServiceOrderStatus,
        quote_note: Option<String>,
    ) -> StoreResult<()> {
        use service_orders::Column as C;
        from.transition(to)?;
        let now = Utc::now();
        let mut update = service_orders::Entity::update_many()
            .col_expr(C::Status, Expr::value(to.as_str()))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::Id.eq(id))
            .filter(C::Status.eq(from.as_str()));
        if let Some(note) = quote_note {
            update = update
                .col_expr(C::QuoteNote, Expr::value(note))
                .col_expr(C::QuotedAt, Expr::value(now));
        }
        if update.exec(db).await?.rows_affected == 0 {
            return Err(StoreError::conflict(
                "status",
                Message::new("conflict.status").with("object", "service order"),
            ));
        }
        Ok(())
    }

    /// The quote lines of an order, in order.
    pub async fn service_order_lines(&self, order_id: i64) -> StoreResult<Vec<QuoteLine>> {
        use service_order_lines::Column as C;
        service_order_lines::Entity::find()
            .filter(C::OrderId.eq(order_id))
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// The quote of an order: its lines of instrument time and of test
    /// items.
    pub async fn service_order_quote(&self, order_id: i64) -> StoreResult<Quote> {
        Ok(Quote {
            lines: self.service_order_lines(order_id).await?,
            items: self.item_lines_of(&[order_id]).await?,
        })
    }

    /// The test item lines of some orders, by id.
    async fn item_lines_of(&self, order_ids: &[i64]) -> StoreResult<Vec<ItemLine>> {
        use service_order_item_lines::Column as C;
        let mut items = Vec::new();
        for chunk in order_ids.chunks(500) {
            items.extend(
                service_order_item_lines::Entity::find()
                    .filter(C::OrderId.is_in(chunk.iter().copied()))
                    .order_by_asc(C::Id)
                    .records::<ItemLine, _>(&self.db)
                    .await?,
            );
        }
        Ok(items)
    }

    /// The ids of the orders completed (their COMPLETED event) from `from`
    /// to before `to`, as a subquery.
    fn completed_between(
        from: chrono::DateTime<Utc>,
        to: chrono::DateTime<Utc>,
    ) -> sea_orm::sea_query::SelectStatement {
        sea_orm::sea_query::Query::select()
            .column(service_order_events::Column::OrderId)
            .from(service_order_events::Entity)
            .and_where(
                service_order_events::Column::ToStatus.eq(ServiceOrderStatus::Completed.as_str()),
            )
            .and_where(service_order_events::Column::CreatedAt.gte(from))
            .and_where(service_order_events::Column::CreatedAt.lt(to))
            .to_owned()
    }

    /// The service orders completed from `from` to before `to` (their
    /// COMPLETED event), with their center, the total of their test items
    /// and their client's rating, by id — for the assessment.
    pub async fn completed_service_orders(
        &self,
        from: chrono::DateTime<Utc>,
        to: chrono::DateTime<Utc>,
    ) -> StoreResult<Vec<CompletedOrder>> {
        use service_orders::Column as C;
        let orders: Vec<(i64, Option<i64>)> = service_orders::Entity::find()
            .select_only()
            .columns([C::Id, C::CenterId])
            .filter(C::Status.eq(ServiceOrderStatus::Completed.as_str()))
            .filter(C::Id.in_subquery(Self::completed_between(from, to)))
            .order_by_asc(C::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = orders.iter().map(|o| o.0).collect();
        // The test items of each order's quote (its instrument time counts
        // through its bookings).
        let mut items = std::collections::HashMap::<i64, Quote>::new();
        for item in self.item_lines_of(&ids).await? {
            items.entry(item.order_id).or_default().items.push(item);
        }
        let mut scores = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, i32)> = service_order_ratings::Entity::find()
                .select_only()
                .columns([
                    service_order_ratings::Column::OrderId,
                    service_order_ratings::Column::Score,
                ])
                .filter(service_order_ratings::Column::OrderId.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            scores.extend(rows);
        }
        Ok(orders
            .into_iter()
            .filter_map(|(order_id, center_id)| {
                Some(CompletedOrder {
                    order_id,
                    center_id: center_id?,
                    items_cents: items.get(&order_id).map_or(0, Quote::items_cents),
                    score: scores.get(&order_id).copied(),
                })
            })
            .collect())
    }

    /// The orders of center `center_id` completed (their COMPLETED event)
    /// from `from` to before `to` and never billed (no invoice line names
    /// them, whatever the invoice's status), each with its quote.
    pub async fn completed_unbilled_service_orders(
        &self,
        center_id: i64,
        from: chrono::DateTime<Utc>,
        to: chrono::DateTime<Utc>,
    ) -> StoreResult<Vec<(ServiceOrder, Quote)>> {
        use sea_orm::sea_query::Query;
        use service_orders::Column as C;
        let completed = Self::completed_between(from, to);
        let billed = Query::select()
            .column(crate::entities::invoice_lines::Column::ServiceOrderId)
            .from(crate::entities::invoice_lines::Entity)
            .and_where(crate::entities::invoice_lines::Column::ServiceOrderId.is_not_null())
            .to_owned();
        let orders: Vec<ServiceOrder> = service_orders::Entity::find()
            .filter(C::CenterId.eq(center_id))
            .filter(C::Status.eq(ServiceOrderStatus::Completed.as_str()))
            .filter(C::Id.in_subquery(completed))
            .filter(C::Id.not_in_subquery(billed))
            .order_by_asc(C::Id)
            .records(&self.db)
            .await?;
        let mut lines: Vec<QuoteLine> = Vec::new();
        let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
        for chunk in ids.chunks(500) {
            lines.extend(
                service_order_lines::Entity::find()
                    .filter(service_order_lines::Column::OrderId.is_in(chunk.iter().copied()))
                    .order_by_asc(service_order_lines::Column::Id)
                    .records::<QuoteLine, _>(&self.db)
                    .await?,
            );
        }
        // Each order's quote, grouped in one pass.
        let mut quotes = std::collections::HashMap::<i64, Quote>::new();
        for line in lines {
            quotes.entry(line.order_id).or_default().lines.push(line);
        }
        for item in self.item_lines_of(&ids).await? {
            quotes.entry(item.order_id).or_default().items.push(item);
        }
        Ok(orders
            .into_iter()
            .map(|o| {
                let quote = quotes.remove(&o.id).unwrap_or_default();
                (o, quote)
            })
            .collect())
    }

    /// The history of an order, oldest first.
    pub async fn service_order_events(&self, order_id: i64) -> StoreResult<Vec<ServiceOrderEvent>> {
        use service_order_events::Column as C;
        service_order_events::Entity::find()
            .filter(C::OrderId.eq(order_id))
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// Whether a testing center has any instrument.
    pub async fn center_has_instruments(&self, center_id: i64) -> StoreResult<bool> {
        use crate::entities::instruments;
        Ok(instruments::Entity::find()
            .filter(instruments::Column::CenterId.eq(center_id))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Books instrument time under a running order, APPROVED at once (the
    /// center's staff book it): the order must still be IN_PROGRESS, the
    /// slot neither held for a waiting list nor overlapping an active
    /// booking (the database's guard has the last word, whatever the
    /// concurrency: a CONFLICT naming the clash).
    pub async fn book_service_order_time(
        &self,
        order_id: i64,
        new: NewBooking,
        notices: &mut Notices,
    ) -> StoreResult<Booking> {
        let now = Utc::now();
        let txn = self.write().await?;
        still_running(&txn, order_id).await?;
        crate::waitlist::lock_instrument(&txn, new.instrument_id).await?;
        if let Some(offer) =
            crate::waitlist::held_offer(&txn, new.instrument_id, new.start, new.end, now, None)
                .await?
        {
            return Err(crate::waitlist::held_conflict(&offer));
        }
        let (instrument_id, start, end) = (new.instrument_id, new.start, new.end);
        let inserted = bookings::ActiveModel {
            instrument_id: Set(new.instrument_id),
            user_id: Set(new.user_id),
            organization_id: Set(new.organization_id),
            start_at: Set(new.start),
            end_at: Set(new.end),
            purpose: Set(new.purpose),
            agreement_id: Set(new.agreement_id),
            service_order_id: Set(Some(order_id)),
            status: Set(iurhub_domain::BookingStatus::Approved.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let model = match inserted {
            Ok(model) => model,
            Err(err) => {
                // The connection goes back to the pool before the conflict
                // is described (on another one).
                let _ = txn.rollback().await;
                return Err(if crate::instruments::is_overlap(&err) {
                    self.overlap_conflict(instrument_id, start, end).await
                } else {
                    err.into()
                });
            }
        };
        let created = iurhub_domain::records::notifications::NoticeSubject::Booking(model.id);
        crate::notifications::write_notices(&txn, notices, Some(created), now).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// The instrument time booked under an order, by start.
    pub async fn service_order_bookings(&self, order_id: i64) -> StoreResult<Vec<Booking>> {
        use bookings::Column as C;
        bookings::Entity::find()
            .filter(C::ServiceOrderId.eq(order_id))
            .order_by_asc(C::StartAt)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// Attaches the report of a running order, replacing the one it had:
    /// the new report and the storage key of the replaced one (whose bytes
    /// the caller removes).
    pub async fn set_service_order_report(
        &self,
        new: NewReport,
    ) -> StoreResult<(ServiceOrderReport, Option<String>)> {
        use service_order_reports::Column as C;
        let txn = self.write().await?;
        still_running(&txn, new.order_id).await?;
        let old = service_order_reports::Entity::find()
            .filter(C::OrderId.eq(new.order_id))
            .one(&txn)
            .await?;
        if let Some(old) = &old {
            service_order_reports::Entity::delete_by_id(old.id)
                .exec(&txn)
                .await?;
        }
        let model = service_order_reports::ActiveModel {
            order_id: Set(new.order_id),
            storage_key: Set(new.storage_key),
            name: Set(new.name),
            content_type: Set(new.content_type),
            size: Set(new.size),
            uploaded_by: Set(new.uploaded_by),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok((model.into(), old.map(|o| o.storage_key)))
    }

    /// The report of an order, if one is attached.
    pub async fn service_order_report(
        &self,
        order_id: i64,
    ) -> StoreResult<Option<ServiceOrderReport>> {
        Ok(service_order_reports::Entity::find()
            .filter(service_order_reports::Column::OrderId.eq(order_id))
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    /// IN_PROGRESS → COMPLETED, provided the order's report is attached
    /// (checked in the transaction of the move), with its event.
    pub async fn complete_service_order(
        &self,
        id: i64,
        actor_id: i64,
        note: String,
        notices: &mut Notices,
    ) -> StoreResult<ServiceOrder> {
        let now = Utc::now();
        let txn = self.write().await?;
        let from = ServiceOrderStatus::InProgress;
        let to = ServiceOrderStatus::Completed;
        Self::move_order(&txn, id, from, to, None).await?;
        let reported = service_order_reports::Entity::find()
            .filter(service_order_reports::Column::OrderId.eq(id))
            .one(&txn)
            .await?
            .is_some();
        if !reported {
            return Err(StoreError::conflict(
                "id",
                Message::new("service_order.report.missing"),
            ));
        }
        event(&txn, id, actor_id, Some(from), to, note).await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        let order = rows::get::<service_orders::Entity, _>(&txn, id, "service order")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(order)
    }

    /// Stores the rating of an order; a second rating of the same order
    /// (whatever the concurrency) is a CONFLICT on `orderId`.
    pub async fn rate_service_order(
        &self,
        order_id: i64,
        user_id: i64,
        score: i32,
        comment: String,
    ) -> StoreResult<ServiceOrderRating> {
        let inserted = service_order_ratings::ActiveModel {
            order_id: Set(order_id),
            user_id: Set(user_id),
            score: Set(score),
            comment: Set(comment),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(m) => Ok(m.into()),
            Err(StoreError::Conflict { .. }) => Err(StoreError::conflict(
                "orderId",
                Message::new("service_order.rating.exists"),
            )),
            Err(err) => Err(err),
        }
    }

    /// The rating of an order, if it has one.
    pub async fn service_order_rating(
        &self,
        order_id: i64,
    ) -> StoreResult<Option<ServiceOrderRating>> {
        Ok(service_order_ratings::Entity::find()
            .filter(service_order_ratings::Column::OrderId.eq(order_id))
            .one(&self.db)
            .await?
            .map(Into::into))
    }
}
