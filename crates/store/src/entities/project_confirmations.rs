//! `project_confirmations` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_confirmations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    /// The status confirmed: AGREED, COMPLETED or TERMINATED.
    #[sea_orm(primary_key, auto_increment = false)]
    pub to_status: String,
    pub confirmed_by: i64,
    pub confirmed_at: DateTimeUtc,
    pub reason: Option<String>,
}

relations! {
    belongs_to {
        CooperationProject: cooperation_projects(ProjectId -> Id), Cascade, "fk_project_confirmations_project_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_project_confirmations_organization_id";
        ConfirmedBy: users(ConfirmedBy -> Id), Restrict, "fk_project_confirmations_confirmed_by";
    }
    has_many {}
}
