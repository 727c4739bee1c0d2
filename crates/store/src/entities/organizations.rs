//! `organizations` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub region_province: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub region_city: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_organizations_parent_id"
    )]
    Parent,
    #[sea_orm(has_many = "super::memberships::Entity")]
    Memberships,
    #[sea_orm(has_many = "super::tech_needs::Entity")]
    TechNeeds,
    #[sea_orm(has_many = "super::research_capabilities::Entity")]
    ResearchCapabilities,
    #[sea_orm(has_many = "super::talent_profiles::Entity")]
    TalentProfiles,
    #[sea_orm(has_many = "super::project_parties::Entity")]
    ProjectParties,
    #[sea_orm(has_many = "super::instruments::Entity")]
    Instruments,
}

related! {
    memberships => Memberships,
    tech_needs => TechNeeds,
    research_capabilities => ResearchCapabilities,
    talent_profiles => TalentProfiles,
    project_parties => ProjectParties,
    instruments => Instruments,
}
related_through! { users: memberships, Organization -> User }
related_through! { cooperation_projects: project_parties, Organization -> CooperationProject }
