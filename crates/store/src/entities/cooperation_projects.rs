//! `cooperation_projects` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cooperation_projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub area: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub match_id: Option<i64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub items_total: i32,
    pub items_done: i32,
    pub progress: i32,
    pub due_key: i32,
    pub agreement_id: Option<i64>,
    pub funding: Option<i64>,
    pub agreed_at: Option<DateTimeUtc>,
    pub started_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Restrict, "fk_cooperation_projects_need_id";
        ResearchCapability: research_capabilities(CapabilityId -> Id), Restrict, "fk_cooperation_projects_capability_id";
        Match: matches(MatchId -> Id), Restrict, "fk_cooperation_projects_match_id";
        Creator: users(CreatedBy -> Id), Restrict, "fk_cooperation_projects_created_by";
        Agreement: agreements(AgreementId -> Id), Restrict, "fk_cooperation_projects_agreement_id";
    }
    has_many {
        ProjectParties: project_parties;
        Milestones: milestones;
        ChecklistItems: checklist_items;
        ProjectEvents: project_events;
    }
}

related_through! { organizations: project_parties, CooperationProject -> Organization }
