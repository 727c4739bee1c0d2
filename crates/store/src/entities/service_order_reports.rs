//! `service_order_reports` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_order_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    #[sea_orm(column_type = "Text")]
    pub storage_key: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        ServiceOrder: service_orders(OrderId -> Id), Cascade, "fk_service_order_reports_order_id";
        User: users(UploadedBy -> Id), Restrict, "fk_service_order_reports_uploaded_by";
    }
    has_many {}
}
