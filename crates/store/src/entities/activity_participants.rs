//! `activity_participants` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    #[sea_orm(column_type = "Text")]
    pub role: String,
    pub talent_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub organization_id: Option<i64>,
    pub hours: Option<i32>,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Activity: activities(ActivityId -> Id), Cascade, "fk_activity_participants_activity_id";
        Talent: talent_profiles(TalentId -> Id), Restrict, "fk_activity_participants_talent_id";
    }
    has_many {}
    not_related {
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_activity_participants_organization_id";
    }
}
