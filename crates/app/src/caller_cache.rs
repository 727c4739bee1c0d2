//! Callers kept between requests: user id → [`Caller`] (the user, the
//! organisations they manage, administer and supervise), so a signed-in
//! request resolves its caller without the four statements (the user and
//! three recursive queries over the memberships, the role grants and the
//! organisation tree).
//!
//! A kept caller is never served after a change it is made of:
//!
//! - This process's writes of users, memberships, role grants and
//!   organisations forget
//!   every kept caller ([`crate::App::access_written`], after the commit).
//! - Other processes' writes move the access version (triggers of migration
//!   15 and 17). On SQLite — where the command line may change a role while
//!   the server runs — the version is read before every use (one primary-key
//!   read instead of four statements). On PostgreSQL the triggers notify
//!   every listening replica at commit ([`crate::replication`]); callers are
//!   kept only while this replica listens, and forgotten whenever listening
//!   starts again; the poll reads the version too.
//! - A caller built while any of that happened is not kept: it is built under
//!   the generation read before its queries and kept only when the
//!   generation is still the same ([`CallerCache::keep`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::caller::Caller;

/// Most callers kept. A kept caller is a user row and two short lists of
/// organisation ids, well under a kilobyte: 10 000 of them are a few
/// megabytes, and more signed-in users than one server sees between two
/// writes of accounts. Above it, one arbitrary caller is dropped per
/// insertion (it is built again at its next request).
pub const CAPACITY: usize = 10_000;

/// How the cache learns of other processes' writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The access version is read before every use (SQLite).
    CheckVersion,
    /// Notifications tell of every write while listening (PostgreSQL);
    /// nothing is kept while not listening.
    Notified,
}

#[derive(Debug, Default)]
struct Entries {
    /// Moves at every forgetting: a caller built under an older generation
    /// is not kept.
    generation: u64,
    /// The last access version seen (`None`: none yet).
    version: Option<i64>,
    callers: HashMap<i64, Arc<Caller>>,
}

/// Callers by user id (see the module documentation).
#[derive(Debug)]
pub struct CallerCache {
    freshness: Freshness,
    capacity: usize,
    /// [`Freshness::Notified`]: this process hears every notification now.
    listening: AtomicBool,
    entries: Mutex<Entries>,
}

impl CallerCache {
    pub fn new(freshness: Freshness, capacity: usize) -> CallerCache {
        CallerCache {
            freshness,
            capacity,
            listening: AtomicBool::new(false),
            entries: Mutex::new(Entries::default()),
        }
    }

    pub fn freshness(&self) -> Freshness {
        self.freshness
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether kept callers may be served (and new ones kept).
    fn usable(&self) -> bool {
        self.capacity > 0
            && match self.freshness {
                Freshness::CheckVersion => true,
                Freshness::Notified => self.listening.load(Ordering::Acquire),
            }
    }

    /// The kept caller of `user_id`, if it may be served.
    pub fn get(&self, user_id: i64) -> Option<Arc<Caller>> {
        if !self.usable() {
            return None;
        }
        self.entries().callers.get(&user_id).cloned()
    }

    /// The generation to build a caller under: read it BEFORE the queries.
    pub fn generation(&self) -> u64 {
        self.entries().generation
    }

    /// Keeps `caller`, built from queries made after [`Self::generation`]
    /// returned `generation`, unless something was forgotten since.
    pub fn keep(&self, generation: u64, caller: Arc<Caller>) -> bool {
        if !self.usable() {
            return false;
        }
        let mut entries = self.entries();
        if entries.generation != generation {
            return false;
        }
        let full = entries.callers.len() >= self.capacity;
        if full
            && !entries.callers.contains_key(&caller.id())
            && let Some(victim) = entries.callers.keys().next().copied()
        {
            entries.callers.remove(&victim);
        }
        entries.callers.insert(caller.id(), caller);
        true
    }

    /// Forgets every kept caller; callers being built are not kept.
    pub fn forget_all(&self) {
        let mut entries = self.entries();
        entries.generation += 1;
        entries.callers.clear();
    }

    /// The access version is now `version`: kept callers are forgotten when
    /// it moved (or was not known).
    pub fn saw_version(&self, version: i64) {
        let mut entries = self.entries();
        if entries.version != Some(version) {
            entries.version = Some(version);
            entries.generation += 1;
            entries.callers.clear();
        }
    }

    /// [`Freshness::Notified`]: whether every notification is heard from
    /// now on. Either way what is kept is forgotten: notifications may have
    /// been missed before.
    pub fn set_listening(&self, listening: bool) {
        let mut entries = self.entries();
        self.listening.store(listening, Ordering::Release);
        entries.generation += 1;
        entries.callers.clear();
    }

    /// How many callers are kept.
    pub fn len(&self) -> usize {
        self.entries().callers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iurhub_store::users::User;

    fn caller(id: i64, orgs: &[i64]) -> Arc<Caller> {
        let user = User {
            id,
            email: format!("u{id}@example.org"),
            display_name: format!("u{id}"),
            platform_role: None,
            locale: iurhub_domain::Locale::Zh,
            digest_frequency: iurhub_domain::DigestFrequency::Daily,
            created_at: chrono::Utc::now(),
        };
        Arc::new(Caller::new(
            user,
            orgs.to_vec(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ))
    }

    #[test]
    fn a_caller_built_during_a_write_is_not_kept() {
        let cache = CallerCache::new(Freshness::CheckVersion, 10);
        // A request reads the generation, then queries the old memberships…
        let generation = cache.generation();
        let stale = caller(1, &[7]);
        // …while a write commits and forgets.
        cache.forget_all();
        assert!(!cache.keep(generation, stale));
        assert!(cache.get(1).is_none());
        // Built again after the write: kept and served.
        let generation = cache.generation();
        assert!(cache.keep(generation, caller(1, &[])));
        assert_eq!(cache.get(1).unwrap().managed_org_ids(), &[] as &[i64]);
    }

    #[test]
    fn a_moved_version_forgets_and_refuses_callers_built_before() {
        let cache = CallerCache::new(Freshness::CheckVersion, 10);
        cache.saw_version(3);
        let generation = cache.generation();
        assert!(cache.keep(generation, caller(1, &[7])));
        cache.saw_version(3);
        assert!(cache.get(1).is_some(), "the same version keeps");
        let generation = cache.generation();
        cache.saw_version(4);
        assert!(cache.get(1).is_none());
        assert!(!cache.keep(generation, caller(1, &[7])));
    }

    #[test]
    fn nothing_is_kept_while_not_listening() {
        let cache = CallerCache::new(Freshness::Notified, 10);
        assert!(!cache.keep(cache.generation(), caller(1, &[])));
        cache.set_listening(true);
        assert!(cache.keep(cache.generation(), caller(1, &[])));
        assert!(cache.get(1).is_some());
        cache.set_listening(false);
        assert!(cache.get(1).is_none());
        assert!(!cache.keep(cache.generation(), caller(1, &[])));
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let cache = CallerCache::new(Freshness::CheckVersion, 3);
        for id in 0..10 {
            assert!(cache.keep(cache.generation(), caller(id, &[])));
            assert!(cache.len() <= 3);
            assert!(cache.get(id).is_some(), "the newest is kept");
        }
        let off = CallerCache::new(Freshness::CheckVersion, 0);
        assert!(!off.keep(off.generation(), caller(1, &[])));
    }
}
