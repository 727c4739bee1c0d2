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
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub need_decision: Option<String>,
    pub need_decided_by: Option<i64>,
    pub need_decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub capability_decision: Option<String>,
    pub capability_decided_by: Option<i64>,
    pub capability_decided_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_matches_need_id";
        ResearchCapability: research_capabilities(CapabilityId -> Id), Cascade, "fk_matches_capability_id";
        DecidedBy: users(DecidedBy -> Id), Restrict, "fk_matches_decided_by";
    }
    has_many {
        CooperationProjects: cooperation_projects;
    }
}
