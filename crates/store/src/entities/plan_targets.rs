//! `plan_targets` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub year: i32,
    #[sea_orm(column_type = "Text")]
    pub area: String,
    #[sea_orm(column_type = "Text")]
    pub metric: String,
    pub target: i64,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub version: i32,
    pub updated_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_plan_targets_agreement_id";
        UpdatedBy: users(UpdatedBy -> Id), Restrict, "fk_plan_targets_updated_by";
    }
    has_many {}
}
