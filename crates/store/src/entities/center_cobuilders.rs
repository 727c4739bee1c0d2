//! `center_cobuilders` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "center_cobuilders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
}

relations! {
    belongs_to {
        TestingCenter: testing_centers(CenterId -> Id), Cascade, "fk_center_cobuilders_center_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_center_cobuilders_organization_id";
    }
    has_many {}
}
