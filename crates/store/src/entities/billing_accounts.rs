//! `billing_accounts` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub contact_name: String,
    #[sea_orm(column_type = "Text")]
    pub contact_email: String,
    #[sea_orm(column_type = "Text")]
    pub contact_phone: String,
    #[sea_orm(column_type = "Text")]
    pub invoice_title: String,
    #[sea_orm(column_type = "Text")]
    pub tax_number: String,
    #[sea_orm(column_type = "Text")]
    pub address: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Organization: organizations(OrganizationId -> Id), Cascade, "fk_billing_accounts_organization_id";
    }
    has_many {}
}
