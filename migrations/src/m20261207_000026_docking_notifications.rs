//! Replicas relay docking and conversations: on PostgreSQL, every committed
//! decision on a match, every interest expressed or reviewed and every
//! message posted tells every listening server (`NOTIFY iurhub_changes`),
//! so `matchUpdated` and `messageAdded` subscribers of any replica hear of
//! writes made through another (crates/app/src/replication.rs). Payloads:
//! `{"o": <application_name of the writer>, "t": "match", "id": 4, "n": <need id>, "c": <capability id>, "u": <updated_at in µs>}`,
//! `{"o": …, "t": "interest", "id": 5, "n": <need id>, "u": <reviewed_at, else created_at, in µs>}`,
//! `{"o": …, "t": "message", "id": 6, "p": <thread id>}`.
//! Polling finds the same rows again (by those stamps; messages by id), so
//! `matches.updated_at` gets an index. Nothing on SQLite, which has one
//! server. `down` drops the triggers, the function and the index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000026_docking_notifications"
    }
}

/// The tables announced, the writes announced and the kind in the payload.
const ANNOUNCED: [(&str, &str, &str); 3] = [
    ("matches", "INSERT OR UPDATE", "match"),
    ("interests", "INSERT OR UPDATE", "interest"),
    ("thread_messages", "INSERT", "message"),
];

const PG_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION iurhub_notify_docking() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_ARGV[0] = 'match' THEN
        PERFORM pg_notify('iurhub_changes', json_build_object(
            'o', current_setting('application_name'),
            't', 'match',
            'id', NEW.id,
            'n', NEW.need_id,
            'c', NEW.capability_id,
            'u', (extract(epoch FROM NEW.updated_at) * 1000000)::bigint)::text);
    ELSIF TG_ARGV[0] = 'interest' THEN
        PERFORM pg_notify('iurhub_changes', json_build_object(
            'o', current_setting('application_name'),
            't', 'interest',
            'id', NEW.id,
            'n', NEW.need_id,
            'u', (extract(epoch FROM coalesce(NEW.reviewed_at, NEW.created_at)) * 1000000)::bigint)::text);
    ELSE
        PERFORM pg_notify('iurhub_changes', json_build_object(
            'o', current_setting('application_name'),
            't', 'message',
            'id', NEW.id,
            'p', NEW.thread_id)::text);
    END IF;
    RETURN NULL;
END
$$"#;

const INDEX: &str = "ix_matches_updated_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Alias::new("matches"))
                    .col(Alias::new("updated_at"))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(PG_FUNCTION).await?;
        for (table, events, kind) in ANNOUNCED {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER iurhub_notify_docking AFTER {events} ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION iurhub_notify_docking('{kind}')"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            for (table, _, _) in ANNOUNCED {
                db.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS iurhub_notify_docking ON {table}"
                ))
                .await?;
            }
            db.execute_unprepared("DROP FUNCTION IF EXISTS iurhub_notify_docking()")
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("matches"))
                    .to_owned(),
            )
            .await
    }
}
