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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperation_projects::Entity",
        from = "Column::ProjectId",
        to = "super::cooperation_projects::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_milestones_project_id"
    )]
    CooperationProject,
    #[sea_orm(has_many = "super::checklist_items::Entity")]
    ChecklistItems,
}

related! {
    cooperation_projects => CooperationProject,
    checklist_items => ChecklistItems,
}
