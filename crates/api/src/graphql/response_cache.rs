//! Responses to anonymous GraphQL queries, kept for a moment.
//!
//! Everybody who is not signed in sees the same public data, so the answer to
//! an anonymous query depends only on its text, its variables and the data.
//! Such answers (without errors) are kept in a bounded LRU, by bytes, and an
//! entry is served again only while all of these hold:
//! - no mutation ran on this server since it was computed (the HTTP handler
//!   and the WebSocket schema call [`ResponseCache::invalidate`] after each
//!   mutation, and the replica follower after applying other replicas'
//!   changes);
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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerResult, Variables};
use axum::body::Bytes;
use iurhub_matching::SearchIndex;
use lru::LruCache;

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

struct Entries {
    lru: LruCache<Key, Entry>,
    bytes: usize,
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
}

/// A bounded LRU of answers to anonymous queries; a budget of 0 bytes turns
/// it off.
pub struct ResponseCache {
    entries: Option<Mutex<Entries>>,
    budget: usize,
    ttl: Duration,
    index: Option<Arc<SearchIndex>>,
    generation: AtomicU64,
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
                })
            }),
            budget,
            ttl,
            index,
            generation: AtomicU64::new(0),
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

    /// The kept answer to `key` if it is current; else a ticket to keep the
    /// answer about to be computed.
    pub fn lookup(&self, key: Key) -> Lookup {
        let state = self.state();
        if let Some(entries) = &self.entries {
            let mut entries = Self::lock(entries);
            if let Some(entry) = entries.lru.get(&key)
                && entry.state == state
                && entry.at.elapsed() < self.ttl
            {
                crate::metrics::response_cache(true);
                return Lookup::Hit(entry.answer.clone());
            }
        }
        crate::metrics::response_cache(false);
        Lookup::Miss(Ticket { key, state })
    }

    /// Keeps `answer`, computed after `ticket` was taken. Answers larger
    /// than an eighth of the budget are not kept.
    pub fn keep(&self, ticket: Ticket, answer: Answer) {
        let Some(entries) = &self.entries else {
            return;
        };
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
        if let Some(old) = entries.lru.put(ticket.key, entry) {
            entries.bytes -= old.size;
        }
        entries.bytes += size;
        while entries.bytes > self.budget {
            match entries.lru.pop_lru() {
                Some((_, old)) => entries.bytes -= old.size,
                None => break,
            }
        }
    }

    /// Bytes of answers kept (for tests).
    pub fn bytes(&self) -> usize {
        self.entries.as_ref().map_or(0, |e| Self::lock(e).bytes)
    }
}

/// The WebSocket schema's extension that forgets every kept answer after a
/// mutation (the HTTP handler does the same itself).
pub struct ForgetOnMutation(pub Arc<ResponseCache>);

impl ExtensionFactory for ForgetOnMutation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MutationWatch {
            cache: self.0.clone(),
            requested: Mutex::new(None),
            writes: AtomicU64::new(0),
        })
    }
}

struct MutationWatch {
    cache: Arc<ResponseCache>,
    requested: Mutex<Option<String>>,
    /// 1 once the parsed operation is known to be a mutation.
    writes: AtomicU64,
}

#[async_graphql::async_trait::async_trait]
impl Extension for MutationWatch {
    async fn request(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextRequest<'_>,
    ) -> async_graphql::Response {
        let response = next.run(ctx).await;
        if self.writes.load(Ordering::Acquire) == 1 {
            self.cache.invalidate();
        }
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        self.requested
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone_from(&request.operation_name);
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let parsed = next.run(ctx, query, variables).await;
        if let Ok(document) = &parsed {
            let requested = self
                .requested
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if super::handler::writes(document, requested.as_deref()) {
                self.writes.store(1, Ordering::Release);
            }
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn fill(cache: &ResponseCache, query: &str, body: &str) {
        match cache.lookup(key(query)) {
            Lookup::Miss(ticket) => cache.keep(ticket, answer(body)),
            Lookup::Hit(_) => panic!("{query} was kept already"),
        }
    }

    fn hit(cache: &ResponseCache, query: &str) -> Option<Bytes> {
        match cache.lookup(key(query)) {
            Lookup::Hit(answer) => Some(answer.body),
            Lookup::Miss(_) => None,
        }
    }

    #[test]
    fn answers_are_kept_per_query_and_variables() {
        let cache = ResponseCache::new(1 << 20, Duration::from_secs(60), None);
        fill(&cache, "{ a }", "A");
        assert_eq!(hit(&cache, "{ a }").as_deref(), Some(&b"A"[..]));
        assert_eq!(hit(&cache, "{ b }"), None);
        let with_vars = async_graphql::Request::new("{ a }")
            .variables(Variables::from_json(serde_json::json!({ "x": 1 })));
        assert!(matches!(
            cache.lookup(Key::new(false, &with_vars)),
            Lookup::Miss(_)
        ));
        assert!(matches!(
            cache.lookup(Key::new(true, &async_graphql::Request::new("{ a }"))),
            Lookup::Miss(_)
        ));
    }

    #[test]
    fn an_invalidation_forgets_answers_and_those_being_computed() {
        let cache = ResponseCache::new(1 << 20, Duration::from_secs(60), None);
        fill(&cache, "{ a }", "A");
        let Lookup::Miss(during) = cache.lookup(key("{ b }")) else {
            panic!("nothing kept yet");
        };
        cache.invalidate();
        cache.keep(during, answer("B, read before the write"));
        assert_eq!(hit(&cache, "{ a }"), None);
        assert_eq!(hit(&cache, "{ b }"), None);
        fill(&cache, "{ b }", "B");
        assert_eq!(hit(&cache, "{ b }").as_deref(), Some(&b"B"[..]));
    }

    #[test]
    fn answers_lapse_after_the_ttl() {
        let cache = ResponseCache::new(1 << 20, Duration::from_millis(30), None);
        fill(&cache, "{ a }", "A");
        assert!(hit(&cache, "{ a }").is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(hit(&cache, "{ a }"), None);
    }

    #[test]
    fn the_byte_budget_holds() {
        let budget = 8 * 1024;
        let cache = ResponseCache::new(budget, Duration::from_secs(60), None);
        for i in 0..100 {
            fill(&cache, &format!("{{ f{i} }}"), &"x".repeat(500));
            assert!(cache.bytes() <= budget, "{} > {budget}", cache.bytes());
        }
        assert!(hit(&cache, "{ f99 }").is_some());
        assert_eq!(hit(&cache, "{ f0 }"), None);
        // Too large for the budget: not kept at all.
        fill(&cache, "{ big }", &"x".repeat(budget / 4));
        assert_eq!(hit(&cache, "{ big }"), None);
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = ResponseCache::disabled();
        assert!(!cache.enabled());
        fill(&cache, "{ a }", "A");
        assert_eq!(hit(&cache, "{ a }"), None);
    }
}
