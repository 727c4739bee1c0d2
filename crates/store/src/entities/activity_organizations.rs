//! `activity_organizations` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
}

relations! {
    belongs_to {
        Activity: activities(ActivityId -> Id), Cascade, "fk_activity_organizations_activity_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_activity_organizations_organization_id";
    }
    has_many {}
}
