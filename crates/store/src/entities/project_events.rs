//! `project_events` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub actor_user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperation_projects::Entity",
        from = "Column::ProjectId",
        to = "super::cooperation_projects::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_project_events_project_id"
    )]
    CooperationProject,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::ActorUserId",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_project_events_actor_user_id"
    )]
    Actor,
}

related! {
    cooperation_projects => CooperationProject,
    users => Actor,
}
