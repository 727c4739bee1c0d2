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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tech_needs::Entity",
        from = "Column::NeedId",
        to = "super::tech_needs::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade",
        fk_name = "fk_need_industries_need_id"
    )]
    TechNeed,
    #[sea_orm(
        belongs_to = "super::industries::Entity",
        from = "Column::Code",
        to = "super::industries::Column::Code",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_need_industries_code"
    )]
    Industry,
}

related! {
    tech_needs => TechNeed,
    industries => Industry,
}
