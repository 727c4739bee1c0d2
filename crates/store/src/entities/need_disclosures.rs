//! `need_disclosures` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "need_disclosures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    /// The receiving organisation.
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub nda_version: Option<String>,
    pub offered_by: i64,
    pub offered_at: DateTimeUtc,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTimeUtc>,
    pub version: i32,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_need_disclosures_need_id";
        Organization: organizations(OrganizationId -> Id), Cascade, "fk_need_disclosures_organization_id";
        OfferedBy: users(OfferedBy -> Id), Restrict, "fk_need_disclosures_offered_by";
    }
    has_many {
        DisclosureEvents: disclosure_events;
    }
    not_related {
        AcceptedBy: users(AcceptedBy -> Id), Restrict, "fk_need_disclosures_accepted_by";
        RevokedBy: users(RevokedBy -> Id), Restrict, "fk_need_disclosures_revoked_by";
    }
}
