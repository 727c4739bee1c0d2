//! Optimistic concurrency for talent profiles: a `version` column (1 for the
//! rows there are) that every edit bumps and guards on, as needs,
//! capabilities, projects, milestones and checklist items already do. `down`
//! drops the column.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000011_talent_versions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("talent_profiles"))
                    .add_column(int("version").default(1).to_owned())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("talent_profiles"))
                    .drop_column(Alias::new("version"))
                    .to_owned(),
            )
            .await
    }
}
