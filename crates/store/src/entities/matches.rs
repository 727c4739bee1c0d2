//! `matches` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    pub score: f64,
    #[sea_orm(column_type = "Text")]
    pub factors: String,
    #[sea_orm(column_type = "Text")]
    pub matched_terms: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub decline_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub decline_comment: Option<String>,
    pub decided_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tech_needs::Entity",
        from = "Column::NeedId",
        to = "super::tech_needs::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_matches_need_id"
    )]
    TechNeed,
    #[sea_orm(
        belongs_to = "super::research_capabilities::Entity",
        from = "Column::CapabilityId",
        to = "super::research_capabilities::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_matches_capability_id"
    )]
    ResearchCapability,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::DecidedBy",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_matches_decided_by"
    )]
    DecidedBy,
    #[sea_orm(has_many = "super::cooperation_projects::Entity")]
    CooperationProjects,
}

related! {
    tech_needs => TechNeed,
    research_capabilities => ResearchCapability,
    users => DecidedBy,
    cooperation_projects => CooperationProjects,
}
