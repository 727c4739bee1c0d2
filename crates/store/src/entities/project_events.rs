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

relations! {
    belongs_to {
        CooperationProject: cooperation_projects(ProjectId -> Id), Cascade, "fk_project_events_project_id";
        Actor: users(ActorUserId -> Id), Restrict, "fk_project_events_actor_user_id";
    }
    has_many {}
}
