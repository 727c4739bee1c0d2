//! `qualifications` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "qualifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    pub granted_by: Option<i64>,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_qualifications_instrument_id";
        User: users(UserId -> Id), Restrict, "fk_qualifications_user_id";
    }
    has_many {}
    not_related {
        GrantedBy: users(GrantedBy -> Id), Restrict, "fk_qualifications_granted_by";
    }
}
