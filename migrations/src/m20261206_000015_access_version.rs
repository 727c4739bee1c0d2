//! The version of what a caller's rights are made of: the users, the
//! memberships and the organisation tree. Every committed write of those
//! tables adds one to the single row of `access_version`, whichever process
//! made it (triggers on SQLite and PostgreSQL); on PostgreSQL the triggers
//! also tell every listening server at commit (`NOTIFY iurhub_changes`,
//! payload `{"o": <application_name of the writer>, "t": "access", "v":
//! <version>}`). Servers keep callers between requests
//! (crates/app/src/caller_cache.rs) and forget them when the version moves.
//! A new user (INSERT on `users`) changes nobody's rights and is not counted.
//! `down` drops the triggers, the function and the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000015_access_version"
    }
}

/// The counted tables and the writes counted on each.
const COUNTED: [(&str, &[&str]); 3] = [
    ("users", &["UPDATE", "DELETE"]),
    ("memberships", &["INSERT", "UPDATE", "DELETE"]),
    ("organizations", &["INSERT", "UPDATE", "DELETE"]),
];

const PG_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION iurhub_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE access_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
    PERFORM pg_notify('iurhub_changes', json_build_object(
        'o', current_setting('application_name'),
        't', 'access',
        'v', v)::text);
    RETURN NULL;
END
$$"#;

fn trigger_name(table: &str, event: &str) -> String {
    format!("iurhub_access_{table}_{}", event.to_lowercase())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE access_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO access_version (id, version) VALUES (1, 0)")
            .await?;
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        if postgres {
            db.execute_unprepared(PG_FUNCTION).await?;
        }
        for (table, events) in COUNTED {
            for event in events {
                let name = trigger_name(table, event);
                let sql = if postgres {
                    // Once per statement: an import of many rows counts once.
                    format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION iurhub_access_changed()"
                    )
                } else {
                    format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN \
                         UPDATE access_version SET version = version + 1 WHERE id = 1; END"
                    )
                };
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for (table, events) in COUNTED {
            for event in events {
                let name = trigger_name(table, event);
                let sql = if postgres {
                    format!("DROP TRIGGER IF EXISTS {name} ON {table}")
                } else {
                    format!("DROP TRIGGER IF EXISTS {name}")
                };
                db.execute_unprepared(&sql).await?;
            }
        }
        if postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS iurhub_access_changed()")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS access_version")
            .await?;
        Ok(())
    }
}
