//! The discipline and industry classifications. Only the tables: their
//! content is loaded by the store.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000002_taxonomy"
    }
}

const TABLES: [&str; 2] = ["disciplines", "industries"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = Vec::from(TABLES.map(taxonomy_table));
        let indexes = Vec::from(TABLES.map(|t| index(t, &["parent_code"], false)));
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            clear_self_reference(manager, t, "parent_code").await?;
        }
        drop(manager, &["industries", "disciplines"]).await
    }
}

/// `code` (text key), `parent_code` → the same table, names and level.
fn taxonomy_table(name: &'static str) -> TableCreateStatement {
    table(name)
        .col(txt("code").primary_key())
        .col(txt_null("parent_code"))
        .col(txt("name_zh"))
        .col(txt("name_en"))
        .col(int("level"))
        .foreign_key(&mut fk_to(
            name,
            "parent_code",
            name,
            "code",
            ForeignKeyAction::Restrict,
        ))
        .to_owned()
}
