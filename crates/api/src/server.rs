//! Building the application and serving it.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use iurhub_app::App;
use iurhub_app::database::Health;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::auth::{JwtKeys, hash_password, rest};
use crate::config::{Settings, redact_url};
use crate::error::ApiError;
use crate::graphql::response_cache::ResponseCache;
use crate::graphql::{self, Services, Transport, build_schema};
use crate::ratelimit::{AuthLimit, AuthRoute, RateLimits};
use crate::rest::{capabilities, instruments, needs, organizations, projects, talents};
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A bound, migrated, ready-to-run service.
pub struct Server {
    listener: TcpListener,
    router: Router,
    state: AppState,
    closing: tokio::sync::watch::Sender<bool>,
}

/// Whether the database server is down, as [`spawn_probe`] last saw it.
/// While it is, requests that need the database are answered 503 at once
/// instead of each waiting out the pool's acquire timeout, and `/readyz` is
/// 503 without asking the pool. Never set on SQLite.
#[derive(Clone)]
struct DatabaseGate(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for DatabaseGate {
    fn default() -> Self {
        DatabaseGate(Arc::new(tokio::sync::watch::Sender::new(false)))
    }
}

impl DatabaseGate {
    fn is_down(&self) -> bool {
        *self.0.borrow()
    }

    /// Records what the probe saw; whether that is a change.
    fn set(&self, down: bool) -> bool {
        self.0.send_replace(down) != down
    }

    /// Completes once the server is down (at once if it is).
    async fn down(&self) {
        let _ = self.0.subscribe().wait_for(|down| *down).await;
    }
}

/// How often the probe checks the database server, and how long each step
/// of a check may take.
const PROBE_EVERY: Duration = Duration::from_millis(500);
const PROBE_LIMIT: Duration = Duration::from_secs(2);

/// PostgreSQL: checks the server every [`PROBE_EVERY`] on a connection of
/// its own and closes `gate` when the server refused or dropped it, opens it
/// when the server answers, logging each change. A check without an answer
/// in time changes nothing: a busy machine must not turn into refused
/// requests (those then wait for the pool, as without the probe). Ends when
/// the server starts closing.
fn spawn_probe(app: &App, gate: DatabaseGate, mut closing: tokio::sync::watch::Receiver<bool>) {
    let Some(mut probe) = iurhub_app::database::Watch::new(app) else {
        return;
    };
    tokio::spawn(async move {
        loop {
            let health = tokio::select! {
                health = probe.check(PROBE_LIMIT) => health,
                _ = closing.wait_for(|c| *c) => return,
            };
            match health {
                Health::Up => {
                    if gate.set(false) {
                        tracing::info!("the database server is back");
                    }
                }
                Health::Down(error) => {
                    if gate.set(true) {
                        tracing::warn!(
                            error,
                            "the database server is down: requests are answered 503 at once until it is back"
                        );
                    }
                }
                Health::Silent => {
                    tracing::debug!("the database server did not answer the probe in time");
                }
            }
            tokio::select! {
                () = tokio::time::sleep(PROBE_EVERY) => {}
                _ = closing.wait_for(|c| *c) => return,
            }
        }
    });
}

/// Answers [`iurhub_app::AppError::Unavailable`] at once while `gate` is down.
async fn database_gate(State(gate): State<DatabaseGate>, request: Request, next: Next) -> Response {
    if gate.is_down() {
        return ApiError::unavailable().into_response();
    }
    next.run(request).await
}

/// Like [`database_gate`], with the error in GraphQL's shape.
async fn graphql_database_gate(
    State(gate): State<DatabaseGate>,
    request: Request,
    next: Next,
) -> Response {
    if gate.is_down() {
        let err = ApiError::unavailable();
        return (err.status(), axum::Json(err.graphql_body())).into_response();
    }
    next.run(request).await
}

impl Server {
    /// Connects and migrates the database, loads reference data, creates the
    /// bootstrap admin, and binds `settings.listen`.
    pub async fn build(settings: Settings) -> anyhow::Result<Server> {
        settings.validate()?;
        let url = settings.database_url();
        if settings.database_url.is_none() {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!("creating data directory {}", settings.data_dir.display())
            })?;
        }
        tracing::info!(database = %redact_url(&url), "connecting to the database");
        let options = iurhub_app::Options {
            weights: settings.matching_weights,
            matching_cache_needs: settings.matching_cache_needs,
            matching_cache_ttl: Duration::from_secs(settings.matching_cache_ttl_secs),
            booking: settings.booking_rules(),
            caller_cache_users: iurhub_app::caller_cache::CAPACITY,
            index_dir: settings
                .search_index_on_disk
                .then(|| settings.data_dir.join("search-index")),
            suggest_min_score: settings.matching_suggest_min_score,
        };
        let app = App::open(&url, settings.db_max_connections, options)
            .await
            .with_context(|| format!("connecting to {}", redact_url(&url)))?;
        let files = settings
            .file_store()
            .context("configuring the attachments' file store")?;
        tracing::info!(store = ?files, "attachments' file store");
        let app = app.with_attachments(files, settings.attachments_max_bytes);

        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => generated_secret(&settings.data_dir)?,
        };
        let jwt = JwtKeys::new(
            &secret,
            &settings.jwt_issuer,
            &settings.jwt_audience,
            settings.access_token_ttl_secs,
            settings.jwt_leeway_secs,
        );
        bootstrap_admin(&app, &settings).await?;

        let response_cache = Arc::new(ResponseCache::new(
            settings.response_cache_bytes,
            Duration::from_millis(settings.response_cache_ttl_ms),
            Some(app.index().clone()),
        ));
        let app = app.forgetting(response_cache.clone());
        let services = Services {
            app: app.clone(),
            response_cache: response_cache.clone(),
        };
        let schema = build_schema(Some(services.clone()), &settings, Transport::Http);
        let ws_schema = build_schema(Some(services), &settings, Transport::WebSocket);
        let (closing, closing_rx) = tokio::sync::watch::channel(false);
        // PostgreSQL: other replicas' writes reach this index and these subscribers.
        iurhub_app::replication::spawn(
            &app,
            settings.replica_listen,
            Duration::from_secs(settings.replica_poll_secs),
            closing_rx.clone(),
        );
        // An index on disk moves its `complete_at` forward while serving.
        iurhub_app::index_dir::spawn_checkpoints(&app, closing_rx.clone());
        // Uploads no message named within a day are dropped.
        iurhub_app::threads::spawn_sweeper(&app, closing_rx.clone());
        // Deadlines and reminders, once per cluster.
        if settings.scheduler_enabled {
            iurhub_app::schedule::spawn(
                &app,
                iurhub_app::schedule::Schedule {
                    every: Duration::from_secs(settings.schedule_every_secs),
                    due_days: settings.checklist_due_days,
                    listing_confirm_days: settings.listing_confirm_days,
                },
                closing_rx.clone(),
            );
        }
        // Notification e-mail leaves the outbox.
        match settings.mailer().context("configuring the SMTP server")? {
            Some(mailer) => {
                tracing::info!(mailer = ?mailer, "notification e-mail is sent");
                iurhub_app::mail::spawn_dispatcher(
                    &app,
                    mailer,
                    Duration::from_secs(settings.mail_poll_secs),
                    Duration::from_secs(settings.mail_lease_secs),
                    closing_rx.clone(),
                );
            }
            None => tracing::info!("no smtp_url: notification e-mail waits in the outbox"),
        }
        let limits = Arc::new(RateLimits::new(&settings));
        crate::ratelimit::spawn_eviction(&limits, closing_rx.clone());
        let gate = DatabaseGate::default();
        spawn_probe(&app, gate.clone(), closing_rx.clone());
        let state = AppState {
            app,
            jwt: Arc::new(jwt),
            settings: Arc::new(settings),
            schema,
            ws_schema,
            response_cache,
            limits,
            closing: closing_rx,
        };
        let router = router_with_gate(state.clone(), gate);
        let listener = TcpListener::bind(&state.settings.listen)
            .await
            .with_context(|| format!("binding {}", state.settings.listen))?;
        Ok(Server {
            listener,
            router,
            state,
            closing,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// The application layer this server serves.
    pub fn app(&self) -> &App {
        &self.state.app
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests
    /// (for `shutdown_grace_secs` at most) and closes the database pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(address = %self.local_addr(), "listening");
        let closing = self.closing;
        let mut signalled = closing.subscribe();
        let shutdown = async move {
            shutdown.await;
            // WebSocket connections would otherwise hold the shutdown open.
            closing.send_replace(true);
        };
        // The peer address is the client IP of the rate limits.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let serving = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .into_future();
        let grace = Duration::from_secs(self.state.settings.shutdown_grace_secs);
        let grace_over = async move {
            if signalled.wait_for(|closing| *closing).await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(grace).await;
        };
        // A client can hold a request open past the request timeout (reading
        // a long export slowly, say): the drain has its own limit.
        let drained = tokio::select! {
            served = serving => {
                served.context("serving HTTP")?;
                true
            }
            () = grace_over => false,
        };
        if !drained {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "requests were still running when the shutdown grace period ended; they are cut off"
            );
        }
        // Every write is in the index on disk: the next start catches up
        // only from here. Not when requests were cut off: they may still
        // write.
        if drained {
            iurhub_app::index_dir::checkpoint(&self.state.app, iurhub_app::index_dir::Stop::Clean);
        }
        // Closing waits for connections still checked out (by requests cut
        // off above): a few seconds at most.
        let closed = tokio::time::timeout(
            Duration::from_secs(5),
            iurhub_app::database::close(&self.state.app),
        )
        .await;
        match closed {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!(error = %err, "closing the database pool"),
            Err(_) => tracing::warn!("database connections still in use after 5 s; not waiting"),
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Reads the JWT secret kept in the data directory, creating it once.
fn generated_secret(data_dir: &Path) -> anyhow::Result<SecretString> {
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(SecretString::from(existing));
        }
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    write_private(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(
        path = %path.display(),
        "IURHUB_JWT_SECRET is not set: generated a random secret and kept it in the data directory; \
         set IURHUB_JWT_SECRET for production and for more than one replica"
    );
    Ok(SecretString::from(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

/// Creates the platform ADMIN named by the bootstrap settings, once.
async fn bootstrap_admin(app: &App, settings: &Settings) -> anyhow::Result<()> {
    let (Some(email), Some(password)) = (
        &settings.bootstrap_admin_email,
        &settings.bootstrap_admin_password,
    ) else {
        return Ok(());
    };
    let email = iurhub_domain::validate::email("IURHUB_BOOTSTRAP_ADMIN_EMAIL", email)?;
    iurhub_app::accounts::ensure_admin(app, &email, async || {
        iurhub_domain::validate::password(
            "IURHUB_BOOTSTRAP_ADMIN_PASSWORD",
            password.expose_secret(),
        )?;
        let password = password.clone();
        tokio::task::spawn_blocking(move || hash_password(password.expose_secret())).await?
    })
    .await
}

/// The origins browsers may call from: those configured; in the `dev`
/// profile without any configured, every `http://localhost:<port>` and
/// `http://127.0.0.1:<port>` (a frontend's development server); otherwise
/// none (same origin only).
fn cors_origins(settings: &Settings) -> Option<AllowOrigin> {
    if !settings.cors_allowed_origins.is_empty() {
        let origins: Vec<HeaderValue> = settings
            .cors_allowed_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        return Some(AllowOrigin::list(origins));
    }
    (settings.profile == crate::config::Profile::Dev).then(|| {
        AllowOrigin::predicate(|origin: &HeaderValue, _| origin.to_str().is_ok_and(is_local_origin))
    })
}

/// `http://localhost[:port]` or `http://127.0.0.1[:port]`, nothing more.
fn is_local_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest
        .strip_prefix("localhost")
        .or_else(|| rest.strip_prefix("127.0.0.1"));
    match host_port {
        Some("") => true,
        Some(port) => port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        }),
        None => false,
    }
}

async fn healthz() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

async fn readyz(state: AppState, gate: DatabaseGate) -> impl IntoResponse {
    // Ready only when requests will be served: never while the gate is
    // closed (`biased`: checked first, even if the pool already answers
    // again), and 503 as soon as the probe closes it during a ping that
    // still waits for a connection, rather than after the ping's timeout.
    let up = tokio::select! {
        biased;
        () = gate.down() => false,
        ping = tokio::time::timeout(Duration::from_secs(2), iurhub_app::database::ping(&state.app)) => {
            matches!(ping, Ok(true))
        }
    };
    if up {
        (
            StatusCode::OK,
            axum::Json(json!({ "status": "ready", "database": "up" })),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "status": "unavailable", "database": "down" })),
        )
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("route")
}

/// Every route with its middleware.
pub fn router(state: AppState) -> Router {
    router_with_gate(state, DatabaseGate::default())
}

/// [`router`], with the routes that need the database behind `gate`.
fn router_with_gate(state: AppState, gate: DatabaseGate) -> Router {
    let settings = state.settings.clone();
    let gated = || axum::middleware::from_fn_with_state(gate.clone(), database_gate);
    let per_ip = |route| {
        axum::middleware::from_fn_with_state(
            AuthLimit {
                limits: state.limits.clone(),
                route,
            },
            crate::ratelimit::auth_per_ip,
        )
    };
    let api = Router::new()
        .route(
            "/auth/register",
            post(rest::register).route_layer(per_ip(AuthRoute::Register)),
        )
        .route(
            "/auth/login",
            post(rest::login).route_layer(per_ip(AuthRoute::Login)),
        )
        .route(
            "/auth/refresh",
            post(rest::refresh).route_layer(per_ip(AuthRoute::Refresh)),
        )
        .route("/auth/logout", post(rest::logout))
        .route("/auth/password", post(rest::change_password))
        .route("/projects.csv", get(crate::exports::projects_csv))
        .route(
            "/agreements/{id}/review.csv",
            get(crate::exports::agreement_review_csv),
        )
        .route(
            "/centers/{id}/assessment.csv",
            get(crate::exports::center_assessment_csv),
        )
        .route(
            "/centers/{id}/assessment.xlsx",
            get(crate::exports::center_assessment_xlsx),
        )
        .route(
            "/centers/{id}/settlement.csv",
            get(crate::exports::center_settlement_csv),
        )
        .route("/invoices/{file}", get(crate::exports::invoice_csv))
        .route(
            "/instruments/{id}/calendar.ics",
            get(crate::exports::instrument_calendar),
        )
        .route(
            "/me/bookings.ics",
            get(crate::exports::my_bookings_calendar),
        )
        .route("/needs", get(needs::list_needs))
        .route("/needs/{id}", get(needs::get_need))
        .route("/needs/{id}/matches", get(needs::need_matches))
        .route("/capabilities", get(capabilities::list_capabilities))
        .route("/capabilities/{id}", get(capabilities::get_capability))
        .route("/talents", get(talents::list_talents))
        .route("/talents/{id}", get(talents::get_talent))
        .route("/organizations", get(organizations::list_organizations))
        .route("/organizations/{id}", get(organizations::get_organization))
        .route("/projects", get(projects::list_projects))
        .route("/projects/{id}", get(projects::get_project))
        .route("/instruments", get(instruments::list_instruments))
        .route("/instruments/{id}", get(instruments::get_instrument))
        .route(
            "/attachments/{id}",
            get(crate::rest::attachments::download_attachment),
        )
        .route(
            "/service-orders/{id}/report",
            get(crate::rest::service_orders::download_report),
        )
        // Every route above needs the database; the document below does not.
        .route_layer(gated())
        .route("/openapi.json", get(crate::rest::openapi::openapi_json))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::rest::error_request_id));

    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/readyz",
            get({
                let gate = gate.clone();
                move |State(state): State<AppState>| readyz(state, gate)
            }),
        )
        .route(
            "/graphql",
            post(graphql::graphql_post)
                .get(graphql::graphql_get)
                .route_layer(axum::middleware::from_fn_with_state(
                    crate::ratelimit::GraphqlLimit {
                        limits: state.limits.clone(),
                        jwt: state.jwt.clone(),
                    },
                    crate::ratelimit::graphql_per_user,
                ))
                .route_layer(axum::middleware::from_fn_with_state(
                    gate.clone(),
                    graphql_database_gate,
                ))
                .layer(axum::middleware::from_fn(crate::rest::error_request_id)),
        )
        .route("/graphql/ws", get(graphql::graphql_ws))
        .route("/graphiql/{file}", get(graphql::graphiql::asset))
        .route(
            "/metrics",
            get(crate::metrics::endpoint).with_state(crate::metrics::Scrape {
                enabled: state.settings.metrics_enabled,
                app: state.app.clone(),
            }),
        )
        .nest("/api/v1", api)
        .fallback(not_found)
        .with_state(state.clone())
        // Error messages in the language the request asks for.
        .layer(axum::middleware::from_fn(crate::i18n::scope));

    if let Some(origins) = cors_origins(&settings) {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                    REQUEST_ID,
                ])
                // What a browser app reads: the request id to quote, and
                // when to retry a refused request.
                .expose_headers([REQUEST_ID, axum::http::header::RETRY_AFTER]),
        );
    }

    // Uploads: their own body limit (the attachment limit and the
    // multipart framing), checked again while the file streams in.
    let upload_limit = usize::try_from(settings.attachments_max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let mut uploads = Router::new()
        .route(
            "/api/v1/threads/{id}/attachments",
            post(crate::rest::attachments::upload_attachment).route_layer(gated()),
        )
        .route(
            "/api/v1/service-orders/{id}/report",
            post(crate::rest::service_orders::upload_report).route_layer(gated()),
        )
        .layer(axum::extract::DefaultBodyLimit::max(upload_limit))
        .layer(axum::middleware::from_fn(crate::rest::error_request_id))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(crate::i18n::scope));
    if let Some(origins) = cors_origins(&settings) {
        uploads = uploads.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([axum::http::Method::POST])
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                    REQUEST_ID,
                ])
                .expose_headers([REQUEST_ID]),
        );
    }
    let uploads = uploads.layer(RequestBodyLimitLayer::new(upload_limit));

    router
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes))
        .merge(uploads)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let request_id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or(req.uri().path(), MatchedPath::as_str);
                    // `operation` is filled in for GraphQL requests once parsed.
                    tracing::info_span!(
                        "request",
                        request_id,
                        method = %req.method(),
                        route,
                        operation = tracing::field::Empty
                    )
                })
                .on_request(())
                .on_response(
                    |res: &axum::http::Response<_>, latency: Duration, _span: &Span| {
                        tracing::info!(
                            status = res.status().as_u16(),
                            latency_ms = latency.as_secs_f64() * 1000.0,
                            "request"
                        );
                    },
                )
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unfit_request_id))
        .layer(axum::middleware::from_fn_with_state(
            crate::metrics::HttpMetrics::new(&settings),
            crate::metrics::track_http,
        ))
}

/// A client's `x-request-id` is kept only when it is a plain, bounded id
/// (1 to 64 of `A-Z a-z 0-9 . _ -`): anything else would be echoed in the
/// response and written to every log line of the request. An unfit one is
/// dropped, and the request gets an id of its own.
async fn drop_unfit_request_id(mut req: Request) -> Request {
    let fit = |v: &axum::http::HeaderValue| {
        let b = v.as_bytes();
        (1..=64).contains(&b.len())
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
    };
    let headers = req.headers_mut();
    if headers.get_all(REQUEST_ID).iter().count() > 1
        || headers.get(REQUEST_ID).is_some_and(|v| !fit(v))
    {
        headers.remove(REQUEST_ID);
    }
    req
}
