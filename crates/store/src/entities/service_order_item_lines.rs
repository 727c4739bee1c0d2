//! `service_order_item_lines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_order_item_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub test_item_id: i64,
    pub quantity: i64,
    #[sea_orm(column_type = "Text")]
    pub tier: String,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

relations! {
    belongs_to {
        Order: service_orders(OrderId -> Id), Cascade, "fk_service_order_item_lines_order_id";
        TestItem: test_items(TestItemId -> Id), Restrict, "fk_service_order_item_lines_test_item_id";
    }
    has_many {}
}
