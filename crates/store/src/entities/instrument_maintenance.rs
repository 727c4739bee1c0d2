//! `instrument_maintenance` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instrument_maintenance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instrument_id: i64,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
}

relations! {
    belongs_to {
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_instrument_maintenance_instrument_id";
    }
    has_many {}
}
