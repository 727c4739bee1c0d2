//! Ranked capabilities per need, kept between requests.
//!
//! Ranking a need is a BM25 search over every capability, its candidates
//! re-scored from the profiles kept in memory ([`crate::profiles`]): about a
//! millisecond at 100k capabilities, while the answer changes only when the
//! data behind it does.
//! An entry is used only while all of these are unchanged:
//! - the need (its `version`);
//! - the search index ([`SearchIndex::generation`]: every capability and
//!   talent write, here or on another replica, passes through it);
//! - this cache's own generation, which [`MatchCache::invalidate`] moves
//!   for changes that feed the factors but not the index (a talent's
//!   availability, an organisation's region, a completed project that counts
//!   in the track record);
//! - and the entry is younger than the TTL, a bound on anything else.
//!
//! Decisions (declined, shortlisted, …) are not cached: they are read per
//! request, so a decision shows at once.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use iurhub_matching::{Explanation, SearchIndex};
use lru::LruCache;

/// One ranked candidate, before the caller's filters and decisions: what
/// the filters need of the capability, not its row (the rows of the page
/// shown are read with it, [`crate::matching::with_capabilities`]).
#[derive(Debug, Clone)]
pub struct RankedCapability {
    pub capability_id: i64,
    pub organization_id: i64,
    pub explanation: Arc<Explanation>,
    pub discipline_codes: Vec<String>,
    /// The pair's matched terms as the words stand in its texts, worked out
    /// the first time a page shows the pair and kept with the ranking.
    pub words: MatchedWords,
}

/// The matched terms of a pair as the words stand in its texts
/// ([`crate::matching::capability_match_terms`]). Finding them analyses the
/// capability's and the need's texts again, which took most of the time of
/// a page answered from a kept ranking; kept with the ranking, they are
/// found once. A kept ranking lives only while the need and every
/// capability are unchanged, so the words cannot outlive the texts.
pub type MatchedWords = Arc<OnceLock<Vec<String>>>;

/// The ranked candidates of one need, best first.
pub type Ranking = Arc<Vec<RankedCapability>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    need_version: i32,
    index: u64,
    own: u64,
}

struct Entry {
    key: Key,
    at: Instant,
    ranking: Ranking,
}

/// Where a lookup stands: the ranking if it is current, else the key to
/// store a fresh one under (read before computing, so that a change made
/// meanwhile is never hidden under the new entry).
pub enum Lookup {
    Hit(Ranking),
    Miss(Ticket),
}

/// The state of the world a ranking is about to be computed from.
pub struct Ticket {
    need_id: i64,
    key: Key,
}

/// A bounded LRU of rankings by need id; `capacity` 0 turns it off.
pub struct MatchCache {
    entries: Option<Mutex<LruCache<i64, Entry>>>,
    ttl: Duration,
    generation: AtomicU64,
}

impl MatchCache {
    pub fn new(capacity: usize, ttl: Duration) -> MatchCache {
        MatchCache {
            entries: NonZeroUsize::new(capacity).map(|c| Mutex::new(LruCache::new(c))),
            ttl,
            generation: AtomicU64::new(0),
        }
    }

    /// An empty cache of the same capacity and TTL.
    pub fn emptied(&self) -> MatchCache {
        MatchCache::new(
            self.entries
                .as_ref()
                .map_or(0, |e| e.lock().expect("match cache lock").cap().get()),
            self.ttl,
        )
    }

    /// A cache that keeps nothing (every lookup misses).
    pub fn disabled() -> MatchCache {
        MatchCache::new(0, Duration::ZERO)
    }

    /// Forgets every ranking: something that feeds the factors changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub fn lookup(&self, index: &SearchIndex, need_id: i64, need_version: i32) -> Lookup {
        let key = Key {
            need_version,
            index: index.generation(),
            own: self.generation.load(Ordering::Acquire),
        };
        if let Some(entries) = &self.entries {
            let mut entries = entries.lock().expect("match cache lock");
            if let Some(entry) = entries.get(&need_id)
                && entry.key == key
                && entry.at.elapsed() < self.ttl
            {
                crate::metrics::match_cache(true);
                return Lookup::Hit(entry.ranking.clone());
            }
        }
        crate::metrics::match_cache(false);
        Lookup::Miss(Ticket { need_id, key })
    }

    /// Keeps `ranking`, computed after `ticket` was taken.
    pub fn store(&self, ticket: Ticket, ranking: Ranking) {
        if let Some(entries) = &self.entries {
            let entry = Entry {
                key: ticket.key,
                at: Instant::now(),
                ranking,
            };
            entries
                .lock()
                .expect("match cache lock")
                .put(ticket.need_id, entry);
        }
    }

    /// Number of needs whose ranking is kept (for metrics and tests).
    pub fn len(&self) -> usize {
        self.entries
            .as_ref()
            .map_or(0, |e| e.lock().expect("match cache lock").len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iurhub_matching::{DocKind, IndexDoc};

    fn ranking() -> Ranking {
        Arc::new(Vec::new())
    }

    fn hit(lookup: Lookup) -> bool {
        matches!(lookup, Lookup::Hit(_))
    }

    #[test]
    fn an_entry_lives_until_anything_behind_it_changes() {
        let index = SearchIndex::in_memory().unwrap();
        let cache = MatchCache::new(2, Duration::from_secs(60));
        let Lookup::Miss(ticket) = cache.lookup(&index, 1, 1) else {
            panic!("empty cache hit");
        };
        cache.store(ticket, ranking());
        assert!(hit(cache.lookup(&index, 1, 1)));
        // The need was edited.
        assert!(!hit(cache.lookup(&index, 1, 2)));
        // The index changed.
        index
            .upsert([IndexDoc {
                kind: DocKind::Capability,
                id: 7,
                title: "bearing".into(),
                body: String::new(),
                keywords: Vec::new(),
                shared: true,
                organization_id: 1,
            }])
            .unwrap();
        assert!(!hit(cache.lookup(&index, 1, 1)));
        // Stored again, then invalidated.
        let Lookup::Miss(ticket) = cache.lookup(&index, 1, 1) else {
            panic!()
        };
        cache.store(ticket, ranking());
        assert!(hit(cache.lookup(&index, 1, 1)));
        cache.invalidate();
        assert!(!hit(cache.lookup(&index, 1, 1)));
    }

    #[test]
    fn a_change_during_the_computation_is_not_hidden() {
        let index = SearchIndex::in_memory().unwrap();
        let cache = MatchCache::new(2, Duration::from_secs(60));
        let Lookup::Miss(ticket) = cache.lookup(&index, 1, 1) else {
            panic!()
        };
        cache.invalidate(); // a write lands while the ranking is computed
        cache.store(ticket, ranking());
        assert!(!hit(cache.lookup(&index, 1, 1)));
    }

    #[test]
    fn bounded_expiring_and_switchable_off() {
        let index = SearchIndex::in_memory().unwrap();
        let cache = MatchCache::new(2, Duration::from_secs(60));
        for need in 1..=3 {
            let Lookup::Miss(ticket) = cache.lookup(&index, need, 1) else {
                panic!()
            };
            cache.store(ticket, ranking());
        }
        assert_eq!(cache.len(), 2);
        assert!(!hit(cache.lookup(&index, 1, 1)), "least recently used went");

        let expired = MatchCache::new(2, Duration::ZERO);
        let Lookup::Miss(ticket) = expired.lookup(&index, 1, 1) else {
            panic!()
        };
        expired.store(ticket, ranking());
        assert!(!hit(expired.lookup(&index, 1, 1)));

        let off = MatchCache::disabled();
        let Lookup::Miss(ticket) = off.lookup(&index, 1, 1) else {
            panic!()
        };
        off.store(ticket, ranking());
        assert!(off.is_empty());
    }
}
