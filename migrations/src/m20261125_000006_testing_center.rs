//! The shared testing center: instruments, maintenance windows,
//! qualifications and bookings — with the database itself refusing two active
//! (`REQUESTED` or `APPROVED`) bookings of one instrument whose half-open
//! `[start_at, end_at)` intervals overlap.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000006_testing_center"
    }
}

/// PostgreSQL: a GiST exclusion constraint over `tstzrange(start, end, '[)')`.
/// `btree_gist` provides the `=` operator class for `instrument_id`.
const PG_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist \
     (instrument_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) \
     WHERE (status IN ('REQUESTED', 'APPROVED'))",
];

/// The extension stays: it is database-wide and may serve other objects.
const PG_DOWN: &[&str] = &["ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_no_overlap"];

/// SQLite: triggers aborting with `booking_overlap`. Writers are serialised,
/// so the check and the write cannot interleave. Times are compared as text:
/// sea-orm stores `DateTime<Utc>` as RFC 3339 text with a `+00:00` offset
/// (`2026-03-01T09:00:00+00:00`, fractions only when non-zero), whose
/// lexical order is time order.
const SQLITE_UP: &[&str] = &[
    "CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
     WHEN NEW.status IN ('REQUESTED', 'APPROVED')
     BEGIN
       SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.instrument_id = NEW.instrument_id
           AND b.status IN ('REQUESTED', 'APPROVED')
           AND NEW.start_at < b.end_at AND b.start_at < NEW.end_at);
     END",
    "CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE ON bookings
     WHEN NEW.status IN ('REQUESTED', 'APPROVED')
     BEGIN
       SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.instrument_id = NEW.instrument_id
           AND b.id <> NEW.id
           AND b.status IN ('REQUESTED', 'APPROVED')
           AND NEW.start_at < b.end_at AND b.start_at < NEW.end_at);
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS bookings_no_overlap_update",
    "DROP TRIGGER IF EXISTS bookings_no_overlap_insert",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let tables = vec![
            table_with_id("instruments")
                .col(id("organization_id"))
                .col(txt("name"))
                .col(txt("model"))
                .col(txt("category"))
                .col(txt("location"))
                .col(money("rate_internal_cents"))
                .col(money("rate_external_cents"))
                .col(flag("requires_qualification"))
                .col(txt("status"))
                .col(txt("description"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "instruments",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("instrument_maintenance")
                .col(id("instrument_id"))
                .col(time("start_at"))
                .col(time("end_at"))
                .col(txt("reason"))
                .foreign_key(&mut fk(
                    "instrument_maintenance",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("qualifications")
                .col(id("instrument_id"))
                .col(id("user_id"))
                .col(id_null("granted_by"))
                .col(time_null("expires_at"))
                .col(time_null("revoked_at"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "qualifications",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .foreign_key(&mut fk("qualifications", "user_id", "users", Restrict))
                .foreign_key(&mut fk("qualifications", "granted_by", "users", Restrict))
                .to_owned(),
            table_with_id("bookings")
                .col(id("instrument_id"))
                .col(id("user_id"))
                .col(id("organization_id"))
                .col(time("start_at"))
                .col(time("end_at"))
                .col(txt("purpose"))
                .col(txt("status"))
                .col(time_null("actual_start"))
                .col(time_null("actual_end"))
                .col(txt_null("reject_reason"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .check(Check::named(
                    "bookings_time_order",
                    Expr::col(Alias::new("start_at")).lt(Expr::col(Alias::new("end_at"))),
                ))
                .foreign_key(&mut fk(
                    "bookings",
                    "instrument_id",
                    "instruments",
                    Restrict,
                ))
                .foreign_key(&mut fk("bookings", "user_id", "users", Restrict))
                .foreign_key(&mut fk(
                    "bookings",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("instruments", &["organization_id"], false),
            index("instruments", &["category"], false),
            index(
                "instrument_maintenance",
                &["instrument_id", "start_at"],
                false,
            ),
            index("qualifications", &["instrument_id", "user_id"], true),
            index("bookings", &["instrument_id", "start_at"], false),
            index("bookings", &["user_id"], false),
        ];
        create(manager, tables, indexes).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => run(manager, PG_UP).await,
            _ => run(manager, SQLITE_UP).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => run(manager, PG_DOWN).await?,
            _ => run(manager, SQLITE_DOWN).await?,
        }
        drop(
            manager,
            &[
                "bookings",
                "qualifications",
                "instrument_maintenance",
                "instruments",
            ],
        )
        .await
    }
}
