//! Scoped roles: a user COORDINATOR or SUPERVISOR of an organisation and
//! every organisation below it. A coordinator sees and curates everything
//! of the organisations in scope (their CONFIDENTIAL needs too); a
//! supervisor reads their projects and the platform's figures and changes
//! nothing. A grant is revoked, not deleted, so who granted and who revoked
//! what, and when, stays on record. Grants are part of a caller's rights:
//! every write of the table moves `access_version` like memberships do
//! (migration 15). `down` drops the triggers and the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000017_role_grants"
    }
}

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn trigger_name(event: &str) -> String {
    format!("iurhub_access_role_grants_{}", event.to_lowercase())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let tables = vec![
            table_with_id("role_grants")
                .col(id("user_id"))
                // COORDINATOR or SUPERVISOR.
                .col(txt("role"))
                // The root of the scope: this organisation and its descendants.
                .col(id("organization_id"))
                .col(id_null("granted_by"))
                .col(time("granted_at"))
                .col(id_null("revoked_by"))
                .col(time_null("revoked_at"))
                .foreign_key(&mut fk("role_grants", "user_id", "users", Cascade))
                .foreign_key(&mut fk(
                    "role_grants",
                    "organization_id",
                    "organizations",
                    Cascade,
                ))
                .foreign_key(&mut fk("role_grants", "granted_by", "users", SetNull))
                .foreign_key(&mut fk("role_grants", "revoked_by", "users", SetNull))
                .to_owned(),
        ];
        let indexes = vec![
            index("role_grants", &["user_id"], false),
            index("role_grants", &["organization_id"], false),
        ];
        create(manager, tables, indexes).await?;
        let db = manager.get_connection();
        // One active grant of a role per user and organisation, also when
        // two are granted at once (a partial index, alike on both backends).
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_role_grants_active ON role_grants \
             (user_id, organization_id, role) WHERE revoked_at IS NULL",
        )
        .await?;
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for event in EVENTS {
            let name = trigger_name(event);
            // The function of migration 15 on PostgreSQL.
            let sql = if postgres {
                format!(
                    "CREATE TRIGGER {name} AFTER {event} ON role_grants \
                     FOR EACH STATEMENT EXECUTE FUNCTION iurhub_access_changed()"
                )
            } else {
                format!(
                    "CREATE TRIGGER {name} AFTER {event} ON role_grants BEGIN \
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
                format!("DROP TRIGGER IF EXISTS {name} ON role_grants")
            } else {
                format!("DROP TRIGGER IF EXISTS {name}")
            };
            db.execute_unprepared(&sql).await?;
        }
        drop(manager, &["role_grants"]).await
    }
}
