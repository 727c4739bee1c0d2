//! A random token naming the database, written once by the first server
//! that finds none (`Store::database_id`). A server keeps its search index
//! on disk next to the token of the database it was built from, and reopens
//! it only for that database: a different database at the same address (a
//! new file, a restored dump) gets a fresh index (docs/MATCHING.md, "The
//! index on disk"). `down` drops the table.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000016_database_identity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE database_identity (id INTEGER PRIMARY KEY, token VARCHAR(64) NOT NULL)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS database_identity")
            .await?;
        Ok(())
    }
}
