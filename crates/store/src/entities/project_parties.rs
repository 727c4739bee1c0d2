//! `project_parties` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperation_projects::Entity",
        from = "Column::ProjectId",
        to = "super::cooperation_projects::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_project_parties_project_id"
    )]
    CooperationProject,
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_project_parties_organization_id"
    )]
    Organization,
}

related! {
    cooperation_projects => CooperationProject,
    organizations => Organization,
}
