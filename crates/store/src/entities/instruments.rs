//! `instruments` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instruments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub model: String,
    #[sea_orm(column_type = "Text")]
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub location: String,
    pub rate_internal_cents: i64,
    pub rate_group_cents: i64,
    pub rate_external_cents: i64,
    pub requires_qualification: bool,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub version: i32,
    pub center_id: Option<i64>,
    pub original_value_cents: Option<i64>,
    pub purchase_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub registration_number: String,
    pub is_public: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_instruments_organization_id";
        TestingCenter: testing_centers(CenterId -> Id), Restrict, "fk_instruments_center_id";
    }
    has_many {
        InstrumentMaintenance: instrument_maintenance;
        Qualifications: qualifications;
        Bookings: bookings;
        CalendarFeeds: calendar_feeds;
        InstrumentOwners: instrument_owners;
    }
}
