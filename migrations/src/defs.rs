//! Small helpers that keep the table definitions readable and identical on
//! SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

/// `CREATE TABLE name` with a 64-bit auto-increment `id` primary key.
///
/// sea-query writes `bigserial` on PostgreSQL and
/// `integer NOT NULL PRIMARY KEY AUTOINCREMENT` on SQLite (whose integers are
/// 64-bit), so no branch on the backend is needed.
pub fn table_with_id(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
        .col(schema::big_pk_auto(Alias::new("id")))
        .to_owned()
}

/// `CREATE TABLE name` without columns (link tables and text keys).
pub fn table(name: &'static str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).to_owned()
}

/// A reference to another table's `id`, `NOT NULL`.
pub fn id(name: &'static str) -> ColumnDef {
    schema::big_integer(Alias::new(name))
}

/// A nullable reference to another table's `id`.
pub fn id_null(name: &'static str) -> ColumnDef {
    schema::big_integer_null(Alias::new(name))
}

pub fn txt(name: &'static str) -> ColumnDef {
    schema::text(Alias::new(name))
}

pub fn txt_null(name: &'static str) -> ColumnDef {
    schema::text_null(Alias::new(name))
}

/// A JSON document stored as text (alike on both backends).
pub fn json_text(name: &'static str) -> ColumnDef {
    schema::text(Alias::new(name))
}

pub fn int(name: &'static str) -> ColumnDef {
    schema::integer(Alias::new(name))
}

pub fn int_null(name: &'static str) -> ColumnDef {
    schema::integer_null(Alias::new(name))
}

/// An amount of money in cents.
pub fn money(name: &'static str) -> ColumnDef {
    schema::big_integer(Alias::new(name))
}

pub fn money_null(name: &'static str) -> ColumnDef {
    schema::big_integer_null(Alias::new(name))
}

pub fn double(name: &'static str) -> ColumnDef {
    schema::double(Alias::new(name))
}

pub fn flag(name: &'static str) -> ColumnDef {
    schema::boolean(Alias::new(name))
}

/// An instant, UTC (`timestamp with time zone` on PostgreSQL, text on SQLite).
pub fn time(name: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone(Alias::new(name))
}

pub fn time_null(name: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone_null(Alias::new(name))
}

pub fn day_null(name: &'static str) -> ColumnDef {
    schema::date_null(Alias::new(name))
}

/// The `version` column of optimistic concurrency, starting at 1.
pub fn version() -> ColumnDef {
    schema::integer(Alias::new("version")).default(1).to_owned()
}

/// The composite primary key of a link table.
pub fn composite_key(a: &'static str, b: &'static str) -> IndexCreateStatement {
    Index::create()
        .col(Alias::new(a))
        .col(Alias::new(b))
        .to_owned()
}

/// A foreign key `table.column → to_table(id)`, named `fk_{table}_{column}`.
pub fn fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    fk_to(from_table, column, to_table, "id", action)
}

/// A foreign key `table.column → to_table(to_column)`.
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

/// `CREATE [UNIQUE] INDEX`, named `ix_`/`ux_` + table + columns.
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

/// Drops tables in the given order (children first); their indexes,
/// constraints and triggers go with them.
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for t in tables {
        manager
            .drop_table(Table::drop().table(Alias::new(*t)).to_owned())
            .await?;
    }
    Ok(())
}

/// Clears a self-reference before its table is dropped.
///
/// With foreign keys on, SQLite's `DROP TABLE` first deletes every row, and a
/// `RESTRICT` self-reference (a parent deleted before its child) would make
/// that fail; clearing the column first lets the rollback drop any content.
pub async fn clear_self_reference(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    let stmt = Query::update()
        .table(Alias::new(table))
        .value(Alias::new(column), Expr::null())
        .and_where(Expr::col(Alias::new(column)).is_not_null())
        .to_owned();
    manager.get_connection().execute(&stmt).await.map(|_| ())
}
