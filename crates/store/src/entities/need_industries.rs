//! `need_industries` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "need_industries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub need_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_need_industries_need_id";
        Industry: industries(Code -> Code), Restrict, "fk_need_industries_code";
    }
    has_many {}
}
