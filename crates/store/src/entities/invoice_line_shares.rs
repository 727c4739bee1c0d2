//! `invoice_line_shares` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_line_shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    pub share_percent: i32,
    pub amount_cents: i64,
}

relations! {
    belongs_to {
        InvoiceLine: invoice_lines(LineId -> Id), Cascade, "fk_invoice_line_shares_line_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_invoice_line_shares_organization_id";
    }
    has_many {}
}
