//! `service_order_ratings` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_order_ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub user_id: i64,
    /// 1–5.
    pub score: i32,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        ServiceOrder: service_orders(OrderId -> Id), Cascade, "fk_service_order_ratings_order_id";
        User: users(UserId -> Id), Restrict, "fk_service_order_ratings_user_id";
    }
    has_many {}
}
