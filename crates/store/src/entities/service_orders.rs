//! `service_orders` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_organization_id: i64,
    /// NULL only before migration 33's backfill.
    pub center_id: Option<i64>,
    pub client_organization_id: i64,
    pub requested_by: i64,
    #[sea_orm(column_type = "Text")]
    pub samples: String,
    #[sea_orm(column_type = "Text")]
    pub test_items: String,
    #[sea_orm(column_type = "Text")]
    pub standards: String,
    pub required_by: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub quote_note: Option<String>,
    pub quoted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Center: organizations(CenterOrganizationId -> Id), Restrict, "fk_service_orders_center_organization_id";
        RequestedBy: users(RequestedBy -> Id), Restrict, "fk_service_orders_requested_by";
        TestingCenter: testing_centers(CenterId -> Id), Restrict, "fk_service_orders_center_id";
    }
    has_many {
        ServiceOrderLines: service_order_lines;
        ServiceOrderItemLines: service_order_item_lines;
        ServiceOrderEvents: service_order_events;
    }
    not_related {
        Client: organizations(ClientOrganizationId -> Id), Restrict, "fk_service_orders_client_organization_id";
    }
}
