//! REST resources under `/api/v1` for clients that do not speak GraphQL:
//! the same objects, filters and visibility rules, cursor pages with `next`
//! links, and an OpenAPI 3.1 document generated from this code.

pub mod attachments;
pub mod capabilities;
pub mod enums;
pub mod instruments;
pub mod needs;
pub mod openapi;
pub mod organizations;
pub mod projects;
pub mod query;
pub mod service_orders;
pub mod talents;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::Response;
use iurhub_domain::Message;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{decode_cursor, encode_cursor};
use iurhub_domain::records::page::{Page, PageArgs};

pub use crate::error::{Code, ErrorBody, FieldProblem};

/// An amount of money, as in GraphQL: `amount` in yuan as a decimal string
/// with two decimals, and the currency.
#[derive(Serialize, ToSchema, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct MoneyDto {
    /// The amount in yuan, two decimals (`"1200.50"`); a string so that
    /// 64-bit amounts stay exact.
    #[schema(example = "1200.50", pattern = r"^\d+\.\d{2}$")]
    pub amount: String,
    /// The currency (ISO 4217): always CNY.
    pub currency_code: CurrencyCode,
}

/// The currencies of the API (ISO 4217).
#[derive(Serialize, ToSchema, Debug, Clone, Copy)]
pub enum CurrencyCode {
    /// Chinese yuan.
    #[serde(rename = "CNY")]
    Cny,
}

impl MoneyDto {
    /// An amount in fen.
    pub fn fen(fen: i64) -> MoneyDto {
        MoneyDto {
            amount: crate::graphql::scalars::yuan(fen),
            currency_code: CurrencyCode::Cny,
        }
    }
}

/// Where the next page is.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    /// Pass as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// One page of a list.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListPage<T: ToSchema> {
    pub items: Vec<T>,
    pub page_info: PageInfo,
    /// The URL of the next page, or null on the last.
    pub next: Option<String>,
    /// Every matching object, all pages (only with `totalCount=true`).
    pub total_count: Option<u64>,
}

/// Adds the request id to JSON error bodies (`requestId`, in GraphQL's shape
/// `errors[].extensions.requestId`), so a client can quote it to an operator
/// who finds the logged cause.
pub async fn error_request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(response.status().is_client_error() || response.status().is_server_error()) || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut json: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    if let Some(obj) = json.as_object_mut()
        && obj.contains_key("code")
    {
        obj.insert("requestId".into(), id.clone().into());
    }
    // A GraphQL refusal before execution (`{"errors": [...]}`).
    if let Some(errors) = json.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for error in errors {
            if let Some(ext) = error.get_mut("extensions").and_then(|e| e.as_object_mut())
                && ext.get("requestId").is_none_or(serde_json::Value::is_null)
            {
                ext.insert("requestId".into(), id.clone().into());
            }
        }
    }
    let body = serde_json::to_vec(&json).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// The paging parameters every list takes.
pub struct Paging {
    pub first: u64,
    pub after: Option<String>,
    pub total_count: bool,
}

impl Paging {
    pub fn args(&self, order: &str) -> ApiResult<PageArgs> {
        Ok(PageArgs {
            first: Some(self.first),
            after: self
                .after
                .as_deref()
                .map(|c| decode_cursor("after", order, c))
                .transpose()?,
            last: None,
            before: None,
            with_total: self.total_count,
        })
    }
}

/// `first` (1 to `max`, the configured `page_size_max`; 20 by default),
/// `after`, `totalCount`.
pub fn paging(
    max: u64,
    first: Option<&str>,
    after: Option<String>,
    total_count: Option<&str>,
) -> ApiResult<Paging> {
    let first = match first {
        None => iurhub_domain::DEFAULT_PAGE_SIZE,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(
                    "first",
                    Message::new("paging.first.range").with("max", max),
                ));
            }
        },
    };
    Ok(Paging {
        first,
        after,
        total_count: flag("totalCount", total_count)?.unwrap_or(false),
    })
}

/// `true`/`false` parameters.
pub fn flag(field: &str, value: Option<&str>) -> ApiResult<Option<bool>> {
    match value {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::invalid(
            field,
            Message::new("value.not_a_boolean"),
        )),
    }
}

/// A comma-separated list of vocabulary values.
pub fn list<T: std::str::FromStr>(field: &str, value: Option<&str>) -> ApiResult<Vec<T>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if value.is_empty() {
        return Err(ApiError::invalid(field, Message::new("value.required")));
    }
    value
        .split(',')
        .map(str::trim)
        .map(|v| {
            v.parse::<T>().map_err(|_| {
                ApiError::invalid(field, Message::new("value.unknown").with("value", v))
            })
        })
        .collect()
}

/// Assembles a page: items, cursor and the `next` URL (this request's URL
/// with `after` replaced).
pub fn page<T, D: ToSchema>(
    order: &str,
    page: Page<T>,
    uri: &axum::http::Uri,
    item: impl Fn(T) -> D,
) -> ListPage<D> {
    let end_cursor = page.items.last().map(|(key, _)| encode_cursor(order, key));
    let next = match (&end_cursor, page.has_next_page) {
        (Some(cursor), true) => {
            let mut query: Vec<&str> = uri
                .query()
                .unwrap_or_default()
                .split('&')
                .filter(|p| !p.is_empty() && !p.starts_with("after="))
                .collect();
            let after = format!("after={cursor}");
            query.push(&after);
            Some(format!("{}?{}", uri.path(), query.join("&")))
        }
        _ => None,
    };
    ListPage {
        items: page.items.into_iter().map(|(_, t)| item(t)).collect(),
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            end_cursor,
        },
        next,
        total_count: page.total_count,
    }
}
