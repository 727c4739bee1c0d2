//! `service_order_lines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub instrument_id: i64,
    pub minutes: i64,
    pub rate_cents: i64,
    pub amount_cents: i64,
}

relations! {
    belongs_to {
        Order: service_orders(OrderId -> Id), Cascade, "fk_service_order_lines_order_id";
        Instrument: instruments(InstrumentId -> Id), Restrict, "fk_service_order_lines_instrument_id";
    }
    has_many {}
}
