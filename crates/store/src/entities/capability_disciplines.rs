//! `capability_disciplines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "capability_disciplines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub capability_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
}

relations! {
    belongs_to {
        ResearchCapability: research_capabilities(CapabilityId -> Id), Cascade, "fk_capability_disciplines_capability_id";
        Discipline: disciplines(Code -> Code), Restrict, "fk_capability_disciplines_code";
    }
    has_many {}
}
