//! `GET /api/v1/capabilities` and one capability.

use axum::Json;
use chrono::{DateTime, Utc};
use iurhub_app::{capabilities, relations};
use iurhub_domain::CapabilityStatus;
use iurhub_domain::records::capabilities::{Capability, CapabilityFilter, CapabilitySort};
use iurhub_domain::validate::Achievement;
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
    /// The user who created it.
    pub created_by_id: String,
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    /// Discipline codes (GB/T 13745).
    pub discipline_codes: Vec<String>,
    pub trl: Option<i32>,
    /// Patents, papers, awards, prior projects.
    pub achievements: Vec<AchievementDto>,
    pub status: super::enums::CapabilityStatus,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A result that supports a capability.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AchievementDto {
    pub kind: super::enums::AchievementKind,
    pub title: String,
    pub year: Option<i32>,
    /// Patent number, DOI, award body or similar reference.
    pub reference: Option<String>,
}

impl From<Achievement> for AchievementDto {
    fn from(a: Achievement) -> Self {
        AchievementDto {
            kind: a.kind.into(),
            title: a.title,
            year: a.year,
            reference: a.reference,
        }
    }
}

impl CapabilityDto {
    /// With its discipline codes from `codes`.
    fn with(c: Capability, codes: &std::collections::HashMap<i64, Vec<String>>) -> Self {
        CapabilityDto {
            discipline_codes: codes.get(&c.id).cloned().unwrap_or_default(),
            ..CapabilityDto::from(c)
        }
    }
}

impl From<Capability> for CapabilityDto {
    /// Without its discipline codes (see [`CapabilityDto::with`]).
    fn from(c: Capability) -> Self {
        CapabilityDto {
            id: encode(Kind::Capability, c.id),
            organization_id: encode(Kind::Organization, c.organization_id),
            created_by_id: encode(Kind::User, c.created_by),
            title: c.title,
            summary: c.summary,
            keywords: c.keywords,
            discipline_codes: Vec::new(),
            trl: c.trl,
            achievements: c.achievements.into_iter().map(Into::into).collect(),
            status: c.status.into(),
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
    let ids: Vec<i64> = found.items.iter().map(|(_, c)| c.id).collect();
    let codes = relations::capability_disciplines(&call.state.app, &ids).await?;
    Ok(call.page(&tag, found, |c| CapabilityDto::with(c, &codes)))
}

/// One research capability.
#[utoipa::path(get, path = "/api/v1/capabilities/{id}", tag = "capabilities",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = CapabilityDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_capability(call: ItemCall) -> ApiResult<Json<CapabilityDto>> {
    let id = call.id(Kind::Capability, "capability")?;
    let found = capabilities::visible(&call.state.app, &call.who, id).await?;
    let codes = relations::capability_disciplines(&call.state.app, &[found.id]).await?;
    Ok(Json(CapabilityDto::with(found, &codes)))
}
