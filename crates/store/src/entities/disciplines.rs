//! `disciplines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disciplines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub parent_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub name_zh: String,
    #[sea_orm(column_type = "Text")]
    pub name_en: String,
    pub level: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentCode",
        to = "Column::Code",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_disciplines_parent_code"
    )]
    Parent,
    #[sea_orm(has_many = "super::need_disciplines::Entity")]
    NeedDisciplines,
    #[sea_orm(has_many = "super::capability_disciplines::Entity")]
    CapabilityDisciplines,
    #[sea_orm(has_many = "super::talent_disciplines::Entity")]
    TalentDisciplines,
}

related! {
    need_disciplines => NeedDisciplines,
    capability_disciplines => CapabilityDisciplines,
    talent_disciplines => TalentDisciplines,
}
related_through! { tech_needs: need_disciplines, Discipline -> TechNeed }
related_through! { research_capabilities: capability_disciplines, Discipline -> ResearchCapability }
related_through! { talent_profiles: talent_disciplines, Discipline -> TalentProfile }
