//! Replicas of one PostgreSQL database kept in step with each other's writes.
//!
//! A server applies its own writes to its search index and announces them to
//! its subscribers as it makes them (the mutations do). Writes of other
//! processes — other replicas, `iurhub import` — reach it as
//! [changes](iurhub_store::changes): at once through the notifications that
//! database triggers send at every commit, and by polling every
//! `replica_poll_secs`, which also catches up after the listening connection
//! was lost. Each change is applied once: the row is read again, its index
//! document replaced, and the in-process [`Event`] published (a published
//! capability: `CapabilitiesPublished`; a project event: `ProjectChanged`; a
//! decision on a match or an interest: `MatchChanged`; a message:
//! `MessagePosted`), so `matchSuggested`, `projectUpdated`,
//! `myProjectsUpdated`, `matchUpdated` and `messageAdded` subscribers of this
//! replica hear about it. Writes of users, memberships and organisations
//! (migration 15) make this replica forget the callers it keeps
//! ([`crate::caller_cache`]): at once when notified, or when a poll finds
//! `access_version` moved; callers are kept only while listening. Nothing of
//! this runs on SQLite (one server per database file; its callers check the
//! version themselves). docs/OPERATIONS.md "Scaling out" states the
//! guarantees.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use iurhub_domain::CapabilityStatus;
use iurhub_store::changes::{Change, ChangeListener, Log, Notice};
use iurhub_store::db;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::App;
use crate::events::Event;
use crate::matching::{capability_doc, need_doc, talent_doc};

/// How far before the previous poll each poll looks again: a write stamped
/// by its transaction's start that commits this much later, or by a replica
/// whose clock is this much behind, is still found.
pub const POLL_OVERLAP: Duration = Duration::from_secs(60);
/// Notifications arriving this close together are applied at once (the rows
/// of one import arrive together).
const GATHER: Duration = Duration::from_millis(25);
/// Most rows read, or capabilities announced, at once.
const BATCH: usize = 1000;
/// Most missing project event ids watched at once (see [`EventCursor`]).
const MAX_GAP: i64 = 10_000;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Starts following other processes' writes, on PostgreSQL; does nothing on
/// SQLite. `listen`: hear them at once through notifications; polling every
/// `poll` catches up in any case. The tasks end when `closing` turns `true`
/// (or its sender is gone).
pub fn spawn(app: &App, listen_for_changes: bool, poll: Duration, closing: watch::Receiver<bool>) {
    let store = &app.store;
    if !db::is_postgres(store.connection()) {
        return;
    }
    let feed = listen_for_changes.then(|| {
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(listen(app.clone(), tx, closing.clone()));
        rx
    });
    tracing::info!(
        replica = db::application_name(),
        listen = listen_for_changes,
        poll_secs = poll.as_secs(),
        "following the writes of other replicas"
    );
    let replica = Replica {
        app: app.clone(),
        origin: db::application_name(),
        stamps: HashMap::new(),
        cursor: EventCursor::default(),
        messages: EventCursor::default(),
        notifications: EventCursor::default(),
        since: Utc::now() - POLL_OVERLAP,
        access_version: None,
    };
    tokio::spawn(replica.run(feed, poll, closing));
}

/// What the listening task reports.
enum Feed {
    /// Listening (again): changes made while not listening are only found
    /// by a poll.
    Listening,
    Notice(Notice),
}

/// Completes when the server starts shutting down.
async fn closed(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|c| *c).await;
}

/// Holds a `LISTEN` connection, reconnecting with backoff, and forwards
/// every notification.
async fn listen(app: App, tx: mpsc::Sender<Feed>, mut closing: watch::Receiver<bool>) {
    let store = &app.store;
    // Callers are kept only while every change is heard (crate::caller_cache).
    let callers = app.callers.clone();
    let _stopped = ForgetOnDrop(callers.clone());
    let mut backoff = FIRST_BACKOFF;
    loop {
        let connected = tokio::select! {
            () = closed(&mut closing) => return,
            c = ChangeListener::connect(store.connection()) => c,
        };
        let mut listener = match connected {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(
                    error = %err,
                    retry_in_ms = backoff.as_millis() as u64,
                    "cannot listen for other replicas' changes; polling meanwhile"
                );
                tokio::select! {
                    () = closed(&mut closing) => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if backoff > FIRST_BACKOFF {
            tracing::info!("listening for other replicas' changes again");
        }
        backoff = FIRST_BACKOFF;
        callers.set_listening(true);
        if tx.send(Feed::Listening).await.is_err() {
            return;
        }
        loop {
            let next = tokio::select! {
                () = closed(&mut closing) => return,
                n = listener.recv() => n,
            };
            let lost = match next {
                Ok(Some(Notice {
                    change: Change::Access { .. },
                    ..
                })) => {
                    // At once, not after gathering: the next request must not
                    // find the caller as it was. Also for this process's own
                    // writes (which forgot already, if they went through
                    // `App::access_written`): rare, and nothing is missed.
                    callers.forget_all();
                    // An organisation's region is a factor of its
                    // capabilities' rankings.
                    app.organizations_written();
                    continue;
                }
                Ok(Some(notice)) => {
                    if tx.send(Feed::Notice(notice)).await.is_err() {
                        return;
                    }
                    continue;
                }
                Ok(None) => "connection lost".to_owned(),
                Err(err) => err.to_string(),
            };
            callers.set_listening(false);
            tracing::warn!(
                error = lost,
                "stopped hearing other replicas' changes; reconnecting"
            );
            // The first attempt is immediate; failures back off.
            backoff = backoff.max(FIRST_BACKOFF * 2);
            break;
        }
    }
}

/// Stops keeping callers when listening ends (also when the task ends).
struct ForgetOnDrop(std::sync::Arc<crate::caller_cache::CallerCache>);

impl Drop for ForgetOnDrop {
    fn drop(&mut self) {
        self.0.set_listening(false);
    }
}

/// Which kind of row a stamp is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Row {
    Need,
    Capability,
    Talent,
    Match,
    Interest,
}

fn stamped(change: &Change) -> Option<((Row, i64), i64)> {
    match *change {
        Change::Need { id, stamp } => Some(((Row::Need, id), stamp)),
        Change::Capability { id, stamp } => Some(((Row::Capability, id), stamp)),
        Change::Talent { id, stamp } => Some(((Row::Talent, id), stamp)),
        Change::Match { id, stamp, .. } => Some(((Row::Match, id), stamp)),
        Change::Interest { id, stamp, .. } => Some(((Row::Interest, id), stamp)),
        Change::ProjectEvent { .. }
        | Change::Message { .. }
        | Change::Notification { .. }
        | Change::Access { .. } => None,
    }
}

/// Which project events were handled: every id up to `max` except the
/// `gaps`, ids not seen yet (their transaction is still open, or was rolled
/// back), each watched for [`POLL_OVERLAP`] after it was noticed.
#[derive(Debug, Default)]
struct EventCursor {
    max: Option<i64>,
    gaps: BTreeMap<i64, Instant>,
}

impl EventCursor {
    fn is_new(&self, id: i64) -> bool {
        self.max
            .is_none_or(|max| id > max || self.gaps.contains_key(&id))
    }

    fn record(&mut self, id: i64, now: Instant) {
        match self.max {
            Some(max) if id <= max => {
                self.gaps.remove(&id);
            }
            Some(max) => {
                if id - max <= MAX_GAP {
                    self.gaps.extend((max + 1..id).map(|gap| (gap, now)));
                }
                self.max = Some(id);
            }
            None => self.max = Some(id),
        }
    }

    /// The id after which the poll looks: below the oldest gap still
    /// watched; `None` before the first poll.
    fn floor(&mut self, now: Instant) -> Option<i64> {
        self.gaps
            .retain(|_, noticed| now.duration_since(*noticed) < POLL_OVERLAP);
        match self.gaps.keys().next() {
            Some(oldest) => Some(oldest - 1),
            None => self.max,
        }
    }
}

/// The applying side: this replica's view of what it has handled.
struct Replica {
    /// Where changes are applied: the text index, the event hub, the
    /// rankings (forgotten when another replica's project changes: completed
    /// projects count in the track record) and the transports' kept answers.
    app: App,
    /// This process's `application_name`: its own writes are applied when
    /// they are made, not again when notified.
    origin: &'static str,
    /// The newest `updated_at` handled per row (rows changed since
    /// `since`).
    stamps: HashMap<(Row, i64), i64>,
    cursor: EventCursor,
    /// The messages handled, as `cursor` the project events.
    messages: EventCursor,
    /// The notifications handled, likewise.
    notifications: EventCursor,
    /// Where the next poll looks from: the start of the last successful poll
    /// less [`POLL_OVERLAP`].
    since: DateTime<Utc>,
    /// The `access_version` the last poll found.
    access_version: Option<i64>,
}

impl Replica {
    async fn run(
        mut self,
        mut feed: Option<mpsc::Receiver<Feed>>,
        every: Duration,
        mut closing: watch::Receiver<bool>,
    ) {
        // The first tick is immediate: a catch-up from before the start.
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let message = tokio::select! {
                () = closed(&mut closing) => return,
                _ = tick.tick() => {
                    self.poll().await;
                    continue;
                }
                m = next(&mut feed) => m,
            };
            match message {
                // The listening task stopped (only when closing).
                None => feed = None,
                Some(Feed::Listening) => self.poll().await,
                Some(Feed::Notice(first)) => {
                    let (batch, listening_again) = gather(first, feed.as_mut()).await;
                    self.notified(batch).await;
                    if listening_again {
                        self.poll().await;
                    }
                }
            }
        }
    }

    fn is_new(&self, change: &Change) -> bool {
        match change {
            Change::ProjectEvent { id, .. } => self.cursor.is_new(*id),
            Change::Message { id, .. } => self.messages.is_new(*id),
            Change::Notification { id, .. } => self.notifications.is_new(*id),
            _ => stamped(change)
                .is_some_and(|(key, stamp)| self.stamps.get(&key).is_none_or(|seen| *seen < stamp)),
        }
    }

    fn record(&mut self, change: &Change) {
        match stamped(change) {
            Some((key, stamp)) => {
                let seen = self.stamps.entry(key).or_insert(stamp);
                *seen = (*seen).max(stamp);
            }
            None => {
                if let Some((log, id)) = Log::of(change) {
                    self.cursor(log).record(id, Instant::now());
                }
            }
        }
    }

    /// Applies notified changes of other processes; this process's own are
    /// only noted as handled.
    async fn notified(&mut self, batch: Vec<Notice>) {
        let mut fresh = Vec::new();
        for notice in batch {
            if notice.origin == self.origin {
                self.record(&notice.change);
            } else if self.is_new(&notice.change) && !fresh.contains(&notice.change) {
                fresh.push(notice.change);
            }
        }
        self.apply(fresh).await;
    }

    /// Finds the changes of the poll window not handled yet and applies them.
    async fn poll(&mut self) {
        let started = Utc::now();
        // Writes of users, memberships and organisations: kept callers are
        // forgotten when the version moved (notifications tell sooner).
        match self.app.store.access_version().await {
            Ok(version) => {
                self.app.callers.saw_version(version);
                // Organisations were written (a region, the tree of the track
                // records), maybe unheard.
                if self.access_version != Some(version) {
                    self.access_version = Some(version);
                    self.app.organizations_written();
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "polling for other replicas' changes failed; retrying");
                return;
            }
        }
        let mut fresh: Vec<Change> = match self.app.store.changed_since(self.since).await {
            Ok(rows) => rows.into_iter().filter(|c| self.is_new(c)).collect(),
            Err(err) => {
                tracing::warn!(error = %err, "polling for other replicas' changes failed; retrying");
                return;
            }
        };
        for log in [Log::ProjectEvents, Log::Messages, Log::Notifications] {
            match self.log(log).await {
                Ok(rows) => fresh.extend(rows),
                Err(err) => {
                    tracing::warn!(error = %err, ?log, "polling for other replicas' rows failed; retrying");
                    return;
                }
            }
        }
        let found = fresh.len();
        if self.apply(fresh).await {
            // Everything committed before `started` is applied: an index on
            // disk may be reopened from there (crate::index_dir).
            if let Some(disk) = self.app.on_disk() {
                disk.applied_until(started);
            }
            self.since = started - POLL_OVERLAP;
            let oldest = self.since.timestamp_micros();
            self.stamps.retain(|_, stamp| *stamp >= oldest);
            if found > 0 {
                tracing::debug!(changes = found, "applied changes found by polling");
            }
        }
    }

    /// The rows of `log` not handled yet.
    async fn log(&mut self, log: Log) -> iurhub_store::StoreResult<Vec<Change>> {
        let Some(mut after) = self.cursor(log).floor(Instant::now()) else {
            // The first poll: what exists is history, not news.
            let newest = self.app.store.newest_in_log(log).await?;
            self.cursor(log).record(newest, Instant::now());
            return Ok(Vec::new());
        };
        let mut fresh = Vec::new();
        loop {
            let page = self.app.store.log_since(log, after, BATCH as u64).await?;
            let full = page.len() == BATCH;
            for change in page {
                if let Some((_, id)) = Log::of(&change) {
                    after = id;
                }
                if self.is_new(&change) {
                    fresh.push(change);
                }
            }
            if !full {
                return Ok(fresh);
            }
        }
    }

    /// What was handled of `log`.
    fn cursor(&mut self, log: Log) -> &mut EventCursor {
        match log {
            Log::ProjectEvents => &mut self.cursor,
            Log::Messages => &mut self.messages,
            Log::Notifications => &mut self.notifications,
        }
    }

    /// Applies `changes` and notes them as handled; on failure nothing is
    /// noted, so the next poll tries again.
    async fn apply(&mut self, changes: Vec<Change>) -> bool {
        if changes.is_empty() {
            return true;
        }
        match self.publish(&changes).await {
            Ok(()) => {
                for change in &changes {
                    self.record(change);
                }
                true
            }
            Err(err) => {
                tracing::warn!(
                    changes = changes.len(),
                    error = format!("{err:#}"),
                    "could not apply other replicas' changes; the next poll tries again"
                );
                false
            }
        }
    }

    /// Re-reads the changed rows, replaces their index documents and tells
    /// this replica's subscribers.
    async fn publish(&self, changes: &[Change]) -> anyhow::Result<()> {
        let (mut needs, mut capabilities, mut talents) = (Vec::new(), Vec::new(), Vec::new());
        let mut projects: Vec<i64> = Vec::new();
        let mut heard: Vec<Event> = Vec::new();
        for change in changes {
            match *change {
                Change::Match {
                    need_id,
                    capability_id,
                    ..
                } => heard.push(Event::MatchChanged {
                    need_id,
                    capability_id: Some(capability_id),
                    interest_id: None,
                }),
                Change::Interest { id, need_id, .. } => heard.push(Event::MatchChanged {
                    need_id,
                    capability_id: None,
                    interest_id: Some(id),
                }),
                Change::Message { id, thread_id } => heard.push(Event::MessagePosted {
                    thread_id,
                    message_id: id,
                }),
                Change::Notification { id, user_id } => heard.push(Event::NotificationAdded {
                    user_id,
                    notification_id: id,
                }),
                Change::Need { id, .. } => needs.push(id),
                Change::Capability { id, .. } => capabilities.push(id),
                Change::Talent { id, .. } => talents.push(id),
                Change::ProjectEvent { project_id, .. } => {
                    if !projects.contains(&project_id) {
                        projects.push(project_id);
                    }
                }
                // Handled as heard (`listen`).
                Change::Access { .. } => {}
            }
        }
        for ids in [&mut needs, &mut capabilities, &mut talents] {
            ids.sort_unstable();
            ids.dedup();
        }
        let mut docs = Vec::new();
        let mut open_needs = Vec::new();
        for ids in needs.chunks(BATCH) {
            for need in self.app.store.needs_by_ids(ids).await? {
                docs.push(need_doc(&need));
                if need.status == iurhub_domain::NeedStatus::Published {
                    open_needs.push(need.id);
                }
            }
        }
        let mut published = Vec::new();
        for ids in capabilities.chunks(BATCH) {
            for capability in self.app.store.capabilities_by_ids(ids).await? {
                docs.push(capability_doc(&capability));
                if capability.status == CapabilityStatus::Published {
                    published.push(capability.id);
                }
            }
        }
        for ids in talents.chunks(BATCH) {
            docs.extend(
                self.app
                    .store
                    .talents_by_ids(ids)
                    .await?
                    .iter()
                    .map(talent_doc),
            );
        }
        // Marked first: a ranking never finds a new document without its
        // new profile.
        self.app
            .profiles
            .capabilities_changed(capabilities.iter().copied());
        if !talents.is_empty() {
            self.app.profiles.talents_changed(talents.iter().copied());
            self.app.match_cache.invalidate();
        }
        if !docs.is_empty() {
            self.app.index.upsert(docs)?;
        }
        self.app.written();
        for ids in published.chunks(BATCH) {
            self.app.events.publish(Event::CapabilitiesPublished {
                capability_ids: ids.to_vec(),
            });
        }
        for ids in open_needs.chunks(BATCH) {
            self.app.events.publish(Event::NeedsPublished {
                need_ids: ids.to_vec(),
            });
        }
        if !projects.is_empty() {
            // Completed projects count in the track records.
            self.app.organizations_written();
        }
        for project_id in projects {
            self.app
                .events
                .publish(Event::ProjectChanged { project_id });
        }
        // Decisions, interests and messages: each subscriber re-checks what
        // it may see when it hears them.
        for event in heard {
            self.app.events.publish(event);
        }
        Ok(())
    }
}

/// The next message of the listening task; never, without one.
async fn next(feed: &mut Option<mpsc::Receiver<Feed>>) -> Option<Feed> {
    match feed {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// `first` and the notices that follow within [`GATHER`] (at most
/// [`BATCH`]); `true` when the listener reconnected meanwhile.
async fn gather(first: Notice, feed: Option<&mut mpsc::Receiver<Feed>>) -> (Vec<Notice>, bool) {
    let mut batch = vec![first];
    let Some(rx) = feed else {
        return (batch, false);
    };
    let deadline = Instant::now() + GATHER;
    while batch.len() < BATCH {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Feed::Notice(notice))) => batch.push(notice),
            Ok(Some(Feed::Listening)) => return (batch, true),
            Ok(None) | Err(_) => break,
        }
    }
    (batch, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_cursor_watches_gaps_until_they_fill_or_expire() {
        let t0 = Instant::now();
        let mut cursor = EventCursor::default();
        assert!(cursor.is_new(1));
        assert_eq!(cursor.floor(t0), None);
        cursor.record(10, t0);
        assert_eq!(cursor.floor(t0), Some(10));
        assert!(!cursor.is_new(9) && !cursor.is_new(10) && cursor.is_new(11));

        // 13 committed before 11 and 12: those are watched.
        cursor.record(13, t0);
        assert!(cursor.is_new(11) && cursor.is_new(12) && !cursor.is_new(13));
        assert_eq!(cursor.floor(t0), Some(10));
        cursor.record(11, t0);
        assert!(!cursor.is_new(11));
        assert_eq!(cursor.floor(t0), Some(11));

        // 12 never comes (rolled back): forgotten after the overlap.
        assert_eq!(cursor.floor(t0 + POLL_OVERLAP), Some(13));
        assert!(!cursor.is_new(12));
    }
}
