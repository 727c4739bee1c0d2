//! `checklist_items` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub milestone_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub owner_user_id: Option<i64>,
    pub due_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub position: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        CooperationProject: cooperation_projects(ProjectId -> Id), Cascade, "fk_checklist_items_project_id";
        Milestone: milestones(MilestoneId -> Id), SetNull, "fk_checklist_items_milestone_id";
        Owner: users(OwnerUserId -> Id), Restrict, "fk_checklist_items_owner_user_id";
    }
    has_many {}
}
