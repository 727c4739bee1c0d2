//! Responses to anonymous GraphQL queries, kept for a moment.
//!
//! Everybody who is not signed in sees the same public data, so the answer to
//! an anonymous query depends only on its text, its variables and the data.
//! Such answers (without errors) are kept in a bounded LRU, by bytes, and an
//! entry is served again only while all of these hold:
//! - no mutation ran on this server since it was computed (the mutation
//!   root calls [`ResponseCache::invalidate`] after each mutation field,
//!   whatever the transport, and the replica follower after applying other
//!   replicas' changes);
//! - the search index is unchanged ([`SearchIndex::generation`]: every need,
//!   capability and talent write, here or on another replica, passes through
//!   it);
//! - it is younger than the TTL (`response_cache_ttl_ms`, 1 s by default),
//!   the bound on every other change: another process's write not yet
//!   followed (`iurhub import`, another replica's organisation edit), and
//!   the passing of time itself.
//!
//! The state of the world is read before the query runs ([`Ticket`]), so an
//! answer computed while a mutation commits is stored under the old state and
//! never served. Signed-in callers are never answered from here.
//!
//! When an answer lapses under load, many requests for it arrive before any
//! of them has computed it again: one of them runs the query and the others
//! (asked under the same state) wait for its answer instead of running it
//! too. If it yields no answer to keep (errors), they run it themselves.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use iurhub_matching::SearchIndex;
use lru::LruCache;
use tokio::sync::watch;

/// What an answer depends on besides the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// Whether the client asked for `application/graphql-response+json`.
    graphql_media: bool,
    query: String,
    operation_name: Option<String>,
    /// The variables as JSON text.
    variables: String,
}

impl Key {
    pub fn new(graphql_media: bool, request: &async_graphql::Request) -> Key {
        Key {
            graphql_media,
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).unwrap_or_default(),
        }
    }

    /// Bytes the entry holds besides its body.
    fn size(&self) -> usize {
        self.query.len()
            + self.operation_name.as_ref().map_or(0, String::len)
            + self.variables.len()
            + 128
    }
}

/// The state of the data an answer was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    own: u64,
    index: u64,
}

/// A kept answer: the response body and the operation's metric labels.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Bytes,
    pub operation: String,
    pub ty: &'static str,
}

struct Entry {
    state: State,
    at: Instant,
    answer: Answer,
    size: usize,
}

/// A query being run for an answer others wait for.
struct Flight {
    id: u64,
    state: State,
    answer: watch::Receiver<Option<Answer>>,
}

struct Entries {
    lru: LruCache<Key, Entry>,
    bytes: usize,
    flights: HashMap<Key, Flight>,
}

/// Where a lookup stands: the answer if it is current, else the ticket to
/// keep a fresh one under.
pub enum Lookup {
    Hit(Answer),
    Miss(Ticket),
}

/// The key and the state of the data, taken before the query runs.
pub struct Ticket {
    key: Key,
    state: State,
    /// Set when others wait for this answer.
    leader: Option<Leader>,
}

struct Leader {
    id: u64,
    answer: watch::Sender<Option<Answer>>,
    cache: Arc<ResponseCache>,
}

impl Drop for Ticket {
    /// Ends the flight: waiting requests get the answer sent, or run the
    /// query themselves when none was.
    fn drop(&mut self) {
        let Some(leader) = &self.leader else {
            return;
        };
        if let Some(entries) = &leader.cache.entries {
            let mut entries = ResponseCache::lock(entries);
            if entries
                .flights
                .get(&self.key)
                .is_some_and(|f| f.id == leader.id)
            {
                entries.flights.remove(&self.key);
            }
        }
    }
}

/// A bounded LRU of answers to anonymous queries; a budget of 0 bytes turns
/// it off.
pub struct ResponseCache {
    entries: Option<Mutex<Entries>>,
    budget: usize,
    ttl: Duration,
    index: Option<Arc<SearchIndex>>,
    generation: AtomicU64,
    flight_ids: AtomicU64,
}

impl ResponseCache {
    /// Keeps up to `budget` bytes of answers, each for `ttl` at most; the
    /// answers also lapse when `index` changes.
    pub fn new(budget: usize, ttl: Duration, index: Option<Arc<SearchIndex>>) -> ResponseCache {
        ResponseCache {
            entries: (budget > 0 && !ttl.is_zero()).then(|| {
                Mutex::new(Entries {
                    lru: LruCache::unbounded(),
                    bytes: 0,
                    flights: HashMap::new(),
                })
            }),
            budget,
            ttl,
            index,
            generation: AtomicU64::new(0),
            flight_ids: AtomicU64::new(0),
        }
    }

    /// A cache that keeps nothing.
    pub fn disabled() -> ResponseCache {
        ResponseCache::new(0, Duration::ZERO, None)
    }

    pub fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// Forgets every answer: this server changed data (a mutation ran, or
    /// another replica's changes were applied).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn state(&self) -> State {
        State {
            own: self.generation.load(Ordering::Acquire),
            index: self.index.as_ref().map_or(0, |i| i.generation()),
        }
    }

    fn lock(entries: &Mutex<Entries>) -> std::sync::MutexGuard<'_, Entries> {
        entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The kept answer to `key` if it is current, or the answer of the same
    /// query already running under the current state; else a ticket to keep
    /// the answer about to be computed.
    pub async fn lookup(self: &Arc<Self>, key: Key) -> Lookup {
        let state = self.state();
        let Some(entries) = &self.entries else {
            return Lookup::Miss(Ticket {
                key,
                state,
                leader: None,
            });
        };
        let mut waiting = {
            let mut entries = Self::lock(entries);
            if let Some(entry) = entries.lru.get(&key)
                && entry.state == state
                && entry.at.elapsed() < self.ttl
            {
                crate::metrics::response_cache("hit");
                return Lookup::Hit(entry.answer.clone());
            }
            match entries.flights.get(&key) {
                Some(flight) if flight.state == state => flight.answer.clone(),
                _ => {
                    let id = self.flight_ids.fetch_add(1, Ordering::Relaxed);
                    let (tx, rx) = watch::channel(None);
                    let flight = Flight {
                        id,
                        state,
                        answer: rx,
                    };
                    entries.flights.insert(key.clone(), flight);
                    crate::metrics::response_cache("miss");
                    let leader = Leader {
                        id,
                        answer: tx,
                        cache: self.clone(),
                    };
                    return Lookup::Miss(Ticket {
                        key,
                        state,
                        leader: Some(leader),
                    });
                }
            }
        };
        let answer = waiting
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|answer| answer.clone());
        match answer {
            Some(answer) => {
                crate::metrics::response_cache("joined");
                Lookup::Hit(answer)
            }
            None => {
                crate::metrics::response_cache("miss");
                Lookup::Miss(Ticket {
                    key,
                    state,
                    leader: None,
                })
            }
        }
    }

    /// Keeps `answer`, computed after `ticket` was taken. Answers larger
    /// than an eighth of the budget are not kept.
    pub fn keep(&self, ticket: Ticket, answer: Answer) {
        let Some(entries) = &self.entries else {
            return;
        };
        if let Some(leader) = &ticket.leader {
            leader.answer.send_replace(Some(answer.clone()));
        }
        let size = answer.body.len() + answer.operation.len() + ticket.key.size();
        if size > self.budget / 8 {
            return;
        }
        let entry = Entry {
            state: ticket.state,
            at: Instant::now(),
            answer,
            size,
        };
        let mut entries = Self::lock(entries);
        if let Some(old) = entries.lru.put(ticket.key.clone(), entry) {
            entries.bytes -= old.size;
        }
        entries.bytes += size;
        while entries.bytes > self.budget {
            match entries.lru.pop_lru() {
                Some((_, old)) => entries.bytes -= old.size,
                None => break,
            }
        }
        // The flight ends (its drop takes the lock) once the answer is kept.
        drop(entries);
        drop(ticket);
    }

    /// Bytes of answers kept (for tests).
    pub fn bytes(&self) -> usize {
        self.entries.as_ref().map_or(0, |e| Self::lock(e).bytes)
    }
}

/// Every committed write of the application (and every change of another
/// replica it applies) forgets the kept answers.
impl iurhub_app::Forget for ResponseCache {
    fn forget(&self) {
        self.invalidate();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(budget: usize, ttl: Duration) -> Arc<ResponseCache> {
        Arc::new(ResponseCache::new(budget, ttl, None))
    }

    fn key(query: &str) -> Key {
        Key::new(false, &async_graphql::Request::new(query))
    }

    fn answer(body: &str) -> Answer {
        Answer {
            body: Bytes::copy_from_slice(body.as_bytes()),
            operation: "anonymous".into(),
            ty: "query",
        }
    }

    async fn ticket(cache: &Arc<ResponseCache>, query: &str) -> Ticket {
        match cache.lookup(key(query)).await {
            Lookup::Miss(ticket) => ticket,
            Lookup::Hit(_) => panic!("{query} was kept already"),
        }
    }

    async fn fill(cache: &Arc<ResponseCache>, query: &str, body: &str) {
        let ticket = ticket(cache, query).await;
        cache.keep(ticket, answer(body));
    }

    async fn hit(cache: &Arc<ResponseCache>, query: &str) -> Option<Bytes> {
        match cache.lookup(key(query)).await {
            Lookup::Hit(answer) => Some(answer.body),
            Lookup::Miss(_) => None,
        }
    }

    #[tokio::test]
    async fn answers_are_kept_per_query_and_variables() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        fill(&cache, "{ a }", "A").await;
        assert_eq!(hit(&cache, "{ a }").await.as_deref(), Some(&b"A"[..]));
        assert_eq!(hit(&cache, "{ b }").await, None);
        let with_vars = async_graphql::Request::new("{ a }").variables(
            async_graphql::Variables::from_json(serde_json::json!({ "x": 1 })),
        );
        assert!(matches!(
            cache.lookup(Key::new(false, &with_vars)).await,
            Lookup::Miss(_)
        ));
        assert!(matches!(
            cache
                .lookup(Key::new(true, &async_graphql::Request::new("{ a }")))
                .await,
            Lookup::Miss(_)
        ));
    }

    #[tokio::test]
    async fn an_invalidation_forgets_answers_and_those_being_computed() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        fill(&cache, "{ a }", "A").await;
        let during = ticket(&cache, "{ b }").await;
        cache.invalidate();
        cache.keep(during, answer("B, read before the write"));
        assert_eq!(hit(&cache, "{ a }").await, None);
        assert_eq!(hit(&cache, "{ b }").await, None);
        fill(&cache, "{ b }", "B").await;
        assert_eq!(hit(&cache, "{ b }").await.as_deref(), Some(&b"B"[..]));
    }

    #[tokio::test]
    async fn answers_lapse_after_the_ttl() {
        let cache = cache(1 << 20, Duration::from_millis(30));
        fill(&cache, "{ a }", "A").await;
        assert!(hit(&cache, "{ a }").await.is_some());
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(hit(&cache, "{ a }").await, None);
    }

    #[tokio::test]
    async fn the_byte_budget_holds() {
        let budget = 8 * 1024;
        let cache = cache(budget, Duration::from_secs(60));
        for i in 0..100 {
            fill(&cache, &format!("{{ f{i} }}"), &"x".repeat(500)).await;
            assert!(cache.bytes() <= budget, "{} > {budget}", cache.bytes());
        }
        assert!(hit(&cache, "{ f99 }").await.is_some());
        assert_eq!(hit(&cache, "{ f0 }").await, None);
        // Too large for the budget: not kept at all.
        fill(&cache, "{ big }", &"x".repeat(budget / 4)).await;
        assert_eq!(hit(&cache, "{ big }").await, None);
    }

    #[tokio::test]
    async fn a_disabled_cache_keeps_nothing() {
        let cache = Arc::new(ResponseCache::disabled());
        assert!(!cache.enabled());
        fill(&cache, "{ a }", "A").await;
        assert_eq!(hit(&cache, "{ a }").await, None);
    }

    #[tokio::test]
    async fn requests_arriving_while_the_query_runs_wait_for_its_answer() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        let leader = ticket(&cache, "{ a }").await;
        let followers: Vec<_> = (0..3)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { hit(&cache, "{ a }").await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(followers.iter().all(|f| !f.is_finished()), "they wait");
        cache.keep(leader, answer("A"));
        for follower in followers {
            assert_eq!(follower.await.unwrap().as_deref(), Some(&b"A"[..]));
        }
    }

    #[tokio::test]
    async fn without_an_answer_to_share_the_waiting_requests_run_the_query() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        let leader = ticket(&cache, "{ a }").await;
        let follower = {
            let cache = cache.clone();
            tokio::spawn(async move {
                match cache.lookup(key("{ a }")).await {
                    Lookup::Miss(ticket) => ticket.leader.is_none(),
                    Lookup::Hit(_) => panic!("nothing to share"),
                }
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!follower.is_finished());
        // The leader's answer had errors: it is dropped, not kept.
        drop(leader);
        assert!(follower.await.unwrap(), "runs on its own, leads nobody");
        // And a request after a mutation does not wait for an answer
        // computed before it.
        let before = ticket(&cache, "{ b }").await;
        cache.invalidate();
        let after = tokio::time::timeout(Duration::from_secs(1), cache.lookup(key("{ b }")))
            .await
            .expect("no wait for an older answer");
        assert!(matches!(after, Lookup::Miss(_)));
        drop(before);
    }
}
