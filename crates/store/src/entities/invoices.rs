//! `invoices` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub organization_id: i64,
    pub billing_account_id: i64,
    pub period_from: Date,
    pub period_to: Date,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub total_cents: i64,
    pub issued_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
    pub voided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        TestingCenter: testing_centers(CenterId -> Id), Restrict, "fk_invoices_center_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_invoices_organization_id";
        BillingAccount: billing_accounts(BillingAccountId -> Id), Restrict, "fk_invoices_billing_account_id";
    }
    has_many {
        InvoiceLines: invoice_lines;
    }
}
