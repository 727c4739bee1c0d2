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

relations! {
    belongs_to {
        TalentProfile: talent_profiles(TalentId -> Id), Cascade, "fk_talent_disciplines_talent_id";
        Discipline: disciplines(Code -> Code), Restrict, "fk_talent_disciplines_code";
    }
    has_many {}
}
