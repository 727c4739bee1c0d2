//! `need_teasers` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "need_teasers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The need (one teaser each).
    pub need_id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub version: i32,
    pub updated_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_need_teasers_need_id";
        UpdatedBy: users(UpdatedBy -> Id), Restrict, "fk_need_teasers_updated_by";
    }
    has_many {}
}
