//! `waitlist_entries` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "waitlist_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    pub organization_id: i64,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub purpose: String,
    /// `WAITING`, `OFFERED`, `BOOKED`, `EXPIRED` or `CANCELLED`.
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub offered_at: Option<DateTimeUtc>,
    pub offer_expires_at: Option<DateTimeUtc>,
    pub booking_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Instrument: instruments(InstrumentId -> Id), Cascade, "fk_waitlist_entries_instrument_id";
        User: users(UserId -> Id), Cascade, "fk_waitlist_entries_user_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_waitlist_entries_organization_id";
        Booking: bookings(BookingId -> Id), Restrict, "fk_waitlist_entries_booking_id";
    }
    has_many {}
}
