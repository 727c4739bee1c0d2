//! The application layer of iurhub: every read and write that GraphQL, REST,
//! WebSocket subscriptions and the command line make goes through [`App`] and
//! the module of its area. Authorization, the orchestration of the store, the
//! search index and the caches, and the side effects of a write (re-index,
//! announce to subscribers, forget cached answers and rankings) live here, once
//! per write; the transports only translate requests and answers.
//!
//! This crate may import the domain, the store and the matching engine; it
//! never imports a transport (axum, async-graphql) — `.ci/run` checks it.

pub mod accounts;
pub mod activities;
pub mod agreement_coordinators;
pub mod agreements;
pub mod billing;
pub mod calendar_feeds;
pub mod caller;
pub mod caller_cache;
pub mod capabilities;
pub mod centers;
pub mod database;
pub mod digests;
mod disclosure_reads;
pub mod disclosures;
pub mod error;
pub mod evaluation;
pub mod events;
pub mod files;
pub mod freshness;
pub mod import;
pub mod index_dir;
pub mod instrument_matches;
pub mod instruments;
pub mod interests;
pub mod mail;
pub mod match_cache;
pub mod matching;
pub mod metrics;
pub mod needs;
pub mod notice_subjects;
pub mod notifications;
pub mod opportunities;
pub mod organizations;
pub mod plans;
pub mod profiles;
pub mod projects;
pub mod ratings;
pub mod relations;
pub mod replication;
pub mod roles;
pub mod saved_searches;
pub mod schedule;
pub mod service_orders;
pub mod stats;
pub mod suggestions;
pub mod talents;
pub mod threads;
pub mod waitlist;

use std::sync::Arc;
use std::time::Duration;

use iurhub_matching::{IndexDoc, SearchIndex, Weights};
use iurhub_store::Store;
use iurhub_store::taxonomy::TaxonomyKind;

pub use caller::{Caller, Identity};
pub use error::{AppError, AppResult, ErrorCode};
pub use events::{Event, Events};

use crate::caller_cache::{CallerCache, Freshness};
use crate::match_cache::MatchCache;
use crate::profiles::Profiles;

/// Something that keeps answers computed from the data and must forget them
/// after every write (the transports' response caches).
pub trait Forget: Send + Sync {
    fn forget(&self);
}

/// How the application is tuned.
#[derive(Debug, Clone)]
pub struct Options {
    /// Weights of the ranking factors.
    pub weights: Weights,
    /// Rankings of needs kept between requests (0: none).
    pub matching_cache_needs: usize,
    /// How long a kept ranking may be used.
    pub matching_cache_ttl: Duration,
    /// The limits of instrument bookings.
    pub booking: instruments::BookingRules,
    /// Signed-in callers kept between requests (0: none; see
    /// [`caller_cache`]).
    pub caller_cache_users: usize,
    /// Where the search index is kept between starts ([`index_dir`]);
    /// `None` keeps it in memory only, rebuilt at every start.
    pub index_dir: Option<std::path::PathBuf>,
    /// The score from which a pair is suggested to both sides
    /// ([`suggestions`]).
    pub suggest_min_score: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            weights: Weights::default(),
            matching_cache_needs: 0,
            matching_cache_ttl: Duration::ZERO,
            booking: instruments::BookingRules::default(),
            caller_cache_users: caller_cache::CAPACITY,
            index_dir: None,
            suggest_min_score: 0.3,
        }
    }
}

/// The application: the store, the text index, the rankings kept between
/// requests and the event hub. Cheap to clone (everything is shared).
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) index: Arc<SearchIndex>,
    pub(crate) match_cache: Arc<MatchCache>,
    /// The ranking profiles of every capability.
    pub(crate) profiles: Arc<Profiles>,
    pub(crate) events: Events,
    pub(crate) weights: Weights,
    pub(crate) booking: instruments::BookingRules,
    pub(crate) callers: Arc<CallerCache>,
    /// The search index on disk, its directory locked while the
    /// application lives; `None` in memory.
    on_disk: Option<Arc<index_dir::OnDisk>>,
    forgetters: Arc<Vec<Arc<dyn Forget>>>,
    /// Where attachments go ([`threads`]); `None`: uploads fail.
    pub(crate) attachments: Option<Arc<threads::Attachments>>,
    /// Woken when a write leaves e-mail in the outbox.
    pub(crate) mail_wake: Arc<tokio::sync::Notify>,
    pub(crate) suggest_min_score: f64,
}

impl App {
    /// Connects to `url` (SQLite or PostgreSQL), migrates the schema, loads
    /// the shipped classifications and makes the text index ready: reopened
    /// from `options.index_dir` when it is current there, else built from
    /// the rows ([`index_dir`]); then loads the ranking profiles.
    pub async fn open(url: &str, max_connections: u32, options: Options) -> anyhow::Result<App> {
        let started = std::time::Instant::now();
        let app = App::connect(url, max_connections, options.clone()).await?;
        let dir = match &options.index_dir {
            Some(path) => {
                let dir = index_dir::IndexDir::lock(path).await.map_err(|e| {
                    anyhow::anyhow!("opening the search index directory {}: {e}", path.display())
                })?;
                if dir.is_none() {
                    tracing::warn!(
                        path = %path.display(),
                        "another process uses the search index directory; this one keeps its index in memory"
                    );
                }
                dir
            }
            None => None,
        };
        let Some(dir) = dir else {
            let indexed = matching::rebuild(&app)
                .await
                .map_err(|e| anyhow::anyhow!("rebuilding the search index: {}", e.message()))?;
            tracing::info!(
                documents = indexed,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "search index rebuilt in memory"
            );
            return Ok(app);
        };
        let store = app.store.clone();
        let (mut app, disk) = index_dir::open(dir, |index| app.with_index(index), &store).await?;
        match disk.opened() {
            index_dir::Opened::Reopened { caught_up } => tracing::info!(
                caught_up,
                documents = app.index.sizes().values().sum::<usize>(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "search index reopened"
            ),
            index_dir::Opened::Rebuilt { reason } => tracing::info!(
                reason = reason.as_str(),
                documents = app.index.sizes().values().sum::<usize>(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "search index rebuilt"
            ),
        }
        app.on_disk = Some(Arc::new(disk));
        Ok(app)
    }

    /// How the search index was made ready at start: `None` when it is
    /// kept in memory only.
    pub fn index_opened(&self) -> Option<&index_dir::Opened> {
        self.on_disk.as_deref().map(index_dir::OnDisk::opened)
    }

    /// The search index on disk, if it is kept there.
    pub(crate) fn on_disk(&self) -> Option<&index_dir::OnDisk> {
        self.on_disk.as_deref()
    }

    /// This application with another (empty or reopened) search index and
    /// nothing kept that came from the old one.
    fn with_index(&self, index: iurhub_matching::SearchIndex) -> App {
        App {
            index: Arc::new(index),
            match_cache: Arc::new(self.match_cache.emptied()),
            profiles: Arc::new(Profiles::default()),
            ..self.clone()
        }
    }

    /// Connects to `url`, migrates the schema and loads the shipped
    /// classifications, with an empty text index (the command line's
    /// imports and account administration need none).
    pub async fn connect(url: &str, max_connections: u32, options: Options) -> anyhow::Result<App> {
        use anyhow::Context as _;
        let conn = iurhub_store::db::connect(url, max_connections).await?;
        iurhub_store::db::migrate(&conn)
            .await
            .context("migrating the database")?;
        let store = Store::new(conn);
        store
            .ensure_taxonomy()
            .await
            .context("loading the taxonomies")?;
        App::new(store, options)
    }

    /// An application over `store` with an empty text index (see
    /// [`matching::rebuild`]).
    pub fn new(store: Store, options: Options) -> anyhow::Result<App> {
        let index = SearchIndex::in_memory()
            .map_err(|e| anyhow::anyhow!("creating the search index: {e}"))?;
        Ok(App {
            callers: Arc::new(CallerCache::new(
                if iurhub_store::db::is_postgres(store.connection()) {
                    Freshness::Notified
                } else {
                    Freshness::CheckVersion
                },
                options.caller_cache_users,
            )),
            store,
            index: Arc::new(index),
            match_cache: Arc::new(MatchCache::new(
                options.matching_cache_needs,
                options.matching_cache_ttl,
            )),
            profiles: Arc::new(Profiles::default()),
            events: Events::default(),
            weights: options.weights,
            booking: options.booking,
            on_disk: None,
            forgetters: Arc::new(Vec::new()),
            attachments: None,
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            suggest_min_score: options.suggest_min_score,
        })
    }

    /// This application, also telling `forget` after every write.
    pub fn forgetting(mut self, forget: Arc<dyn Forget>) -> App {
        let mut all: Vec<_> = self.forgetters.iter().cloned().collect();
        all.push(forget);
        self.forgetters = Arc::new(all);
        self
    }

    /// This application, keeping attachments in `store` (at most
    /// `max_bytes` each).
    pub fn with_attachments(mut self, store: Arc<dyn files::FileStore>, max_bytes: u64) -> App {
        self.attachments = Some(Arc::new(threads::Attachments { store, max_bytes }));
        self
    }

    /// The text index of needs, capabilities and talents.
    pub fn index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    /// The event hub subscribers listen to.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// The weights of the ranking factors.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Indexes `docs`, then runs `then` and forgets kept answers, on a
    /// blocking thread: an index commit takes milliseconds, and the writes
    /// waiting for one must not hold the runtime's workers (they are
    /// committed together, see `iurhub_matching::index`). Done to the end
    /// even when the request is dropped meanwhile.
    async fn index_then(&self, docs: Vec<IndexDoc>, then: impl FnOnce(&App) + Send + 'static) {
        let app = self.clone();
        let done = tokio::task::spawn_blocking(move || {
            matching::reindex(&app, docs);
            then(&app);
            app.written();
        });
        if let Err(err) = done.await {
            tracing::error!(error = %err, "indexing a write failed");
        }
    }

    /// After needs were written: their index documents are replaced and kept
    /// answers forgotten.
    pub(crate) async fn needs_written(&self, needs: &[iurhub_store::needs::Need]) {
        let docs = needs.iter().map(matching::need_doc).collect();
        let need_ids: Vec<i64> = needs
            .iter()
            .filter(|n| n.status == iurhub_domain::NeedStatus::Published)
            .map(|n| n.id)
            .collect();
        let published = need_ids.clone();
        self.index_then(docs, move |app| {
            if !published.is_empty() {
                app.events.publish(Event::NeedsPublished {
                    need_ids: published,
                });
            }
        })
        .await;
        suggestions::needs_published(self, need_ids);
    }

    /// After capabilities were written: their index documents are replaced,
    /// `matchSuggested` subscribers hear of those open for matching (not of
    /// drafts being created), and kept answers are forgotten.
    pub(crate) async fn capabilities_written(
        &self,
        capabilities: &[iurhub_store::capabilities::Capability],
    ) {
        // Marked first: a ranking never finds a new document without its
        // new profile.
        self.profiles
            .capabilities_changed(capabilities.iter().map(|c| c.id));
        let docs = capabilities.iter().map(matching::capability_doc).collect();
        let capability_ids: Vec<i64> = capabilities
            .iter()
            .filter(|c| c.status == iurhub_domain::CapabilityStatus::Published)
            .map(|c| c.id)
            .collect();
        let published = capability_ids.clone();
        self.index_then(docs, move |app| {
            if !capability_ids.is_empty() {
                app.events
                    .publish(Event::CapabilitiesPublished { capability_ids });
            }
        })
        .await;
        suggestions::capabilities_published(self, published);
    }

    /// After talents were written: their index documents are replaced and
    /// kept answers forgotten.
    pub(crate) async fn talents_written(&self, talents: &[iurhub_store::talents::Talent]) {
        // Their availability is in the profiles of the capabilities they
        // are responsible for.
        self.profiles.talents_changed(talents.iter().map(|t| t.id));
        self.match_cache.invalidate();
        let docs = talents.iter().map(matching::talent_doc).collect();
        self.index_then(docs, |_| {}).await;
    }

    /// After an organisation was written or a project completed (here or on
    /// another replica): provinces and track records are read again before
    /// the next ranking, and kept rankings forgotten.
    pub(crate) fn organizations_written(&self) {
        self.profiles.organizations_changed();
        self.match_cache.invalidate();
    }

    /// The ranking profiles of every capability.
    pub fn profiles(&self) -> &Arc<Profiles> {
        &self.profiles
    }

    /// The callers kept between requests.
    pub fn callers(&self) -> &Arc<CallerCache> {
        &self.callers
    }

    /// After a write of users, memberships or organisations (committed or
    /// not: a failed write may have committed too): every kept caller is
    /// forgotten, and callers being built are not kept.
    pub(crate) fn access_written<T>(&self, result: T) -> T {
        self.callers.forget_all();
        result
    }

    /// `value`, after the write that made it committed (see [`App::written`]).
    pub(crate) fn wrote<T>(&self, value: T) -> T {
        self.written();
        value
    }

    /// After every committed write: answers kept by the transports were
    /// computed under the old state and are never served again.
    pub(crate) fn written(&self) {
        for f in self.forgetters.iter() {
            f.forget();
        }
    }
}

/// Refuses codes that are not in the shipped classification.
pub(crate) async fn check_codes(
    app: &App,
    field: &str,
    kind: TaxonomyKind,
    codes: &[String],
) -> AppResult<()> {
    match unknown_codes(app, field, kind, codes).await? {
        None => Ok(()),
        Some(error) => Err(iurhub_domain::DomainError::Validation(vec![error]).into()),
    }
}

/// The error naming the codes that are not in the shipped classification,
/// if any.
pub(crate) async fn unknown_codes(
    app: &App,
    field: &str,
    kind: TaxonomyKind,
    codes: &[String],
) -> AppResult<Option<iurhub_domain::FieldError>> {
    let unknown = app.store.unknown_codes(kind, codes).await?;
    Ok((!unknown.is_empty()).then(|| {
        iurhub_domain::FieldError::keyed(
            field,
            iurhub_domain::Message::new("taxonomy.unknown_codes").with("codes", unknown.join(", ")),
        )
    }))
}

/// For a create: FORBIDDEN when the organisation exists and the caller may
/// not write for it; the problem of `organizationId` when it does not exist
/// (reported with the other field errors, in one round).
pub(crate) async fn owning_org_problem(
    app: &App,
    caller: &Caller,
    organization_id: i64,
) -> AppResult<Option<iurhub_domain::FieldError>> {
    if app.store.organization(organization_id).await?.is_none() {
        return Ok(Some(iurhub_domain::FieldError::keyed(
            "organizationId",
            iurhub_domain::Message::new("organization.unknown"),
        )));
    }
    if !caller.can_manage(organization_id) {
        return Err(AppError::keyed(
            crate::ErrorCode::Forbidden,
            iurhub_domain::Message::new("organization.write.forbidden"),
        ));
    }
    Ok(None)
}

/// The organisation must exist and the caller must manage it.
pub(crate) async fn require_manageable_org(
    app: &App,
    caller: &Caller,
    organization_id: i64,
) -> AppResult<()> {
    let store = &app.store;
    if store.organization(organization_id).await?.is_none() {
        return Err(AppError::invalid(
            "organizationId",
            iurhub_domain::Message::new("organization.unknown"),
        ));
    }
    if !caller.can_manage(organization_id) {
        return Err(AppError::denied(iurhub_domain::Message::new(
            "organization.write.forbidden",
        )));
    }
    Ok(())
}
