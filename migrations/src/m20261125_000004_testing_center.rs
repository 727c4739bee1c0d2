//! The shared testing center: instruments, maintenance windows,
//! qualifications and bookings — with the database itself refusing two active
//! bookings of one instrument that overlap.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000004_testing_center"
    }
}

/// PostgreSQL: an exclusion constraint over half-open `[start, end)` ranges.
const PG_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE bookings ADD CONSTRAINT bookings_time_order CHECK (start_at < end_at)",
    "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist \
     (instrument_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) \
     WHERE (status IN ('REQUESTED', 'APPROVED'))",
];

/// SQLite: triggers that abort with `booking_overlap` (writers serialise, so
/// the check and the write cannot interleave).
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
    "CREATE TRIGGER bookings_time_order BEFORE INSERT ON bookings
     WHEN NEW.start_at >= NEW.end_at
     BEGIN SELECT RAISE(ABORT, 'booking_time_order'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = vec![
            table_with_id("instruments")
                .col(id("organization_id"))
                .col(txt("name"))
                .col(txt("model"))
                .col(txt("category"))
                .col(txt("location"))
                .col(id("rate_internal_cents"))
                .col(id("rate_external_cents"))
                .col(
                    ColumnDef::new(Alias::new("requires_qualification"))
                        .boolean()
                        .not_null()
                        .to_owned(),
                )
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
                .foreign_key(&mut fk("qualifications", "user_id", "users", Cascade))
                .foreign_key(&mut fk("qualifications", "granted_by", "users", SetNull))
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
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => PG_UP,
            _ => SQLITE_UP,
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dropping the table drops its triggers and constraints too.
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
