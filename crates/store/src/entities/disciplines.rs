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

relations! {
    belongs_to {}
    has_many {
        NeedDisciplines: need_disciplines;
        CapabilityDisciplines: capability_disciplines;
        TalentDisciplines: talent_disciplines;
    }
    not_related {
        Parent: disciplines(ParentCode -> Code), Restrict, "fk_disciplines_parent_code";
    }
}

related_through! { tech_needs: need_disciplines, Discipline -> TechNeed }
related_through! { research_capabilities: capability_disciplines, Discipline -> ResearchCapability }
related_through! { talent_profiles: talent_disciplines, Discipline -> TalentProfile }
