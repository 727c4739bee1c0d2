//! Testing service orders: the order, its quote lines and its history. Every
//! move is one transaction guarded by the status it starts from (a
//! concurrent move is a CONFLICT), with its event and its notices.

use chrono::Utc;
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::{Message, ServiceOrderStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{service_order_events, service_order_lines, service_orders};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows::{self, Records};
use crate::{Store, StoreError, StoreResult, parse_enum};

pub use iurhub_domain::records::service_orders::{
    NewQuoteLine, NewServiceOrder, QuoteLine, ServiceOrder, ServiceOrderEvent,
};

impl TryFrom<service_orders::Model> for ServiceOrder {
    type Error = StoreError;
    fn try_from(m: service_orders::Model) -> StoreResult<Self> {
        Ok(ServiceOrder {
            id: m.id,
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
        lines: Vec<NewQuoteLine>,
        note: String,
        notices: &mut Notices,
    ) -> StoreResult<ServiceOrder> {
        let now = Utc::now();
        let txn = self.write().await?;
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

    /// The history of an order, oldest first.
    pub async fn service_order_events(&self, order_id: i64) -> StoreResult<Vec<ServiceOrderEvent>> {
        use service_order_events::Column as C;
        service_order_events::Entity::find()
            .filter(C::OrderId.eq(order_id))
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// Whether an organisation owns any instrument (a testing center).
    pub async fn runs_instruments(&self, organization_id: i64) -> StoreResult<bool> {
        use crate::entities::instruments;
        Ok(instruments::Entity::find()
            .filter(instruments::Column::OrganizationId.eq(organization_id))
            .one(&self.db)
            .await?
            .is_some())
    }
}
