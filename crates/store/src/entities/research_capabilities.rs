//! `research_capabilities` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "research_capabilities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[sea_orm(column_type = "Text")]
    pub keywords: String,
    pub trl: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub achievements: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub version: i32,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_research_capabilities_organization_id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_research_capabilities_created_by"
    )]
    Creator,
    #[sea_orm(has_many = "super::capability_disciplines::Entity")]
    CapabilityDisciplines,
    #[sea_orm(has_many = "super::capability_talents::Entity")]
    CapabilityTalents,
    #[sea_orm(has_many = "super::matches::Entity")]
    Matches,
    #[sea_orm(has_many = "super::cooperation_projects::Entity")]
    CooperationProjects,
}

related! {
    organizations => Organization,
    users => Creator,
    capability_disciplines => CapabilityDisciplines,
    capability_talents => CapabilityTalents,
    matches => Matches,
    cooperation_projects => CooperationProjects,
}
related_through! { disciplines: capability_disciplines, ResearchCapability -> Discipline }
related_through! { talent_profiles: capability_talents, ResearchCapability -> TalentProfile }
