//! Kept-up-to-date figures of each project that its list sorts and filters
//! by: checklist totals, progress and the due-date sort key.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000007_project_progress"
    }
}

/// (column, default)
const COLUMNS: [(&str, i64); 4] = [
    ("items_total", 0),
    ("items_done", 0),
    // Percentage of checklist items done, 0–100.
    ("progress", 0),
    // `end_date` as YYYYMMDD, 99991231 without one (sorts last).
    ("due_key", 99_991_231),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for (name, default) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("cooperation_projects"))
                        .add_column(int(name).default(default).to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_checklist_items_project_status")
                    .table(Alias::new("checklist_items"))
                    .col(Alias::new("project_id"))
                    .col(Alias::new("status"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_checklist_items_project_status")
                    .table(Alias::new("checklist_items"))
                    .to_owned(),
            )
            .await?;
        for (name, _) in COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("cooperation_projects"))
                        .drop_column(Alias::new(*name))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
