//! `scheduled_jobs` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub name: String,
    pub next_run_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub leased_by: Option<String>,
    pub last_run_at: Option<DateTimeUtc>,
    pub last_items: i64,
    pub runs: i64,
    pub failures: i64,
    #[sea_orm(column_type = "Text")]
    pub last_error: Option<String>,
}

/// No relations: the table refers to nothing by key.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
