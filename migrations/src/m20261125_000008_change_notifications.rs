//! PostgreSQL tells every listening server about each committed change of a
//! need, capability or talent profile and about each new project event
//! (`NOTIFY iurhub_changes`), whichever process wrote it: the replicas of
//! one database keep their search indexes and subscriptions in step with it
//! (crates/api/src/replication.rs). Nothing on SQLite, which has one server.
//!
//! The payload is small JSON:
//! `{"o": <application_name of the writer>, "t": "need"|"capability"|"talent", "id": 7, "u": <updated_at in µs since 1970>}`
//! or `{"o": …, "t": "project_event", "id": 12, "p": <project id>}`.
//! Notifications are sent at commit, never for a rolled-back write.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000008_change_notifications"
    }
}

/// The tables whose rows are announced, with the kind named in the payload.
const STAMPED: [(&str, &str); 3] = [
    ("tech_needs", "need"),
    ("research_capabilities", "capability"),
    ("talent_profiles", "talent"),
];

const FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION iurhub_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_ARGV[0] = 'project_event' THEN
        PERFORM pg_notify('iurhub_changes', json_build_object(
            'o', current_setting('application_name'),
            't', 'project_event',
            'id', NEW.id,
            'p', NEW.project_id)::text);
    ELSE
        PERFORM pg_notify('iurhub_changes', json_build_object(
            'o', current_setting('application_name'),
            't', TG_ARGV[0],
            'id', NEW.id,
            'u', (extract(epoch FROM NEW.updated_at) * 1000000)::bigint)::text);
    END IF;
    RETURN NULL;
END
$$"#;

fn create_trigger(table: &str, kind: &str, events: &str) -> String {
    format!(
        "CREATE TRIGGER iurhub_notify_change AFTER {events} ON {table} \
         FOR EACH ROW EXECUTE FUNCTION iurhub_notify_change('{kind}')"
    )
}

fn drop_trigger(table: &str) -> String {
    format!("DROP TRIGGER IF EXISTS iurhub_notify_change ON {table}")
}

/// Lets the polling fallback find changed talent profiles by `updated_at`
/// (needs and capabilities have that index since migration 3).
fn talent_index() -> IndexCreateStatement {
    Index::create()
        .name("ix_talent_profiles_updated_at")
        .table(Alias::new("talent_profiles"))
        .col(Alias::new("updated_at"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(talent_index()).await?;
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(FUNCTION).await?;
        for (table, kind) in STAMPED {
            db.execute_unprepared(&create_trigger(table, kind, "INSERT OR UPDATE"))
                .await?;
        }
        db.execute_unprepared(&create_trigger("project_events", "project_event", "INSERT"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            for table in STAMPED
                .map(|(t, _)| t)
                .into_iter()
                .chain(["project_events"])
            {
                db.execute_unprepared(&drop_trigger(table)).await?;
            }
            db.execute_unprepared("DROP FUNCTION IF EXISTS iurhub_notify_change()")
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_talent_profiles_updated_at")
                    .table(Alias::new("talent_profiles"))
                    .to_owned(),
            )
            .await
    }
}
