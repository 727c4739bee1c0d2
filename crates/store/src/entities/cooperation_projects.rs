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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tech_needs::Entity",
        from = "Column::NeedId",
        to = "super::tech_needs::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_need_id"
    )]
    TechNeed,
    #[sea_orm(
        belongs_to = "super::research_capabilities::Entity",
        from = "Column::CapabilityId",
        to = "super::research_capabilities::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_capability_id"
    )]
    ResearchCapability,
    #[sea_orm(
        belongs_to = "super::matches::Entity",
        from = "Column::MatchId",
        to = "super::matches::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_match_id"
    )]
    Match,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_created_by"
    )]
    Creator,
    #[sea_orm(has_many = "super::project_parties::Entity")]
    ProjectParties,
    #[sea_orm(has_many = "super::milestones::Entity")]
    Milestones,
    #[sea_orm(has_many = "super::checklist_items::Entity")]
    ChecklistItems,
    #[sea_orm(has_many = "super::project_events::Entity")]
    ProjectEvents,
}

related! {
    tech_needs => TechNeed,
    research_capabilities => ResearchCapability,
    matches => Match,
    users => Creator,
    project_parties => ProjectParties,
    milestones => Milestones,
    checklist_items => ChecklistItems,
    project_events => ProjectEvents,
}
related_through! { organizations: project_parties, CooperationProject -> Organization }
