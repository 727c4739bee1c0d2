//! `GET /api/v1/organizations` and one organisation.

use axum::Json;
use chrono::{DateTime, Utc};
use iurhub_app::organizations;
use iurhub_domain::records::organizations::{Organization, OrganizationFilter, OrganizationSort};
use iurhub_domain::{Message, OrgKind};
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, id_of, keyword, list_params, order};
use super::{ErrorBody, ListPage, flag, list};
use crate::error::{ApiResult, AppError};
use crate::graphql::ids::{Kind, encode};

/// An organisation: enterprise, department, university, college, institute.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationDto {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: super::enums::OrgKind,
    pub province: Option<String>,
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationDto {
    fn from(o: Organization) -> Self {
        OrganizationDto {
            id: encode(Kind::Organization, o.id),
            parent_id: o.parent_id.map(|p| encode(Kind::Organization, p)),
            name: o.name,
            kind: o.kind.into(),
            province: o.region.province,
            city: o.region.city,
            created_at: o.created_at,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/organizations`.
    pub struct OrganizationParams {
        first,
        after,
        total_count,
        /// Only direct children of this organisation.
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub parent_id,
        /// `true` for top-level organisations only.
        #[param(value_type = Option<bool>)]
        pub roots_only,
        #[param(pattern = r"^(ENTERPRISE|UNIVERSITY|INSTITUTE|GOVERNMENT|OTHER)$")]
        pub kind,
        #[param(max_length = 200)]
        pub keyword,
        /// CREATED_AT (default) or NAME.
        #[param(pattern = r"^(CREATED_AT|NAME)$")]
        pub order_by,
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// Organisations (public).
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", params(OrganizationParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<OrganizationDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_organizations(call: ListCall) -> ApiResult<Json<ListPage<OrganizationDto>>> {
    let (p, paging): (OrganizationParams, _) = call.request()?;
    let (sort, descending, tag) = order(
        "organizations",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &[
            ("CREATED_AT", OrganizationSort::CreatedAt),
            ("NAME", OrganizationSort::Name),
        ],
    )?;
    let kinds = list::<OrgKind>("kind", p.kind.as_deref())?;
    if kinds.len() > 1 {
        return Err(AppError::invalid("kind", Message::new("filter.one_value")).into());
    }
    let filter = OrganizationFilter {
        parent_id: id_of("parentId", Kind::Organization, p.parent_id.as_deref())?,
        roots_only: flag("rootsOnly", p.roots_only.as_deref())?.unwrap_or(false),
        kind: kinds.first().copied(),
        keyword: keyword(p.keyword)?,
    };
    let found = organizations::list(
        &call.state.app,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(call.page(&tag, found, OrganizationDto::from))
}

/// One organisation (public).
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = OrganizationDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_organization(call: ItemCall) -> ApiResult<Json<OrganizationDto>> {
    let id = call.id(Kind::Organization, "organization")?;
    let org = organizations::get(&call.state.app, id).await?;
    Ok(Json(org.into()))
}
