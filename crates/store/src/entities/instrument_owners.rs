//! `instrument_owners` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instrument_owners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub instrument_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    pub share_percent: i32,
}

relations! {
    belongs_to {
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_instrument_owners_instrument_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_instrument_owners_organization_id";
    }
    has_many {}
}
