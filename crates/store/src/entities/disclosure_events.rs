//! `disclosure_events` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub disclosure_id: i64,
    /// The receiving organisation.
    pub organization_id: i64,
    /// Who offered, accepted, revoked or read.
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub action: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub nda_version: Option<String>,
    pub at: DateTimeUtc,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_disclosure_events_need_id";
        NeedDisclosure: need_disclosures(DisclosureId -> Id), Cascade, "fk_disclosure_events_disclosure_id";
        Organization: organizations(OrganizationId -> Id), Cascade, "fk_disclosure_events_organization_id";
        User: users(UserId -> Id), Restrict, "fk_disclosure_events_user_id";
    }
    has_many {}
}
