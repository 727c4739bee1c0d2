//! `capability_talents` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "capability_talents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub capability_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub talent_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::research_capabilities::Entity",
        from = "Column::CapabilityId",
        to = "super::research_capabilities::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_capability_talents_capability_id"
    )]
    ResearchCapability,
    #[sea_orm(
        belongs_to = "super::talent_profiles::Entity",
        from = "Column::TalentId",
        to = "super::talent_profiles::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_capability_talents_talent_id"
    )]
    TalentProfile,
}

related! {
    research_capabilities => ResearchCapability,
    talent_profiles => TalentProfile,
}
