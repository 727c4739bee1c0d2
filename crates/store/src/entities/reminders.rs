//! `reminders` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reminders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub subject: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub stage: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub due: String,
    pub sent_at: DateTimeUtc,
}

/// No relations: the table refers to nothing by key.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
