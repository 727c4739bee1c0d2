//! `plan_work_items` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_work_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub year: i32,
    #[sea_orm(column_type = "Text")]
    pub area: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub details: Option<String>,
    pub due_date: Option<Date>,
    pub responsible_organization_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub done_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_plan_work_items_agreement_id";
        ResponsibleOrganization: organizations(ResponsibleOrganizationId -> Id), Restrict, "fk_plan_work_items_responsible_organization_id";
        Creator: users(CreatedBy -> Id), Restrict, "fk_plan_work_items_created_by";
    }
    has_many {}
}
