//! `GET /api/v1/capabilities` and one capability.

use axum::Json;
use chrono::{DateTime, Utc};
use iurhub_app::capabilities;
use iurhub_domain::CapabilityStatus;
use iurhub_domain::records::capabilities::{Capability, CapabilityFilter, CapabilitySort};
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, code, keyword, list_params, order, organization_id};
use super::{ErrorBody, ListPage, list};
use crate::error::ApiResult;
use crate::graphql::ids::{Kind, encode};

/// A research capability.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityDto {
    pub id: String,
    pub organization_id: String,
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub trl: Option<i32>,
    /// DRAFT, PUBLISHED or ARCHIVED.
    pub status: String,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Capability> for CapabilityDto {
    fn from(c: Capability) -> Self {
        CapabilityDto {
            id: encode(Kind::Capability, c.id),
            organization_id: encode(Kind::Organization, c.organization_id),
            title: c.title,
            summary: c.summary,
            keywords: c.keywords,
            trl: c.trl,
            status: c.status.as_str().to_owned(),
            version: c.version,
            published_at: c.published_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/capabilities`.
    pub struct CapabilityParams {
        first,
        after,
        total_count,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub organization_id,
        /// Comma-separated statuses.
        #[param(pattern = r"^(DRAFT|PUBLISHED|ARCHIVED)(,(DRAFT|PUBLISHED|ARCHIVED))*$")]
        pub status,
        #[param(max_length = 200)]
        pub keyword,
        #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
        pub discipline_code,
        /// CREATED_AT (default), UPDATED_AT or TITLE.
        #[param(pattern = r"^(CREATED_AT|UPDATED_AT|TITLE)$")]
        pub order_by,
        /// DESC (default) or ASC.
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// Research capabilities the caller may see: published ones, plus drafts and
/// archived ones of the caller's organisations.
#[utoipa::path(get, path = "/api/v1/capabilities", tag = "capabilities", params(CapabilityParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<CapabilityDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_capabilities(call: ListCall) -> ApiResult<Json<ListPage<CapabilityDto>>> {
    let (p, paging): (CapabilityParams, _) = call.request()?;
    let (sort, descending, tag) = order(
        "capabilities",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &[
            ("CREATED_AT", CapabilitySort::CreatedAt),
            ("UPDATED_AT", CapabilitySort::UpdatedAt),
            ("TITLE", CapabilitySort::Title),
        ],
    )?;
    let filter = CapabilityFilter {
        organization_id: organization_id(p.organization_id.as_deref())?,
        statuses: list::<CapabilityStatus>("status", p.status.as_deref())?,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        talent_id: None,
    };
    let found = capabilities::list(
        &call.state.app,
        &call.who,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(call.page(&tag, found, CapabilityDto::from))
}

/// One research capability.
#[utoipa::path(get, path = "/api/v1/capabilities/{id}", tag = "capabilities",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = CapabilityDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_capability(call: ItemCall) -> ApiResult<Json<CapabilityDto>> {
    let id = call.id(Kind::Capability, "capability")?;
    Ok(Json(
        capabilities::visible(&call.state.app, &call.who, id)
            .await?
            .into(),
    ))
}
