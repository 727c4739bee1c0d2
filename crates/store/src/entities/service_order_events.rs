//! `service_order_events` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_order_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub from_status: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub to_status: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Order: service_orders(OrderId -> Id), Cascade, "fk_service_order_events_order_id";
        Actor: users(ActorId -> Id), Restrict, "fk_service_order_events_actor_id";
    }
    has_many {}
}
