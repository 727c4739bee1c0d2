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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperation_projects::Entity",
        from = "Column::ProjectId",
        to = "super::cooperation_projects::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_checklist_items_project_id"
    )]
    CooperationProject,
    #[sea_orm(
        belongs_to = "super::milestones::Entity",
        from = "Column::MilestoneId",
        to = "super::milestones::Column::Id",
        on_update = "NoAction",
        on_delete = "SetNull",
        fk_name = "fk_checklist_items_milestone_id"
    )]
    Milestone,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::OwnerUserId",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_checklist_items_owner_user_id"
    )]
    Owner,
}

related! {
    cooperation_projects => CooperationProject,
    milestones => Milestone,
    users => Owner,
}
