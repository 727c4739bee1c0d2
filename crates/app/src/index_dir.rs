//! The search index kept on disk, reopened at start when it is current
//! instead of rebuilt from every row.
//!
//! The directory holds the tantivy indexes (`index/`, every change written
//! to the files before the write that made it returns), a `manifest.json`
//! and a `lock`. A change is not forced to stable storage on its own (that
//! took several `fsync`s per created need): before the manifest is written,
//! the whole index is ([`iurhub_matching::SearchIndex::sync`]). So a crashed
//! process loses nothing, and a crashed machine loses at most what came
//! after the last manifest. The manifest is written only once the index is
//! complete (after a rebuild, or a reopening and its catch-up) and names:
//! - `format`: [`iurhub_matching::index::FORMAT`], the version of the schema
//!   and the analysis;
//! - `database`: the token of the database it was built from
//!   ([`iurhub_store::Store::database_id`]);
//! - `complete_at`: a moment such that every row version committed before it
//!   is in the index on disk. At start it is taken before the rows are read;
//!   while the server runs it moves forward ([`checkpoint`], every minute and
//!   at a clean shutdown): on SQLite to the present (this server is the only
//!   writer while it runs, and it indexes each of its writes before the
//!   write returns); on PostgreSQL to the start of the replica's last
//!   successful poll for other replicas' writes (everything committed
//!   before it was applied, [`crate::replication`]). A failed index write
//!   stops it for good: the manifest is removed and the next start
//!   rebuilds;
//! - `boot`: the operating system's boot (Linux's `boot_id`) it was written
//!   in, and `clean`: whether it was written at a clean stop, after which
//!   nothing more was written to the index.
//!
//! At start the index is reopened only when the manifest exists, its
//! format and database are this build's and this database's, and either
//! the machine has not restarted since it was written or it was written at
//! a clean stop (otherwise changes after it may be half on disk). It is then
//! caught up: every need, capability and talent profile with `updated_at`
//! after `complete_at` less an overlap is read and indexed again — on
//! PostgreSQL [`POLL_OVERLAP`], the margin the replicas poll with (a
//! transaction that commits after it stamped its rows, a writer whose clock
//! is behind); on SQLite [`SQLITE_OVERLAP`] (writers share this machine's
//! clock and commit a write within milliseconds of stamping it). That takes
//! in what other processes wrote while this one was down, and what this one
//! wrote after its last checkpoint if it crashed. Rows are never deleted: when the index then holds another
//! number of documents of a kind than the database rows, it missed some
//! (rows stamped in the past by an import, say) and is rebuilt. Otherwise
//! the manifest is written again with the new `complete_at`.
//!
//! A rebuild first removes the manifest, so a crash during it leaves no
//! index that would be reopened. The `lock` (an OS file lock, released when
//! the process ends) keeps a second server from using the same directory:
//! that one keeps its index in memory.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use iurhub_matching::{DocKind, SearchIndex};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::matching::{capability_doc, need_doc, talent_doc};
use crate::replication::POLL_OVERLAP;

const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";
const INDEX: &str = "index";
/// The overlap of the catch-up on SQLite (see the module documentation).
pub const SQLITE_OVERLAP: std::time::Duration = std::time::Duration::from_secs(5);
/// How often a running server moves `complete_at` forward.
pub const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(60);
/// How long a start waits for the directory's lock.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// Most rows read at once during a catch-up.
const BATCH: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    database: String,
    complete_at: DateTime<Utc>,
    #[serde(default)]
    boot: Option<String>,
    #[serde(default)]
    clean: bool,
}

impl Manifest {
    /// The manifest of an index of this build and `database`, complete at
    /// `complete_at`, written in this boot.
    fn now(database: &str, complete_at: DateTime<Utc>, stop: Stop) -> Manifest {
        Manifest {
            format: iurhub_matching::index::FORMAT,
            database: database.to_owned(),
            complete_at,
            boot: boot_id(),
            clean: stop == Stop::Clean,
        }
    }
}

/// Whether a checkpoint is the last one of a clean stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Running,
    Clean,
}

/// The identity of the operating system's current boot, where it tells
/// one (Linux).
fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
}

/// The search index directory of a server, locked for its lifetime.
pub struct IndexDir {
    path: PathBuf,
    _lock: File,
}

/// A running server's index on disk: its directory, the database it is of,
/// how it was opened and how far it is known complete.
pub struct OnDisk {
    dir: IndexDir,
    database: String,
    opened: Opened,
    postgres: bool,
    /// The start of the last successful poll of other replicas' writes
    /// (PostgreSQL).
    applied_until: std::sync::Mutex<Option<DateTime<Utc>>>,
    /// An index write failed: the index on disk misses a change.
    broken: std::sync::atomic::AtomicBool,
}

impl OnDisk {
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    /// Every change committed before `at` by other replicas was applied.
    pub(crate) fn applied_until(&self, at: DateTime<Utc>) {
        *self.applied_until.lock().expect("index checkpoint lock") = Some(at);
    }

    /// An index write failed.
    pub(crate) fn broken(&self) {
        self.broken
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

/// Forces the index to stable storage and moves the manifest's
/// `complete_at` forward to what is known complete now (see the module
/// documentation); removes the manifest when an index write failed.
/// Nothing without an index on disk, nor when the manifest is gone or names
/// another format or database (removed or edited to force a rebuild).
pub fn checkpoint(app: &App, stop: Stop) {
    let Some(disk) = app.on_disk() else {
        return;
    };
    if disk.broken.load(std::sync::atomic::Ordering::Acquire) {
        if let Err(err) = disk.dir.clear_manifest() {
            tracing::warn!(error = %err, "removing the search index manifest");
        }
        return;
    }
    let known = if disk.postgres {
        *disk.applied_until.lock().expect("index checkpoint lock")
    } else {
        Some(Utc::now())
    };
    // Only a current manifest moves forward: one removed or changed by
    // someone else (to force a rebuild) stays as it is.
    let Some(current) = disk.dir.manifest() else {
        return;
    };
    if current.format != iurhub_matching::index::FORMAT || current.database != disk.database {
        return;
    }
    let complete_at = match (known, stop) {
        (Some(at), _) if at > current.complete_at => at,
        // A clean stop is recorded even when nothing more is known
        // complete (a replica that has not polled yet).
        (_, Stop::Clean) => current.complete_at,
        (_, Stop::Running) => return,
    };
    let manifest = Manifest::now(&disk.database, complete_at, stop);
    // Everything the manifest will vouch for is on stable storage first.
    if let Err(err) = app.index.sync() {
        tracing::warn!(error = %err, "forcing the search index to disk");
        return;
    }
    if let Err(err) = disk.dir.write_manifest(&manifest) {
        tracing::warn!(error = %err, "writing the search index manifest");
    }
}

/// Checkpoints every [`CHECKPOINT_EVERY`] until `closing` turns `true`.
pub fn spawn_checkpoints(app: &App, mut closing: tokio::sync::watch::Receiver<bool>) {
    if app.on_disk().is_none() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.tick().await;
        loop {
            tokio::select! {
                _ = closing.wait_for(|c| *c) => return,
                _ = tick.tick() => checkpoint(&app, Stop::Running),
            }
        }
    });
}

/// How the index was made ready at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Reopened from disk; `caught_up` rows changed since were indexed
    /// again.
    Reopened { caught_up: usize },
    /// Built from every row; `reason` says why it was not reopened.
    Rebuilt { reason: String },
}

impl IndexDir {
    /// Locks `path` (created if missing); `None` when another process (or
    /// application) still holds it after [`LOCK_WAIT`] (a server restarted
    /// in place waits for the old one to let go).
    pub async fn lock(path: &Path) -> anyhow::Result<Option<IndexDir>> {
        std::fs::create_dir_all(path)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path.join(LOCK))?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match lock.try_lock() {
                Ok(()) => {
                    return Ok(Some(IndexDir {
                        path: path.to_owned(),
                        _lock: lock,
                    }));
                }
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(err)) => return Err(err.into()),
            }
        }
    }

    fn index_path(&self) -> PathBuf {
        self.path.join(INDEX)
    }

    /// The manifest, if there is one that parses.
    fn manifest(&self) -> Option<Manifest> {
        let text = std::fs::read_to_string(self.path.join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the manifest durably: a temporary file synced, renamed over
    /// the old one, the directory synced.
    fn write_manifest(&self, manifest: &Manifest) -> std::io::Result<()> {
        let tmp = self.path.join(format!("{MANIFEST}.tmp"));
        let mut file = File::create(&tmp)?;
        file.write_all(serde_json::to_string_pretty(manifest)?.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, self.path.join(MANIFEST))?;
        File::open(&self.path)?.sync_all()
    }

    /// Removes the manifest: the index is not reopened at the next start.
    fn clear_manifest(&self) -> std::io::Result<()> {
        match std::fs::remove_file(self.path.join(MANIFEST)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        File::open(&self.path)?.sync_all()
    }

    /// Removes the manifest and the index (before a rebuild).
    fn clear(&self) -> std::io::Result<()> {
        self.clear_manifest()?;
        match std::fs::remove_dir_all(self.index_path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The index to reopen, with the moment it was complete, or why there
    /// is none.
    fn reopenable(&self, database: &str) -> Result<(SearchIndex, DateTime<Utc>), String> {
        let Some(manifest) = self.manifest() else {
            return Err("no complete index on disk".into());
        };
        if manifest.format != iurhub_matching::index::FORMAT {
            return Err(format!(
                "index format {} on disk, {} wanted",
                manifest.format,
                iurhub_matching::index::FORMAT
            ));
        }
        if manifest.database != database {
            return Err("the index on disk was built from another database".into());
        }
        if !manifest.clean && (manifest.boot.is_none() || manifest.boot != boot_id()) {
            return Err(
                "the machine restarted since the index was last written without a clean stop"
                    .into(),
            );
        }
        let index = SearchIndex::open_in_dir(&self.index_path())
            .map_err(|e| format!("the index on disk cannot be opened: {e}"))?;
        Ok((index, manifest.complete_at))
    }
}

/// The search index of `dir` for the database of `app`'s store: reopened
/// and caught up when current, else rebuilt; with the ranking profiles
/// loaded. `make` turns the index into the application (its other parts do
/// not depend on it).
pub(crate) async fn open(
    dir: IndexDir,
    make: impl Fn(SearchIndex) -> App,
    store: &iurhub_store::Store,
) -> anyhow::Result<(App, OnDisk)> {
    let database = store.database_id().await?;
    let postgres = iurhub_store::db::is_postgres(store.connection());
    let overlap = if postgres {
        POLL_OVERLAP
    } else {
        SQLITE_OVERLAP
    };
    let on_disk = |dir, database, opened| OnDisk {
        dir,
        database,
        opened,
        postgres,
        applied_until: std::sync::Mutex::new(None),
        broken: std::sync::atomic::AtomicBool::new(false),
    };
    // Before anything is read: what is committed after this is read again
    // at the next start.
    let started_at = Utc::now();
    let reason = match dir.reopenable(&database) {
        Ok((index, complete_at)) => {
            let app = make(index);
            match catch_up(&app, complete_at - overlap).await {
                Ok(Some(caught_up)) => {
                    crate::profiles::load(&app).await.map_err(message)?;
                    app.index.sync()?;
                    dir.write_manifest(&Manifest::now(&database, started_at, Stop::Running))?;
                    let disk = on_disk(dir, database, Opened::Reopened { caught_up });
                    return Ok((app, disk));
                }
                Ok(None) => "the index on disk misses rows".to_owned(),
                Err(err) => format!("catching up failed: {}", err.message()),
            }
            // `app` and its index are dropped here, before the directory is
            // cleared.
        }
        Err(reason) => reason,
    };
    dir.clear()?;
    let index = SearchIndex::open_in_dir(&dir.index_path())
        .map_err(|e| anyhow::anyhow!("creating the search index: {e}"))?;
    let app = make(index);
    crate::matching::rebuild(&app).await.map_err(message)?;
    app.index.sync()?;
    dir.write_manifest(&Manifest::now(&database, started_at, Stop::Running))?;
    Ok((app, on_disk(dir, database, Opened::Rebuilt { reason })))
}

fn message(err: AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", err.message())
}

/// Indexes again every row changed after `since`; `None` when the index
/// then holds another number of documents than the database has rows.
async fn catch_up(app: &App, since: DateTime<Utc>) -> AppResult<Option<usize>> {
    let started = Instant::now();
    let store = &app.store;
    let changed = store.changed_ids_since(since).await?;
    let mut docs = Vec::new();
    for ids in changed.needs.chunks(BATCH) {
        docs.extend(store.needs_by_ids(ids).await?.iter().map(need_doc));
    }
    for ids in changed.capabilities.chunks(BATCH) {
        docs.extend(
            store
                .capabilities_by_ids(ids)
                .await?
                .iter()
                .map(capability_doc),
        );
    }
    for ids in changed.talents.chunks(BATCH) {
        docs.extend(store.talents_by_ids(ids).await?.iter().map(talent_doc));
    }
    if !docs.is_empty() {
        app.index.upsert(docs).map_err(AppError::internal)?;
    }
    let rows = store.row_counts().await?;
    let index = &app.index;
    let held = [
        (DocKind::Need, rows.needs),
        (DocKind::Capability, rows.capabilities),
        (DocKind::Talent, rows.talents),
    ];
    for (kind, rows) in held {
        let docs = index.count(kind) as u64;
        if docs != rows {
            tracing::warn!(
                kind = ?kind,
                documents = docs,
                rows,
                "the search index on disk does not hold every row; rebuilding it"
            );
            return Ok(None);
        }
    }
    tracing::debug!(
        rows = changed.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "search index caught up"
    );
    Ok(Some(changed.len()))
}
