//! `talent_disciplines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "talent_disciplines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub talent_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::talent_profiles::Entity",
        from = "Column::TalentId",
        to = "super::talent_profiles::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_talent_disciplines_talent_id"
    )]
    TalentProfile,
    #[sea_orm(
        belongs_to = "super::disciplines::Entity",
        from = "Column::Code",
        to = "super::disciplines::Column::Code",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_talent_disciplines_code"
    )]
    Discipline,
}

related! {
    talent_profiles => TalentProfile,
    disciplines => Discipline,
}
