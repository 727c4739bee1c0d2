//! `activities` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub area: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub host_organization_id: i64,
    pub attendance: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Restrict, "fk_activities_agreement_id";
        HostOrganization: organizations(HostOrganizationId -> Id), Restrict, "fk_activities_host_organization_id";
        Creator: users(CreatedBy -> Id), Restrict, "fk_activities_created_by";
    }
    has_many {
        ActivityOrganizations: activity_organizations;
        ActivityParticipants: activity_participants;
    }
}
