//! Agreement coordinators: a user COORDINATOR of one framework agreement —
//! the agreement and the needs, projects and activities filed under it, as
//! a party's member (CONFIDENTIAL needs included), without any organisation
//! subtree. Like a role grant (migration 17), a grant is revoked, not
//! deleted, and every write of the table moves `access_version` (migration
//! 15): grants are part of a caller's rights. `down` drops the triggers and
//! the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000021_agreement_coordinators"
    }
}

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn trigger_name(event: &str) -> String {
    format!(
        "iurhub_access_agreement_coordinators_{}",
        event.to_lowercase()
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let table = "agreement_coordinators";
        let tables = vec![
            table_with_id(table)
                .col(id("user_id"))
                .col(id("agreement_id"))
                .col(id_null("granted_by"))
                .col(time("granted_at"))
                .col(id_null("revoked_by"))
                .col(time_null("revoked_at"))
                .foreign_key(&mut fk(table, "user_id", "users", Cascade))
                .foreign_key(&mut fk(table, "agreement_id", "agreements", Cascade))
                .foreign_key(&mut fk(table, "granted_by", "users", SetNull))
                .foreign_key(&mut fk(table, "revoked_by", "users", SetNull))
                .to_owned(),
        ];
        let indexes = vec![
            index(table, &["user_id"], false),
            index(table, &["agreement_id"], false),
        ];
        create(manager, tables, indexes).await?;
        let db = manager.get_connection();
        // One active grant per user and agreement, also when two are
        // granted at once (a partial index, alike on both backends).
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_agreement_coordinators_active ON agreement_coordinators \
             (user_id, agreement_id) WHERE revoked_at IS NULL",
        )
        .await?;
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for event in EVENTS {
            let name = trigger_name(event);
            // The function of migration 15 on PostgreSQL.
            let sql = if postgres {
                format!(
                    "CREATE TRIGGER {name} AFTER {event} ON agreement_coordinators \
                     FOR EACH STATEMENT EXECUTE FUNCTION iurhub_access_changed()"
                )
            } else {
                format!(
                    "CREATE TRIGGER {name} AFTER {event} ON agreement_coordinators BEGIN \
                     UPDATE access_version SET version = version + 1 WHERE id = 1; END"
                )
            };
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for event in EVENTS {
            let name = trigger_name(event);
            let sql = if postgres {
                format!("DROP TRIGGER IF EXISTS {name} ON agreement_coordinators")
            } else {
                format!("DROP TRIGGER IF EXISTS {name}")
            };
            db.execute_unprepared(&sql).await?;
        }
        drop(manager, &["agreement_coordinators"]).await
    }
}
