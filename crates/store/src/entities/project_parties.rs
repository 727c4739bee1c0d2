//! `project_parties` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    /// INVITED, ACCEPTED or DECLINED.
    pub consent: String,
    pub responded_by: Option<i64>,
    pub responded_at: Option<DateTimeUtc>,
    pub decline_reason: Option<String>,
}

relations! {
    belongs_to {
        CooperationProject: cooperation_projects(ProjectId -> Id), Cascade, "fk_project_parties_project_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_project_parties_organization_id";
    }
    has_many {}
}
