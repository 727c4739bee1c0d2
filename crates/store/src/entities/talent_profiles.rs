//! `talent_profiles` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "talent_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub title: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
    #[sea_orm(column_type = "Text")]
    pub keywords: String,
    #[sea_orm(column_type = "Text")]
    pub availability: String,
    /// Bumped by every edit (optimistic concurrency).
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_talent_profiles_organization_id";
        User: users(UserId -> Id), Restrict, "fk_talent_profiles_user_id";
    }
    has_many {
        TalentDisciplines: talent_disciplines;
        CapabilityTalents: capability_talents;
    }
}

related_through! { disciplines: talent_disciplines, TalentProfile -> Discipline }
related_through! { research_capabilities: capability_talents, TalentProfile -> ResearchCapability }
