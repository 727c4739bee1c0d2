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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::research_capabilities::Entity",
        from = "Column::CapabilityId",
        to = "super::research_capabilities::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_capability_disciplines_capability_id"
    )]
    ResearchCapability,
    #[sea_orm(
        belongs_to = "super::disciplines::Entity",
        from = "Column::Code",
        to = "super::disciplines::Column::Code",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_capability_disciplines_code"
    )]
    Discipline,
}

related! {
    research_capabilities => ResearchCapability,
    disciplines => Discipline,
}
