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
    /// When the capability was last confirmed current (its owners
    /// confirmed, edited or published it).
    pub confirmed_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_research_capabilities_organization_id";
        Creator: users(CreatedBy -> Id), Restrict, "fk_research_capabilities_created_by";
    }
    has_many {
        CapabilityDisciplines: capability_disciplines;
        CapabilityTalents: capability_talents;
        Matches: matches;
        CooperationProjects: cooperation_projects;
    }
}

related_through! { disciplines: capability_disciplines, ResearchCapability -> Discipline }
related_through! { talent_profiles: capability_talents, ResearchCapability -> TalentProfile }
