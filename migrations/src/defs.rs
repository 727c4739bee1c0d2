//! Small helpers that keep the table definitions readable.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// `CREATE TABLE name` with a 64-bit auto-increment `id`.
pub fn table_with_id(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
        .col(big_pk_auto(Alias::new("id")))
        .to_owned()
}

/// `CREATE TABLE name` without columns (for link tables and text keys).
pub fn table(name: &'static str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).to_owned()
}

pub fn id(name: &'static str) -> ColumnDef {
    big_integer(Alias::new(name))
}

pub fn id_null(name: &'static str) -> ColumnDef {
    big_integer_null(Alias::new(name))
}

pub fn txt(name: &'static str) -> ColumnDef {
    text(Alias::new(name))
}

pub fn txt_null(name: &'static str) -> ColumnDef {
    text_null(Alias::new(name))
}

pub fn int(name: &'static str) -> ColumnDef {
    integer(Alias::new(name))
}

pub fn int_null(name: &'static str) -> ColumnDef {
    integer_null(Alias::new(name))
}

pub fn money_null(name: &'static str) -> ColumnDef {
    big_integer_null(Alias::new(name))
}

pub fn time(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(Alias::new(name))
}

pub fn time_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(Alias::new(name))
}

pub fn day_null(name: &'static str) -> ColumnDef {
    date_null(Alias::new(name))
}

/// The `version` column of optimistic concurrency, starting at 1.
pub fn version() -> ColumnDef {
    integer(Alias::new("version")).default(1).to_owned()
}

/// A foreign key `column → table(id)` (or another key column).
pub fn fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    fk_to(from_table, column, to_table, "id", action)
}

pub fn fk_to(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
    to_column: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{column}"))
        .from(Alias::new(from_table), Alias::new(column))
        .to(Alias::new(to_table), Alias::new(to_column))
        .on_delete(action)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
}

/// `CREATE [UNIQUE] INDEX` named after its table and columns.
pub fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!(
        "{}_{}_{}",
        if unique { "ux" } else { "ix" },
        table,
        columns.join("_")
    ))
    .table(Alias::new(table));
    for c in columns {
        stmt.col(Alias::new(*c));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

/// Creates tables and then indexes, in order.
pub async fn create(
    manager: &SchemaManager<'_>,
    tables: Vec<TableCreateStatement>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for t in tables {
        manager.create_table(t).await?;
    }
    for i in indexes {
        manager.create_index(i).await?;
    }
    Ok(())
}

/// Drops tables in the given order (children first).
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for t in tables {
        manager
            .drop_table(Table::drop().table(Alias::new(*t)).to_owned())
            .await?;
    }
    Ok(())
}
