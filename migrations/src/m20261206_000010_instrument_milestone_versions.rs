//! Optimistic concurrency for instruments and milestones: a `version`
//! column (1 for the rows there are) that every edit bumps and guards on, as
//! needs, capabilities, projects and checklist items already do. `down`
//! drops the columns.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000010_instrument_milestone_versions"
    }
}

const TABLES: [&str; 2] = ["instruments", "milestones"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(int("version").default(1).to_owned())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .drop_column(Alias::new("version"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
