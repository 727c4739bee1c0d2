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

impl Related<super::need_disciplines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NeedDisciplines.def()
    }
}

impl Related<super::capability_disciplines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CapabilityDisciplines.def()
    }
}

impl Related<super::talent_disciplines::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TalentDisciplines.def()
    }
}

/// Through `need_disciplines`.
impl Related<super::tech_needs::Entity> for Entity {
    fn to() -> RelationDef {
        super::need_disciplines::Relation::TechNeed.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::need_disciplines::Relation::Discipline.def().rev())
    }
}

/// Through `capability_disciplines`.
impl Related<super::research_capabilities::Entity> for Entity {
    fn to() -> RelationDef {
        super::capability_disciplines::Relation::ResearchCapability.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::capability_disciplines::Relation::Discipline
                .def()
                .rev(),
        )
    }
}

/// Through `talent_disciplines`.
impl Related<super::talent_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        super::talent_disciplines::Relation::TalentProfile.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::talent_disciplines::Relation::Discipline.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
