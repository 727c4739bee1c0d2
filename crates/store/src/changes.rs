//! Changes made by other processes on the same PostgreSQL database.
//!
//! Triggers (migration 8) send a notification on the channel [`CHANNEL`] at
//! the commit of every write of a need, capability or talent profile and of
//! every new project event, naming the writer by its `application_name`
//! ([`crate::db::application_name`]), and (migration 15) at every write of
//! users, memberships and organisations ([`Change::Access`]), and
//! (migration 26) at every decision on a match, interest expressed or
//! reviewed and message posted, and (migration 27) at every notification
//! written.
//! [`ChangeListener`] receives them; the
//! `changed_since` / `log_since` queries find the same changes
//! again by polling, for when notifications were missed. SQLite has neither
//! (one server per database file).

use chrono::{DateTime, Utc};
use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use serde::Deserialize;

use crate::{Store, StoreError, StoreResult};

/// The notification channel of the triggers.
pub const CHANNEL: &str = "iurhub_changes";

/// One committed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// A need was created or updated; `stamp` is its `updated_at` in
    /// microseconds since 1970 (what tells one version from the next).
    Need {
        id: i64,
        stamp: i64,
    },
    Capability {
        id: i64,
        stamp: i64,
    },
    Talent {
        id: i64,
        stamp: i64,
    },
    /// A project event was logged.
    ProjectEvent {
        id: i64,
        project_id: i64,
    },
    /// A side decided on a match (migration 26): the pair's row was
    /// written; `stamp` is its `updated_at` in microseconds.
    Match {
        id: i64,
        need_id: i64,
        capability_id: i64,
        stamp: i64,
    },
    /// An interest in a need was expressed or reviewed (migration 26);
    /// `stamp` is when it was reviewed, else when it was expressed, in
    /// microseconds.
    Interest {
        id: i64,
        need_id: i64,
        stamp: i64,
    },
    /// A message was posted in a conversation (migration 26).
    Message {
        id: i64,
        thread_id: i64,
    },
    /// A notification was written for a user (migration 27).
    Notification {
        id: i64,
        user_id: i64,
    },
    /// Users, memberships or organisations were written (migration 15):
    /// callers kept between requests are out of date. `version` is the new
    /// [`Store::access_version`].
    Access {
        version: i64,
    },
}

/// The append-only tables the replicas follow by id: rows are only ever
/// added, so the ids handled tell what is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Log {
    /// `project_events`, by project.
    ProjectEvents,
    /// `thread_messages`, by conversation (migration 26).
    Messages,
    /// `notifications`, by user (migration 27).
    Notifications,
}

impl Log {
    /// The table and the column naming what a row belongs to.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Log::ProjectEvents => ("project_events", "project_id"),
            Log::Messages => ("thread_messages", "thread_id"),
            Log::Notifications => ("notifications", "user_id"),
        }
    }

    /// The change of row `id` of this log, which belongs to `parent`.
    fn change(self, id: i64, parent: i64) -> Change {
        match self {
            Log::ProjectEvents => Change::ProjectEvent {
                id,
                project_id: parent,
            },
            Log::Messages => Change::Message {
                id,
                thread_id: parent,
            },
            Log::Notifications => Change::Notification {
                id,
                user_id: parent,
            },
        }
    }

    /// The log a change is a row of, with the row's id.
    pub fn of(change: &Change) -> Option<(Log, i64)> {
        match *change {
            Change::ProjectEvent { id, .. } => Some((Log::ProjectEvents, id)),
            Change::Message { id, .. } => Some((Log::Messages, id)),
            Change::Notification { id, .. } => Some((Log::Notifications, id)),
            _ => None,
        }
    }
}

/// A notified change and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The `application_name` of the writing connection.
    pub origin: String,
    pub change: Change,
}

#[derive(Deserialize)]
struct Payload {
    o: String,
    t: String,
    #[serde(default)]
    id: i64,
    u: Option<i64>,
    p: Option<i64>,
    v: Option<i64>,
    n: Option<i64>,
    c: Option<i64>,
}

impl Notice {
    /// Reads a trigger's payload; `None` for anything else.
    pub fn parse(payload: &str) -> Option<Notice> {
        let p: Payload = serde_json::from_str(payload).ok()?;
        let change = match (p.t.as_str(), p.u, p.p) {
            ("need", Some(stamp), _) => Change::Need { id: p.id, stamp },
            ("capability", Some(stamp), _) => Change::Capability { id: p.id, stamp },
            ("talent", Some(stamp), _) => Change::Talent { id: p.id, stamp },
            ("project_event", _, Some(project_id)) => Change::ProjectEvent {
                id: p.id,
                project_id,
            },
            ("access", _, _) => Change::Access { version: p.v? },
            ("match", Some(stamp), _) => Change::Match {
                id: p.id,
                need_id: p.n?,
                capability_id: p.c?,
                stamp,
            },
            ("interest", Some(stamp), _) => Change::Interest {
                id: p.id,
                need_id: p.n?,
                stamp,
            },
            ("message", _, Some(thread_id)) => Change::Message {
                id: p.id,
                thread_id,
            },
            ("notification", _, Some(user_id)) => Change::Notification { id: p.id, user_id },
            _ => return None,
        };
        Some(Notice {
            origin: p.o,
            change,
        })
    }
}

/// `LISTEN iurhub_changes` on a connection of its own (outside the
/// database pool, so requests never wait for it).
pub struct ChangeListener(PgListener);

impl ChangeListener {
    /// Connects and listens. PostgreSQL only.
    pub async fn connect(db: &DatabaseConnection) -> Result<ChangeListener, DbErr> {
        let options = db.get_postgres_connection_pool().connect_options();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect_with((*options).clone())
            .await
            .map_err(conn_err)?;
        let mut listener = PgListener::connect_with(&pool).await.map_err(conn_err)?;
        // Losing the connection is reported (`Ok(None)`) before anything
        // reconnects: the caller reconnects and catches up itself.
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await.map_err(conn_err)?;
        Ok(ChangeListener(listener))
    }

    /// The next change; `Ok(None)` when the connection was lost (changes
    /// committed until a new listener connects are never notified to it).
    /// Payloads that are not a trigger's are skipped.
    pub async fn recv(&mut self) -> Result<Option<Notice>, DbErr> {
        loop {
            let Some(notification) = self.0.try_recv().await.map_err(conn_err)? else {
                return Ok(None);
            };
            match Notice::parse(notification.payload()) {
                Some(notice) => return Ok(Some(notice)),
                None => tracing::warn!(
                    payload = notification.payload(),
                    "ignored a change notification that is not understood"
                ),
            }
        }
    }
}

fn conn_err(err: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(err)))
}

impl Store {
    /// The version of the users, memberships and organisations: one more at
    /// every committed write of them, by any process (migration 15). Both
    /// backends.
    pub async fn access_version(&self) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT version FROM access_version WHERE id = 1",
            ))
            .await?;
        Ok(match row {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        })
    }
}

/// `updated_at` in microseconds, exactly as the triggers compute it.
const STAMP: &str = "(extract(epoch FROM updated_at) * 1000000)::bigint";

impl Store {
    /// Needs, capabilities and talent profiles with `updated_at` after
    /// `since`, decisions on matches (`updated_at`) and interests expressed
    /// or reviewed after it (migration 26), as changes. PostgreSQL only.
    pub async fn changed_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<Change>> {
        let sql = format!(
            "SELECT 'need', id, NULL::bigint, NULL::bigint, {STAMP} FROM tech_needs WHERE updated_at > $1 \
             UNION ALL SELECT 'capability', id, NULL, NULL, {STAMP} FROM research_capabilities WHERE updated_at > $1 \
             UNION ALL SELECT 'talent', id, NULL, NULL, {STAMP} FROM talent_profiles WHERE updated_at > $1 \
             UNION ALL SELECT 'match', id, need_id, capability_id, {STAMP} FROM matches WHERE updated_at > $1 \
             UNION ALL SELECT 'interest', id, need_id, NULL, \
               (extract(epoch FROM coalesce(reviewed_at, created_at)) * 1000000)::bigint \
             FROM interests WHERE created_at > $1 OR reviewed_at > $1"
        );
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                [since.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get_by_index(0)?;
                let id: i64 = row.try_get_by_index(1)?;
                let need_id: Option<i64> = row.try_get_by_index(2)?;
                let capability_id: Option<i64> = row.try_get_by_index(3)?;
                let stamp: i64 = row.try_get_by_index(4)?;
                Ok(match (kind.as_str(), need_id, capability_id) {
                    ("need", _, _) => Change::Need { id, stamp },
                    ("capability", _, _) => Change::Capability { id, stamp },
                    ("match", Some(need_id), Some(capability_id)) => Change::Match {
                        id,
                        need_id,
                        capability_id,
                        stamp,
                    },
                    ("interest", Some(need_id), _) => Change::Interest { id, need_id, stamp },
                    _ => Change::Talent { id, stamp },
                })
            })
            .collect::<Result<_, DbErr>>()
            .map_err(StoreError::from)
    }

    /// The rows of `log` with an id above `after`, oldest first, at most
    /// `limit`, as changes.
    pub async fn log_since(&self, log: Log, after: i64, limit: u64) -> StoreResult<Vec<Change>> {
        let (table, parent) = log.table();
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                format!("SELECT id, {parent} FROM {table} WHERE id > $1 ORDER BY id LIMIT $2"),
                [after.into(), (limit as i64).into()],
            ))
            .await?;
        rows.iter()
            .map(|row| Ok(log.change(row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
            .collect::<Result<_, DbErr>>()
            .map_err(StoreError::from)
    }

    /// The newest id of `log` (0 while it is empty).
    pub async fn newest_in_log(&self, log: Log) -> StoreResult<i64> {
        let (table, _) = log.table();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
            ))
            .await?;
        Ok(match row {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_payloads_parse() {
        assert_eq!(
            Notice::parse(
                r#"{"o" : "iurhub/00ab", "t" : "capability", "id" : 7, "u" : 1764066249820982}"#
            ),
            Some(Notice {
                origin: "iurhub/00ab".into(),
                change: Change::Capability {
                    id: 7,
                    stamp: 1_764_066_249_820_982
                }
            })
        );
        assert_eq!(
            Notice::parse(r#"{"o" : "", "t" : "project_event", "id" : 12, "p" : 3}"#)
                .map(|n| n.change),
            Some(Change::ProjectEvent {
                id: 12,
                project_id: 3
            })
        );
        assert_eq!(
            Notice::parse(r#"{"o" : "iurhub/01", "t" : "access", "v" : 41}"#).map(|n| n.change),
            Some(Change::Access { version: 41 })
        );
        assert_eq!(
            Notice::parse(
                r#"{"o": "iurhub/02", "t": "match", "id": 4, "n": 9, "c": 11, "u": 1764066249820982}"#
            )
            .map(|n| n.change),
            Some(Change::Match {
                id: 4,
                need_id: 9,
                capability_id: 11,
                stamp: 1_764_066_249_820_982
            })
        );
        assert_eq!(
            Notice::parse(r#"{"o": "", "t": "interest", "id": 5, "n": 9, "u": 7}"#)
                .map(|n| n.change),
            Some(Change::Interest {
                id: 5,
                need_id: 9,
                stamp: 7
            })
        );
        assert_eq!(
            Notice::parse(r#"{"o": "", "t": "message", "id": 6, "p": 2}"#).map(|n| n.change),
            Some(Change::Message {
                id: 6,
                thread_id: 2
            })
        );
        assert_eq!(
            Notice::parse(r#"{"o": "", "t": "notification", "id": 8, "p": 3}"#).map(|n| n.change),
            Some(Change::Notification { id: 8, user_id: 3 })
        );
        assert_eq!(
            Notice::parse(r#"{"o": "", "t": "match", "id": 4, "u": 1}"#),
            None
        );
        assert_eq!(Notice::parse(r#"{"o": "", "t": "access"}"#), None);
        assert_eq!(Notice::parse(r#"{"o": "", "t": "need", "id": 1}"#), None);
        assert_eq!(Notice::parse("not json"), None);
    }
}

/// The rows changed since a moment, by kind (see
/// [`Store::changed_ids_since`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedIds {
    pub needs: Vec<i64>,
    pub capabilities: Vec<i64>,
    pub talents: Vec<i64>,
}

impl ChangedIds {
    pub fn len(&self) -> usize {
        self.needs.len() + self.capabilities.len() + self.talents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How many rows of each indexed kind the database holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub needs: u64,
    pub capabilities: u64,
    pub talents: u64,
}

impl Store {
    /// The ids of needs, capabilities and talent profiles with `updated_at`
    /// after `since`. Both backends (the catch-up of a search index reopened
    /// at start).
    pub async fn changed_ids_since(&self, since: DateTime<Utc>) -> StoreResult<ChangedIds> {
        use crate::entities::{research_capabilities, talent_profiles, tech_needs};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        let needs: Vec<i64> = tech_needs::Entity::find()
            .select_only()
            .column(tech_needs::Column::Id)
            .filter(tech_needs::Column::UpdatedAt.gt(since))
            .into_tuple()
            .all(&self.db)
            .await?;
        let capabilities: Vec<i64> = research_capabilities::Entity::find()
            .select_only()
            .column(research_capabilities::Column::Id)
            .filter(research_capabilities::Column::UpdatedAt.gt(since))
            .into_tuple()
            .all(&self.db)
            .await?;
        let talents: Vec<i64> = talent_profiles::Entity::find()
            .select_only()
            .column(talent_profiles::Column::Id)
            .filter(talent_profiles::Column::UpdatedAt.gt(since))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(ChangedIds {
            needs,
            capabilities,
            talents,
        })
    }

    /// How many needs, capabilities and talent profiles there are (rows are
    /// never deleted: an index holding fewer documents misses some).
    pub async fn row_counts(&self) -> StoreResult<RowCounts> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT (SELECT COUNT(*) FROM tech_needs), \
                 (SELECT COUNT(*) FROM research_capabilities), \
                 (SELECT COUNT(*) FROM talent_profiles)",
            ))
            .await?;
        let Some(row) = row else {
            return Ok(RowCounts::default());
        };
        let count = |i: usize| -> StoreResult<u64> {
            let n: i64 = row.try_get_by_index(i)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(RowCounts {
            needs: count(0)?,
            capabilities: count(1)?,
            talents: count(2)?,
        })
    }

    /// The token naming this database (migration 16), written by the first
    /// caller that finds none; every later call, by any process, reads the
    /// same.
    pub async fn database_id(&self) -> StoreResult<String> {
        let backend = self.db.get_database_backend();
        let read = "SELECT token FROM database_identity WHERE id = 1";
        if let Some(row) = self
            .db
            .query_one_raw(Statement::from_string(backend, read))
            .await?
        {
            return Ok(row.try_get_by_index(0)?);
        }
        let token = {
            use rand::RngCore as _;
            let mut bytes = [0u8; 16];
            rand::rng().fill_bytes(&mut bytes);
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let insert = match backend {
            DbBackend::Postgres => {
                "INSERT INTO database_identity (id, token) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"
            }
            _ => {
                "INSERT INTO database_identity (id, token) VALUES (1, ?) ON CONFLICT (id) DO NOTHING"
            }
        };
        self.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                insert,
                [token.into()],
            ))
            .await?;
        let row = self
            .db
            .query_one_raw(Statement::from_string(backend, read))
            .await?
            .ok_or_else(|| {
                StoreError::Database(DbErr::RecordNotFound("database_identity".into()))
            })?;
        Ok(row.try_get_by_index(0)?)
    }
}
