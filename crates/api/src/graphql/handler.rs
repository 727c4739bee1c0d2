//! `/graphql`: POST runs one operation (no batches); GET serves GraphiQL, or
//! runs a query (never a mutation) given as URL parameters.

use crate::graphql::loaders::RelationLoader;
use async_graphql::dataloader::DataLoader;
use axum::body::Bytes;
use axum::extract::{Query as UrlQuery, State};
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use iurhub_domain::Message;
use serde_json::json;

use async_graphql::parser::types::{ExecutableDocument, OperationType};

use super::limits::DocumentLimits;
use super::response_cache::{Answer, Key, Lookup};
use crate::auth::Identity;
use crate::error::ApiError;
use crate::metrics::HttpOperation;
use crate::state::AppState;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// A GraphQL-shaped error response outside of execution.
fn error(status: StatusCode, code: &str, text: Message) -> Response {
    let locale = crate::i18n::current();
    let body = json!({ "errors": [{ "message": text.render(locale), "extensions": {
        "code": code, "key": text.key, "fields": [], "requestId": null } }] });
    (status, axum::Json(body)).into_response()
}

fn from_api_error(err: ApiError) -> Response {
    (err.status(), axum::Json(err.graphql_body())).into_response()
}

/// The error convention ([`super::convention`]) for an HTTP response.
fn finish_errors(
    response: &mut async_graphql::Response,
    headers: &HeaderMap,
    query: &str,
    operation: Option<&str>,
    variables: &async_graphql::Variables,
) {
    if response.errors.is_empty() {
        return;
    }
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    super::convention::finish(
        &mut response.errors,
        &super::convention::Request {
            query,
            operation,
            variables,
            locale: crate::i18n::current(),
            request_id,
        },
    );
}

/// Whether the client asked for the GraphQL-over-HTTP media type.
fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(GRAPHQL_RESPONSE) && !a.contains("application/json"))
}

async fn identity(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    let header = match headers.get(AUTHORIZATION) {
        Some(v) => Some(v.to_str().map_err(|_| {
            error(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                Message::new("auth.header.not_text"),
            )
        })?),
        None => None,
    };
    crate::auth::identity_from_header(state, header)
        .await
        .map_err(from_api_error)
}

/// What the handler learns from a request's document before running it.
struct Prepared {
    /// Why it is refused before execution (a limit, a syntax error).
    refusal: Option<async_graphql::ServerError>,
    /// Whether the operation it runs is a mutation or a subscription.
    writes: bool,
    /// Whether the operation it runs is a mutation.
    mutates: bool,
    /// Its metrics, when they are on (counted once it runs).
    metrics: Option<HttpOperation>,
}

/// Checks the document limits, parsing the document at most once and only
/// when its variables and tokens are within the limits; the parsed document
/// stays in the request, so it is not parsed again.
fn prepare(state: &AppState, request: &mut async_graphql::Request) -> Prepared {
    let limits = DocumentLimits::from_settings(&state.settings);
    let requested = request.operation_name.clone();
    let (document, refusal) = limits.check_request(request);
    Prepared {
        writes: document.is_some_and(|d| writes(d, requested.as_deref())),
        mutates: document.is_some_and(|d| runs(d, requested.as_deref(), OperationType::Mutation)),
        metrics: state
            .settings
            .metrics_enabled
            .then(|| HttpOperation::new(document, requested.as_deref())),
        refusal,
    }
}

/// Whether the operation `document` runs (the named one, or any one when
/// none is named) is a mutation or a subscription.
pub(super) fn writes(document: &ExecutableDocument, wanted: Option<&str>) -> bool {
    runs(document, wanted, OperationType::Mutation)
        || runs(document, wanted, OperationType::Subscription)
}

/// Whether the operation `document` runs (the named one, or any one when
/// none is named) is of type `ty`.
fn runs(document: &ExecutableDocument, wanted: Option<&str>, ty: OperationType) -> bool {
    document.operations.iter().any(|(name, op)| {
        let selected = match (wanted, name) {
            (Some(wanted), Some(n)) => wanted == n.as_str(),
            (None, _) => true,
            _ => false,
        };
        selected && op.node.ty == ty
    })
}

/// The refusal of a mutation by a caller who may change nothing (a
/// supervisor, [`Identity::read_only`]): FORBIDDEN before anything runs,
/// whatever the mutation. `query` is parsed only for such callers; a
/// document that does not parse is left to the execution to refuse.
pub(super) fn read_only_refusal(
    identity: &Identity,
    query: &str,
    operation: Option<&str>,
) -> Option<ApiError> {
    if !identity.read_only() {
        return None;
    }
    let document = async_graphql::parser::parse_query(query).ok()?;
    runs(&document, operation, OperationType::Mutation)
        .then(|| ApiError::from(Identity::read_only_refusal()))
}

/// Runs one operation. `query_only` refuses mutations and subscriptions with
/// 405 (GET).
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    mut request: async_graphql::Request,
    query_only: bool,
) -> Response {
    let graphql_media = wants_graphql_response(headers);
    // Everybody who is not signed in sees the same data: anonymous queries
    // may be answered from the response cache.
    let cache = &state.response_cache;
    let ticket = if cache.enabled() && !headers.contains_key(AUTHORIZATION) {
        match cache.lookup(Key::new(graphql_media, &request)).await {
            Lookup::Hit(answer) => return kept(state, answer, graphql_media),
            Lookup::Miss(ticket) => Some(ticket),
        }
    } else {
        None
    };
    let prepared = prepare(state, &mut request);
    if query_only && prepared.refusal.is_none() && prepared.writes {
        // Mutations never run over GET (they would be cacheable and CSRF-prone).
        let mut response = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_USER_INPUT",
            Message::new("graphql.get_mutation"),
        );
        response
            .headers_mut()
            .insert("allow", HeaderValue::from_static("POST"));
        return response;
    }
    let identity = match identity(state, headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let metrics = prepared.metrics.map(HttpOperation::start);
    let refusal = prepared.refusal.or_else(|| {
        (prepared.mutates && identity.read_only()).then(|| {
            async_graphql::Error::from(ApiError::from(Identity::read_only_refusal()))
                .into_server_error(async_graphql::Pos::default())
        })
    });
    let response = match refusal {
        None => {
            let loader = DataLoader::new(RelationLoader(state.app.clone()), tokio::spawn);
            let (query, operation) = (request.query.clone(), request.operation_name.clone());
            let variables = request.variables.clone();
            let request = request.data(identity).data(loader);
            // Committed writes forget kept answers themselves, in the
            // application layer, on every transport.
            let mut response = state.schema.execute(request).await;
            if response.errors.iter().any(|e| !e.path.is_empty())
                && let Ok(document) = async_graphql::parser::parse_query(&query)
            {
                super::nulls::propagate(&document, operation.as_deref(), &mut response);
            }
            finish_errors(
                &mut response,
                headers,
                &query,
                operation.as_deref(),
                &variables,
            );
            response
        }
        Some(refusal) => {
            let mut response = async_graphql::Response::from_errors(vec![refusal]);
            finish_errors(&mut response, headers, "", None, &Default::default());
            response
        }
    };
    let labels = metrics.as_ref().map(|m| {
        let (operation, ty) = m.labels();
        (operation.to_owned(), ty)
    });
    if let Some(metrics) = metrics {
        metrics.finish(&response.errors);
    }
    // A request that never executed (syntax or validation error: errors
    // without a path, no data). With the GraphQL-over-HTTP media type it is a
    // 400 without a `data` entry; with plain JSON always 200 and `data: null`.
    let never_executed = response.data == async_graphql::Value::Null
        && response.is_err()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if graphql_media && never_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // Serialised straight from the response: its maps keep the order of the
    // selection, as GraphQL requires (a `serde_json::Value` would sort them).
    let body = if graphql_media && never_executed {
        serde_json::to_vec(&json!({ "errors": response.errors }))
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
        Ok(body) => Bytes::from(body),
        Err(err) => return from_api_error(ApiError::internal(err)),
    };
    if let Some(ticket) = ticket
        && !prepared.writes
        && !response.is_err()
    {
        let (operation, ty) = labels.unwrap_or_default();
        let answer = Answer {
            body: body.clone(),
            operation,
            ty,
        };
        cache.keep(ticket, answer);
    }
    respond(status, body, graphql_media)
}

fn respond(status: StatusCode, body: Bytes, graphql_media: bool) -> Response {
    let content_type = if graphql_media {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let mut http = (status, body).into_response();
    http.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    http
}

/// A kept answer to an anonymous query, counted like one that ran.
fn kept(state: &AppState, answer: Answer, graphql_media: bool) -> Response {
    if state.settings.metrics_enabled {
        HttpOperation::from_labels(answer.operation, answer.ty)
            .start()
            .finish(&[]);
    }
    respond(StatusCode::OK, answer.body, graphql_media)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v == "application/graphql+json")
}

/// POST /graphql with `{"query", "variables", "operationName"}`.
pub async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            Message::new("graphql.content_type"),
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            let text = if first == Some(&b'[') {
                Message::new("graphql.batch")
            } else if e.is_syntax() || e.is_eof() {
                Message::new("graphql.body.not_json")
            } else {
                Message::new("graphql.body.not_request").with("detail", e)
            };
            return error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", text);
        }
    };
    execute(&state, &headers, request, false).await
}

/// Parameters of a GET request.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    operation_name: Option<String>,
}

/// GET /graphql: GraphiQL for browsers, or a read-only query.
pub async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlQuery(params): UrlQuery<GetParams>,
) -> Response {
    let Some(query) = params.query else {
        if state.settings.profile == crate::config::Profile::Production {
            return error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                Message::new("graphiql.disabled"),
            );
        }
        return graphiql().await.into_response();
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str(&vars) {
            Ok(v) => request = request.variables(async_graphql::Variables::from_json(v)),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    Message::new("graphql.variables.not_json"),
                );
            }
        }
    }
    execute(&state, &headers, request, true).await
}

/// The GraphiQL IDE, with its scripts and styles from this server.
pub async fn graphiql() -> Html<String> {
    super::graphiql::page()
}
