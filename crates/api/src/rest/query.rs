//! The steps every REST list and get handler takes: the query parameters,
//! paging, ordering and the ids in filters and paths.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, OriginalUri, Path, Query, RawQuery};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use iurhub_domain::Message;
use iurhub_domain::records::page::Page;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use super::{ListPage, Paging, page, paging};
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode};
use crate::state::AppState;

/// The query parameters; unknown ones are refused.
pub fn params<T: DeserializeOwned>(raw: Option<String>) -> ApiResult<T> {
    let uri: axum::http::Uri = format!("/?{}", raw.unwrap_or_default())
        .parse()
        .map_err(|_| ApiError::invalid("query", Message::new("query.malformed")))?;
    Query::<T>::try_from_uri(&uri)
        .map(|Query(t)| t)
        .map_err(|e: QueryRejection| {
            ApiError::invalid(
                "query",
                Message::new("query.unreadable").with("detail", e.body_text()),
            )
        })
}

/// The parameters of a list: `first`, `after` and `totalCount` besides its
/// own filters.
pub trait ListParams: DeserializeOwned {
    fn paging_fields(&self) -> (Option<&str>, Option<String>, Option<&str>);
}

/// Declares the query parameters of a list: the paging fields `first`,
/// `after` and `totalCount` (with the docs written before their names),
/// then the list's own filters, every one an optional string; and makes it
/// a [`ListParams`].
macro_rules! list_params {
    (
        $(#[$($attr:tt)*])*
        pub struct $name:ident {
            $(#[$($first_attr:tt)*])* first,
            $(#[$($after_attr:tt)*])* after,
            $(#[$($total_attr:tt)*])* total_count,
            $($(#[$($field_attr:tt)*])* pub $field:ident,)*
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(::serde::Deserialize, ::utoipa::IntoParams, Default)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $(#[$($first_attr)*])*
            #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
            pub first: Option<String>,
            $(#[$($after_attr)*])*
            #[param(ignore)]
            pub after: Option<String>,
            $(#[$($total_attr)*])*
            #[param(value_type = Option<bool>)]
            pub total_count: Option<String>,
            $($(#[$($field_attr)*])* pub $field: Option<String>,)*
        }

        impl $crate::rest::query::ListParams for $name {
            fn paging_fields(&self) -> (Option<&str>, Option<String>, Option<&str>) {
                (self.first.as_deref(), self.after.clone(), self.total_count.as_deref())
            }
        }
    };
}
pub(crate) use list_params;

/// What a list handler is given: the state, the caller, and the request's
/// URL and query (extracted in that order).
pub struct ListCall {
    pub state: AppState,
    pub who: Identity,
    uri: Uri,
    raw: Option<String>,
}

impl FromRequestParts<AppState> for ListCall {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let who = Identity::from_request_parts(parts, state).await?;
        let Ok(OriginalUri(uri)) = OriginalUri::from_request_parts(parts, state).await;
        let Ok(RawQuery(raw)) = RawQuery::from_request_parts(parts, state).await;
        Ok(ListCall {
            state: state.clone(),
            who,
            uri,
            raw,
        })
    }
}

impl ListCall {
    /// The list's parameters and its paging, checked in that order.
    pub fn request<P: ListParams>(&self) -> ApiResult<(P, Paging)> {
        let p: P = params(self.raw.clone())?;
        let (first, after, total_count) = p.paging_fields();
        let paging = paging(self.state.settings.page_size_max, first, after, total_count)?;
        Ok((p, paging))
    }

    /// The page, with the `next` link of this request.
    pub fn page<T, D: ToSchema>(
        &self,
        order: &str,
        found: Page<T>,
        item: impl Fn(T) -> D,
    ) -> Json<ListPage<D>> {
        Json(page(order, found, &self.uri, item))
    }
}

/// What a handler of one resource is given: the state, the caller and the
/// id in the path (extracted in that order).
pub struct ItemCall {
    pub state: AppState,
    pub who: Identity,
    id: String,
}

impl FromRequestParts<AppState> for ItemCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let who = Identity::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(ItemCall {
            state: state.clone(),
            who,
            id,
        })
    }
}

impl ItemCall {
    /// The id in the path, of `kind` (NOT_FOUND naming `what` otherwise).
    pub fn id(&self, kind: Kind, what: &'static str) -> ApiResult<i64> {
        path_id(kind, what, &self.id)
    }
}

/// An organisation (or other) id used as a filter: an id that names no
/// object of that kind matches nothing; an empty one is an input error.
pub fn id_of(field: &str, kind: Kind, value: Option<&str>) -> ApiResult<Option<i64>> {
    match value {
        Some(v) => {
            id_syntax(field, v)?;
            Ok(Some(decode(field, kind, v).unwrap_or(NO_SUCH_ID)))
        }
        None => Ok(None),
    }
}

/// The `organizationId` filter.
pub fn organization_id(value: Option<&str>) -> ApiResult<Option<i64>> {
    id_of("organizationId", Kind::Organization, value)
}

/// The shape of a global id (as the OpenAPI document states it): 1–64
/// characters of the URL-safe base64 alphabet.
pub fn id_syntax(field: &str, value: &str) -> ApiResult<()> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, Message::new("id.malformed")))
    }
}

/// Matches no row (ids start at 1).
const NO_SUCH_ID: i64 = -1;

/// The id of a resource in the path: one that names no object of the kind
/// is NOT_FOUND, like an object that does not exist.
pub fn path_id(kind: Kind, what: &'static str, value: &str) -> ApiResult<i64> {
    decode("id", kind, value).map_err(|_| ApiError::not_found(what))
}

pub fn keyword(value: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::keyword_filter("keyword", value)?)
}

pub fn code(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::code_filter(field, value)?)
}

/// `orderBy` and `direction` of the needs, capabilities, talents and
/// organisations lists: `fields` are the orderings by name, the first the
/// default; gives the ordering, whether descending, and the cursor tag.
pub fn order<S: Copy>(
    list_name: &str,
    order_by: Option<&str>,
    direction: Option<&str>,
    fields: &[(&str, S)],
) -> ApiResult<(S, bool, String)> {
    let field = order_by.unwrap_or(fields[0].0);
    let Some(&(_, sort)) = fields.iter().find(|(name, _)| *name == field) else {
        let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        return Err(ApiError::invalid(
            "orderBy",
            Message::new("value.one_of").with("values", names.join(", ")),
        ));
    };
    let descending = match direction {
        None | Some("DESC") => true,
        Some("ASC") => false,
        Some(_) => {
            return Err(ApiError::invalid(
                "direction",
                Message::new("order.direction.invalid"),
            ));
        }
    };
    let tag = format!("rest:{list_name}:{field}:{descending}");
    Ok((sort, descending, tag))
}
