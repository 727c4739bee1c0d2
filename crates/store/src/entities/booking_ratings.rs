//! `booking_ratings` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub booking_id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    /// 1–5.
    pub score: i32,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Booking: bookings(BookingId -> Id), Cascade, "fk_booking_ratings_booking_id";
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_booking_ratings_instrument_id";
        User: users(UserId -> Id), Restrict, "fk_booking_ratings_user_id";
    }
    has_many {}
}
