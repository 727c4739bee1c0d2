//! `opportunities` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    /// The score in millionths (0–1 000 000).
    pub score_ppm: i64,
    pub found_at: DateTimeUtc,
    pub ranked_at: DateTimeUtc,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_opportunities_need_id";
        Capability: research_capabilities(CapabilityId -> Id), Cascade, "fk_opportunities_capability_id";
    }
    has_many {}
}
