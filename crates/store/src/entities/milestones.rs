//! `milestones` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub due_date: Option<Date>,
    pub position: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        CooperationProject: cooperation_projects(ProjectId -> Id), Cascade, "fk_milestones_project_id";
    }
    has_many {
        ChecklistItems: checklist_items;
    }
}
