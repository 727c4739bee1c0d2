//! Prometheus metrics: `GET /metrics` in the text exposition format.
//!
//! Metrics are recorded through the `metrics` facade into one
//! `metrics-exporter-prometheus` recorder per process (installed by the first
//! server built with `metrics_enabled`; every later server of the process, as
//! in the test suite, shares it). Counters and histograms are recorded as
//! things happen; the database pool and the matching index are sampled when
//! `/metrics` is scraped. Every metric is listed in docs/OPERATIONS.md.
//!
//! Label values are bounded: HTTP routes are the matched route templates (an
//! unknown path is `unmatched`), GraphQL operation names are checked and
//! capped, error codes are checked.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
    NextSubscribe,
};
use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult, Variables};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::config::Settings;
use crate::error::ApiError;

/// Counter: HTTP requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "iurhub_http_requests_total";
/// Histogram: seconds until the response head, by `method`, `route` and `status`.
pub const HTTP_DURATION: &str = "iurhub_http_request_duration_seconds";
/// Counter: GraphQL operations, by `operation` and `type`.
pub const GRAPHQL_OPERATIONS: &str = "iurhub_graphql_operations_total";
/// Histogram: seconds to run a query or mutation, by `operation` and `type`.
pub const GRAPHQL_DURATION: &str = "iurhub_graphql_operation_duration_seconds";
/// Counter: errors in GraphQL responses, by `code` (`extensions.code`).
pub const GRAPHQL_ERRORS: &str = "iurhub_graphql_errors_total";
/// Gauge: database pool connections, by `state` (`in_use`, `idle`).
pub const DB_POOL_CONNECTIONS: &str = "iurhub_db_pool_connections";
/// Gauge: the largest size of the database pool.
pub const DB_POOL_MAX: &str = "iurhub_db_pool_max_connections";
/// Gauge: documents in the matching index, by `kind`.
pub const INDEX_DOCUMENTS: &str = "iurhub_matching_index_documents";
/// Gauge: 1 when the index was reopened from disk at start, else 0.
pub const INDEX_REOPENED: &str = "iurhub_matching_index_reopened";
/// Gauge: rows indexed again at start to catch a reopened index up.
pub const INDEX_CAUGHT_UP: &str = "iurhub_matching_index_caught_up_rows";
pub use iurhub_app::metrics::{MATCH_CACHE, MATCHING_DURATION};
/// Counter: lookups of the anonymous response cache, by `result` (`hit`,
/// `joined`, `miss`).
pub const RESPONSE_CACHE: &str = "iurhub_graphql_response_cache_lookups_total";

/// Bucket bounds of every `_seconds` histogram: 1 ms to 10 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How many distinct GraphQL operation names get a label of their own; later
/// names are counted as `other`.
pub const MAX_OPERATION_NAMES: usize = 500;

/// Route label of requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder once and returns its handle; `None` when
/// another recorder was installed first (then nothing is exported).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = match PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            {
                Ok(builder) => builder,
                Err(err) => {
                    tracing::error!(error = %err, "metrics: bad histogram buckets");
                    return None;
                }
            };
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!(
                    "another metrics recorder is installed in this process; /metrics stays empty"
                );
                return None;
            }
            describe();
            // Histogram samples wait in buffers until drained: drain them even
            // when nobody scrapes.
            let upkeep = handle.clone();
            let spawned = std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(Duration::from_secs(5));
                        upkeep.run_upkeep();
                    }
                });
            if let Err(err) = spawned {
                tracing::warn!(error = %err, "metrics: could not start the upkeep thread");
            }
            Some(handle)
        })
        .as_ref()
}

/// HELP lines.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status code"
    );
    describe_histogram!(
        HTTP_DURATION,
        "Seconds from receiving an HTTP request to its response head, by method, route template and status code"
    );
    describe_counter!(
        GRAPHQL_OPERATIONS,
        "GraphQL operations received, by operation name and type"
    );
    describe_histogram!(
        GRAPHQL_DURATION,
        "Seconds to run a GraphQL query or mutation, by operation name and type"
    );
    describe_counter!(
        GRAPHQL_ERRORS,
        "Errors in GraphQL responses, by extensions.code"
    );
    describe_gauge!(
        DB_POOL_CONNECTIONS,
        "Open database pool connections, by state (in_use, idle), sampled at scrape"
    );
    describe_gauge!(DB_POOL_MAX, "Largest size of the database pool");
    describe_gauge!(
        INDEX_DOCUMENTS,
        "Documents in the matching index, by kind, sampled at scrape"
    );
    describe_gauge!(
        INDEX_REOPENED,
        "1 when the matching index was reopened from disk at start, 0 when it was built from the rows"
    );
    describe_gauge!(
        INDEX_CAUGHT_UP,
        "Rows indexed again at start to catch a reopened matching index up"
    );
    describe_histogram!(
        MATCHING_DURATION,
        "Seconds of one matching or free-text search query, by operation"
    );
    describe_counter!(
        MATCH_CACHE,
        "Lookups of the per-need ranking cache, by result (hit, miss)"
    );
    describe_counter!(
        RESPONSE_CACHE,
        "Lookups of the cache of answers to anonymous GraphQL queries, by result (hit, joined, miss)"
    );
}

/// What `/metrics` reads: whether it is on, and the application whose pool
/// and index it samples.
#[derive(Clone)]
pub struct Scrape {
    pub enabled: bool,
    pub app: iurhub_app::App,
}

/// GET /metrics: the Prometheus text format. Not found when
/// `metrics_enabled` is off.
pub async fn endpoint(State(state): State<Scrape>) -> Response {
    if !state.enabled {
        return ApiError::not_found("route").into_response();
    }
    let Some(handle) = install() else {
        return ApiError::internal(anyhow::anyhow!(
            "another metrics recorder is installed in this process"
        ))
        .into_response();
    };
    sample(&state);
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// Sets the gauges that describe the current state: pool and index.
fn sample(state: &Scrape) {
    let (open, idle, max) = iurhub_app::database::pool(&state.app);
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(open);
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set(f64::from(open - idle));
    metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    metrics::gauge!(DB_POOL_MAX).set(f64::from(max));
    for (kind, count) in state.app.index().sizes() {
        metrics::gauge!(INDEX_DOCUMENTS, "kind" => kind).set(count as f64);
    }
    let (reopened, caught_up) = match state.app.index_opened() {
        Some(iurhub_app::index_dir::Opened::Reopened { caught_up }) => (1.0, *caught_up as f64),
        _ => (0.0, 0.0),
    };
    metrics::gauge!(INDEX_REOPENED).set(reopened);
    metrics::gauge!(INDEX_CAUGHT_UP).set(caught_up);
}

/// State of the HTTP middleware; building it installs the recorder when
/// metrics are on.
#[derive(Clone, Copy)]
pub struct HttpMetrics {
    enabled: bool,
}

impl HttpMetrics {
    pub fn new(settings: &Settings) -> HttpMetrics {
        let enabled = settings.metrics_enabled;
        if enabled {
            install();
        }
        HttpMetrics { enabled }
    }
}

/// Middleware: counts and times every request by route template and status.
pub async fn track_http(State(m): State<HttpMetrics>, req: Request, next: Next) -> Response {
    if !m.enabled {
        return next.run(req).await;
    }
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED.to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_DURATION, &labels).record(elapsed);
    response
}

/// Methods are client-chosen tokens: only the standard ones are labels.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// Counts one lookup of the anonymous response cache: `hit`, `joined` (the
/// answer of the same query running at the time) or `miss`.
pub fn response_cache(result: &'static str) {
    metrics::counter!(RESPONSE_CACHE, "result" => result).increment(1);
}

/// Whether `name` may be a label as it is: `[A-Za-z0-9_]{1,64}`.
fn plain_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The label of an operation name: `anonymous`, the name itself for the
/// first [`MAX_OPERATION_NAMES`] plain names, else `other`.
pub fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name else {
        return "anonymous".into();
    };
    if !plain_name(name) {
        return "other".into();
    }
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if seen.contains(name) {
        return name.to_owned();
    }
    if seen.len() >= MAX_OPERATION_NAMES {
        return "other".into();
    }
    seen.insert(name.to_owned());
    name.to_owned()
}

/// The label of an error: its `extensions.code` when it looks like one
/// (`[A-Z0-9_]{1,64}`), `other` when it does not, `none` without a code.
fn error_label(err: &ServerError) -> String {
    let code = err.extensions.as_ref().and_then(|e| e.get("code"));
    let text = match code {
        None => return "none".into(),
        Some(async_graphql::Value::String(s)) => s.as_str(),
        Some(async_graphql::Value::Enum(e)) => e.as_str(),
        Some(_) => return "other".into(),
    };
    let plain = (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        text.to_owned()
    } else {
        "other".into()
    }
}

fn count_errors(errors: &[ServerError]) {
    for err in errors {
        metrics::counter!(GRAPHQL_ERRORS, "code" => error_label(err)).increment(1);
    }
}

fn type_label(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// The `operation` and `type` labels of the operation a request runs:
/// `document` is `None` when it did not parse (or was refused unparsed).
fn operation_labels(
    document: Option<&ExecutableDocument>,
    requested: Option<&str>,
) -> (String, &'static str) {
    document
        .and_then(|doc| selected(doc, requested))
        .unwrap_or_else(|| (operation_label(requested), "unknown"))
}

/// Counts an operation (and names it on the request's log span: a checked
/// label, no user text).
fn count_operation(operation: &str, ty: &'static str) {
    tracing::Span::current().record("operation", operation);
    metrics::counter!(GRAPHQL_OPERATIONS, "operation" => operation.to_owned(), "type" => ty)
        .increment(1);
}

/// Records how long a query or mutation took (not for unparsed requests).
fn record_duration(operation: String, ty: &'static str, started: Instant) {
    if ty != "unknown" {
        metrics::histogram!(GRAPHQL_DURATION, "operation" => operation, "type" => ty)
            .record(started.elapsed().as_secs_f64());
    }
}

/// The metrics of one operation run over HTTP. The HTTP schema has no
/// async-graphql extensions (with any extension every field of every response
/// goes through the extension chain, a third of the cost of a list read), so
/// the handler records what [`GraphqlMetrics`] records over WebSocket.
pub struct HttpOperation {
    operation: String,
    ty: &'static str,
    started: Instant,
}

impl HttpOperation {
    /// The operation `document` selects (`None`: it did not parse); nothing
    /// is counted until [`HttpOperation::start`].
    pub fn new(document: Option<&ExecutableDocument>, requested: Option<&str>) -> HttpOperation {
        let (operation, ty) = operation_labels(document, requested);
        HttpOperation {
            operation,
            ty,
            started: Instant::now(),
        }
    }

    /// An operation known by its labels (an answer kept by the response
    /// cache); nothing is counted until [`HttpOperation::start`].
    pub fn from_labels(operation: String, ty: &'static str) -> HttpOperation {
        HttpOperation {
            operation,
            ty,
            started: Instant::now(),
        }
    }

    /// Its `operation` and `type` labels.
    pub fn labels(&self) -> (&str, &'static str) {
        (&self.operation, self.ty)
    }

    /// Counts the operation and starts its clock.
    pub fn start(mut self) -> HttpOperation {
        count_operation(&self.operation, self.ty);
        self.started = Instant::now();
        self
    }

    /// Records its duration and counts the response's errors.
    pub fn finish(self, errors: &[ServerError]) {
        record_duration(self.operation, self.ty, self.started);
        count_errors(errors);
    }
}

/// The async-graphql extension that counts operations and errors.
pub struct GraphqlMetrics;

impl ExtensionFactory for GraphqlMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationMetrics::default())
    }
}

/// What is known about one operation.
#[derive(Default)]
struct Operation {
    /// `operationName` of the request.
    requested: Option<String>,
    /// Name and type labels, once parsing was tried.
    labels: Option<(String, &'static str)>,
}

/// One request's extension instance.
#[derive(Default)]
struct OperationMetrics {
    op: Arc<Mutex<Operation>>,
}

impl OperationMetrics {
    fn labels(&self) -> (String, &'static str) {
        let op = self.op.lock().unwrap_or_else(PoisonError::into_inner);
        op.labels
            .clone()
            .unwrap_or_else(|| operation_labels(None, op.requested.as_deref()))
    }
}

/// The operation the request runs, by the rules of execution: the named one,
/// or the only one.
fn selected(doc: &ExecutableDocument, requested: Option<&str>) -> Option<(String, &'static str)> {
    match (&doc.operations, requested) {
        (DocumentOperations::Single(op), None) => {
            Some((operation_label(None), type_label(op.node.ty)))
        }
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .get(name)
            .map(|op| (operation_label(Some(name)), type_label(op.node.ty))),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .next()
            .map(|(name, op)| (operation_label(Some(name.as_str())), type_label(op.node.ty))),
        _ => None,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationMetrics {
    async fn request(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextRequest<'_>,
    ) -> async_graphql::Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let (operation, ty) = self.labels();
        record_duration(operation, ty, started);
        count_errors(&response.errors);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, async_graphql::Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, async_graphql::Response> {
        next.run(ctx, stream)
            .inspect(|response| count_errors(&response.errors))
            .boxed()
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        self.op
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .requested
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
        let (operation, ty) = {
            let mut op = self.op.lock().unwrap_or_else(PoisonError::into_inner);
            let labels = operation_labels(parsed.as_ref().ok(), op.requested.as_deref());
            op.labels = Some(labels.clone());
            labels
        };
        count_operation(&operation, ty);
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_checked() {
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("MyNeeds_2")), "MyNeeds_2");
        assert_eq!(operation_label(Some("needs-list")), "other");
        assert_eq!(operation_label(Some("")), "other");
        assert_eq!(operation_label(Some(&"a".repeat(65))), "other");
        assert_eq!(operation_label(Some("需求")), "other");
    }

    #[test]
    fn error_codes_are_checked() {
        let with = |code: &str| {
            let mut err = ServerError::new("x", None);
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", code);
            err.extensions = Some(ext);
            error_label(&err)
        };
        assert_eq!(with("BAD_USER_INPUT"), "BAD_USER_INPUT");
        assert_eq!(with("bad input"), "other");
        assert_eq!(error_label(&ServerError::new("x", None)), "none");
    }

    #[test]
    fn the_selected_operation_is_labelled() {
        let parse = |q: &str| async_graphql::parser::parse_query(q).unwrap();
        let doc = parse("{ me { id } }");
        assert_eq!(selected(&doc, None), Some(("anonymous".into(), "query")));
        let doc = parse("mutation Save { x } query Load { y }");
        assert_eq!(
            selected(&doc, Some("Save")),
            Some(("Save".into(), "mutation"))
        );
        assert_eq!(selected(&doc, None), None);
        assert_eq!(selected(&doc, Some("Nope")), None);
        let doc = parse("subscription Live { x }");
        assert_eq!(selected(&doc, None), Some(("Live".into(), "subscription")));
    }

    #[test]
    fn installing_twice_shares_the_handle() {
        let first = install().map(|h| h as *const PrometheusHandle);
        let second = install().map(|h| h as *const PrometheusHandle);
        assert_eq!(first, second);
    }
}
