//! `bookings` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
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
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub actual_start: Option<DateTimeUtc>,
    pub actual_end: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub reject_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub agreement_id: Option<i64>,
    pub service_order_id: Option<i64>,
}

relations! {
    belongs_to {
        Instrument: instruments(InstrumentId -> Id), Restrict, "fk_bookings_instrument_id";
        User: users(UserId -> Id), Restrict, "fk_bookings_user_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_bookings_organization_id";
        Agreement: agreements(AgreementId -> Id), Restrict, "fk_bookings_agreement_id";
        ServiceOrder: service_orders(ServiceOrderId -> Id), Restrict, "fk_bookings_service_order_id";
    }
    has_many {}
}
