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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
