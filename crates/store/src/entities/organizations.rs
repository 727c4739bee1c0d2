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
    pub legal_entity: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {}
    has_many {
        Memberships: memberships;
        TechNeeds: tech_needs;
        ResearchCapabilities: research_capabilities;
        TalentProfiles: talent_profiles;
        ProjectParties: project_parties;
        Instruments: instruments;
        TestingCenters: testing_centers;
        InstrumentOwners: instrument_owners;
        CenterCobuilders: center_cobuilders;
    }
    not_related {
        Parent: organizations(ParentId -> Id), Restrict, "fk_organizations_parent_id";
    }
}

related_through! { users: memberships, Organization -> User }
related_through! { cooperation_projects: project_parties, Organization -> CooperationProject }
