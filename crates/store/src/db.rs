//! Connecting to the database and keeping its schema current.

use std::sync::OnceLock;
use std::time::Duration;

use iurhub_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, Connection as _};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// How long a SQLite writer waits for the write lock before giving up
/// (`SQLITE_BUSY`, answered 503): far longer than any write transaction
/// takes, well below the request timeout.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of a SQLite file its connections read through memory-mapped
/// I/O instead of `read` calls. Each connection's page cache is small (2 MiB
/// by default) and private, so a read touching scattered rows of a large
/// file copied the same pages from the kernel again and again; mapped, the
/// connections share the kernel's cache without a copy. Address space, not
/// memory: pages are loaded as they are read. Mapped reads of a file whose
/// disk fails stop the process (SIGBUS) instead of answering an I/O error.
pub const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// Opens a pool on `url` (`sqlite://…` or `postgres://…`).
///
/// SQLite files run in WAL mode with foreign keys on and a busy timeout, so
/// readers never block the writer and concurrent writers wait instead of
/// failing — provided write transactions begin with [`begin_write`] — and
/// are read through memory maps ([`SQLITE_MMAP_BYTES`]).
/// PostgreSQL connections carry this process's [`application_name`], which
/// the change notifications name as their origin.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                .create_if_missing(true)
        })
        .map_sqlx_postgres_opts(|o: PgConnectOptions| o.application_name(application_name()));
    match Database::connect(options).await {
        Err(DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))
            if matches!(*e, sqlx::Error::PoolTimedOut) && url.starts_with("postgres") =>
        {
            // The pool retried a refused connection until its timeout and
            // kept only "pool timed out": one direct attempt (as long at
            // most) names the cause (connection refused, unknown host, …)
            // for the operator.
            let cause = match url.parse::<PgConnectOptions>() {
                Ok(options) => tokio::time::timeout(
                    Duration::from_secs(5),
                    PgConnection::connect_with(&options),
                )
                .await
                .ok()
                .and_then(Result::err),
                Err(e) => Some(e),
            };
            Err(conn_err(cause.unwrap_or(sqlx::Error::PoolTimedOut)))
        }
        other => other,
    }
}

/// Begins a transaction that writes: `BEGIN IMMEDIATE` on SQLite, a plain
/// `BEGIN` on PostgreSQL.
///
/// SQLite's default, `BEGIN DEFERRED`, starts as a reader and asks for the
/// write lock at the first write; when another connection committed a write
/// in between, the snapshot is stale and SQLite fails at once with
/// `SQLITE_BUSY` ("database is locked") without calling the busy handler, so
/// concurrent writers failed instead of waiting. `IMMEDIATE` takes the write
/// lock up front, where the busy timeout applies: writers take turns. Every
/// write transaction of the store begins here (see [`crate::Store::write`]);
/// a read-only transaction would needlessly serialise with the writers.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        // Ignored by sea-orm on PostgreSQL, whose writers wait on row locks.
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// A connection of its own to the PostgreSQL server, apart from the pool,
/// that tells whether the server is down. The pool cannot: it retries a
/// refused connection until its acquire timeout (so every request would wait
/// that long), and its timeouts also mean "every connection is busy".
pub struct Probe {
    options: std::sync::Arc<PgConnectOptions>,
    conn: Option<PgConnection>,
}

/// What [`Probe::check`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// The server answered (perhaps with a refusal that does not mean it is
    /// down: too many clients, a database closed to connections, a wrong
    /// password — the pool's own errors tell the requests those at once).
    Up,
    /// The server refused or reset the connection, or said it is shutting
    /// down or starting up; with the error.
    Down(String),
    /// No answer within the limit: a server that is down, or one that is
    /// only slow (a busy machine); the caller keeps what it knew.
    Silent,
}

impl Probe {
    /// `None` on SQLite: a file inside the process is never "down".
    pub fn new(db: &DatabaseConnection) -> Option<Probe> {
        is_postgres(db).then(|| Probe {
            options: db.get_postgres_connection_pool().connect_options(),
            conn: None,
        })
    }

    /// `SELECT 1` on the probe's connection; when that fails, a new
    /// connection, which tells: each step within `limit`.
    pub async fn check(&mut self, limit: Duration) -> Health {
        if let Some(conn) = self.conn.as_mut() {
            if matches!(tokio::time::timeout(limit, conn.ping()).await, Ok(Ok(()))) {
                return Health::Up;
            }
            // Lost, or too slow: dropped without a goodbye (the server may be gone).
            self.conn = None;
        }
        match tokio::time::timeout(limit, PgConnection::connect_with(&self.options)).await {
            Ok(Ok(conn)) => {
                self.conn = Some(conn);
                Health::Up
            }
            Ok(Err(err)) => {
                let down = match &err {
                    sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) => true,
                    // admin_shutdown, crash_shutdown, cannot_connect_now.
                    sqlx::Error::Database(e) => {
                        matches!(e.code().as_deref(), Some("57P01" | "57P02" | "57P03"))
                    }
                    _ => false,
                };
                if down {
                    Health::Down(err.to_string())
                } else {
                    Health::Up
                }
            }
            Err(_) => Health::Silent,
        }
    }
}

/// The PostgreSQL `application_name` of this process's connections:
/// `iurhub/` and 12 random hex digits, new at every start. It tells the
/// processes that share a database apart (in `pg_stat_activity` too).
pub fn application_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        // std seeds every RandomState from the operating system.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        format!("iurhub/{:012x}", hasher.finish() & 0xffff_ffff_ffff)
    })
}

/// Applies every pending migration; on PostgreSQL under the migration lock,
/// so processes starting at once on an empty database take turns.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let lock = MigrationLock::acquire(db).await?;
    let result = Migrator::up(db, None).await;
    lock.release().await;
    result
}

/// The key of the session-level advisory lock held while migrating
/// (the bytes of "iurhubmi").
pub const MIGRATION_LOCK_KEY: i64 = 0x6975_7268_7562_6d69;

/// PostgreSQL: `pg_advisory_lock` held on a connection of its own (not one of
/// the pool's, so a pool of one still migrates). Released by
/// [`MigrationLock::release`], or by PostgreSQL when the process dies. On
/// SQLite, whose writers are serialised anyway, nothing.
pub struct MigrationLock(Option<PgConnection>);

impl MigrationLock {
    pub async fn acquire(db: &DatabaseConnection) -> Result<MigrationLock, DbErr> {
        if !is_postgres(db) {
            return Ok(MigrationLock(None));
        }
        let options = db.get_postgres_connection_pool().connect_options();
        let mut conn = PgConnection::connect_with(&options)
            .await
            .map_err(conn_err)?;
        let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(MIGRATION_LOCK_KEY)
            .fetch_one(&mut conn)
            .await
            .map_err(conn_err)?;
        if !free {
            tracing::info!("another process is migrating the database; waiting for it");
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut conn)
                .await
                .map_err(conn_err)?;
        }
        Ok(MigrationLock(Some(conn)))
    }

    /// Unlocks and closes the connection (best-effort: closing it unlocks too).
    pub async fn release(self) {
        if let Some(mut conn) = self.0 {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
        }
    }
}

fn conn_err(err: sqlx::Error) -> DbErr {
    DbErr::Conn(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(err)))
}

/// Checks that the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Whether `db` is PostgreSQL (else SQLite).
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DatabaseBackend::Postgres
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SQLite file of its own, removed at the end.
    struct TempFile(std::path::PathBuf);

    impl Drop for TempFile {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.0.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }

    async fn count(db: &DatabaseConnection) -> i64 {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Two write transactions that read before they write: the second waits
    /// for the first instead of failing with "database is locked"; a lock
    /// held past the busy timeout is "unavailable" (503), not an internal
    /// error.
    #[tokio::test]
    async fn sqlite_writers_take_turns() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let file = TempFile(
            std::env::temp_dir().join(format!("iurhub-writers-{}-{nanos}.db", std::process::id())),
        );
        let url = format!("sqlite://{}?mode=rwc", file.0.display());
        let db = connect(&url, 3).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .unwrap();

        let first = begin_write(&db).await.unwrap();
        assert_eq!(count(&db).await, 0);
        let second = tokio::spawn({
            let db = db.clone();
            async move {
                let txn = begin_write(&db).await?;
                let n: i64 = txn
                    .query_one_raw(sea_orm::Statement::from_string(
                        DatabaseBackend::Sqlite,
                        "SELECT count(*) FROM t",
                    ))
                    .await?
                    .expect("a row")
                    .try_get_by_index(0)?;
                txn.execute_unprepared(&format!("INSERT INTO t VALUES ({n})"))
                    .await?;
                txn.commit().await
            }
        });
        first
            .execute_unprepared("INSERT INTO t VALUES (0)")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!second.is_finished(), "the second writer waits its turn");

        // Meanwhile a writer that may not wait gives up: unavailable.
        let mut options = ConnectOptions::new(url.clone());
        options
            .max_connections(1)
            .map_sqlx_sqlite_opts(|o: SqliteConnectOptions| o.busy_timeout(Duration::ZERO));
        let impatient = Database::connect(options).await.unwrap();
        let err = begin_write(&impatient)
            .await
            .expect_err("the lock is taken");
        assert!(
            crate::StoreError::from(err).is_unavailable(),
            "SQLITE_BUSY is unavailable"
        );

        first.commit().await.unwrap();
        second.await.unwrap().unwrap();
        let n = db
            .query_one_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT group_concat(n) FROM (SELECT n FROM t ORDER BY n)",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<String>(0)
            .unwrap();
        assert_eq!(n, "0,1", "the second read what the first wrote");
        impatient.close().await.unwrap();
        db.close().await.unwrap();
    }
}
