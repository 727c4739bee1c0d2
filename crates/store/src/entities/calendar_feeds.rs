//! `calendar_feeds` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// Null: the user's own bookings.
    pub instrument_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_calendar_feeds_user_id";
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_calendar_feeds_instrument_id";
    }
    has_many {}
}
