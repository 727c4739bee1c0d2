//! `GET /api/v1/talents` and one talent profile.

use axum::Json;
use chrono::{DateTime, Utc};
use iurhub_app::{relations, talents};
use iurhub_domain::records::talents::{Talent, TalentFilter, TalentSort};
use iurhub_domain::{CooperationMode, Message};
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, code, keyword, list_params, order, organization_id};
use super::{ErrorBody, ListPage, list};
use crate::error::{ApiResult, AppError};
use crate::graphql::ids::{Kind, encode};

/// A talent profile (signed-in users).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TalentDto {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub title: Option<String>,
    pub bio: String,
    pub keywords: Vec<String>,
    /// Discipline codes (GB/T 13745).
    pub discipline_codes: Vec<String>,
    /// Cooperation modes the person is available for.
    pub availability: Vec<super::enums::CooperationMode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TalentDto {
    /// With its discipline codes from `codes`.
    fn with(t: Talent, codes: &std::collections::HashMap<i64, Vec<String>>) -> Self {
        TalentDto {
            discipline_codes: codes.get(&t.id).cloned().unwrap_or_default(),
            ..TalentDto::from(t)
        }
    }
}

impl From<Talent> for TalentDto {
    /// Without its discipline codes (see [`TalentDto::with`]).
    fn from(t: Talent) -> Self {
        TalentDto {
            id: encode(Kind::Talent, t.id),
            organization_id: encode(Kind::Organization, t.organization_id),
            name: t.name,
            title: t.title,
            bio: t.bio,
            keywords: t.keywords,
            discipline_codes: Vec::new(),
            availability: t.availability.iter().map(|m| (*m).into()).collect(),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/talents`.
    pub struct TalentParams {
        first,
        after,
        total_count,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub organization_id,
        #[param(max_length = 200)]
        pub keyword,
        #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
        pub discipline_code,
        /// A cooperation mode the person must be available for.
        #[param(
            pattern = r"^(CONSULTING|SECONDMENT|JOINT_TRAINING|JOINT_RESEARCH|TECHNOLOGY_TRANSFER|TESTING)$"
        )]
        pub available_for,
        /// CREATED_AT (default), UPDATED_AT or NAME.
        #[param(pattern = r"^(CREATED_AT|UPDATED_AT|NAME)$")]
        pub order_by,
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// Talent profiles (signed-in users).
#[utoipa::path(get, path = "/api/v1/talents", tag = "talents", params(TalentParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<TalentDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_talents(call: ListCall) -> ApiResult<Json<ListPage<TalentDto>>> {
    call.who.require()?;
    let (p, paging): (TalentParams, _) = call.request()?;
    let (sort, descending, tag) = order(
        "talents",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &[
            ("CREATED_AT", TalentSort::CreatedAt),
            ("UPDATED_AT", TalentSort::UpdatedAt),
            ("NAME", TalentSort::Name),
        ],
    )?;
    let available_for = list::<CooperationMode>("availableFor", p.available_for.as_deref())?;
    if available_for.len() > 1 {
        return Err(AppError::invalid("availableFor", Message::new("filter.one_value")).into());
    }
    let filter = TalentFilter {
        organization_id: organization_id(p.organization_id.as_deref())?,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        available_for: available_for.first().copied(),
    };
    let found = talents::list(
        &call.state.app,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    let ids: Vec<i64> = found.items.iter().map(|(_, t)| t.id).collect();
    let codes = relations::talent_disciplines(&call.state.app, &ids).await?;
    Ok(call.page(&tag, found, |t| TalentDto::with(t, &codes)))
}

/// One talent profile (signed-in users).
#[utoipa::path(get, path = "/api/v1/talents/{id}", tag = "talents",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = TalentDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_talent(call: ItemCall) -> ApiResult<Json<TalentDto>> {
    let caller = call.who.require()?;
    let id = call.id(Kind::Talent, "talent")?;
    let talent = talents::visible(&call.state.app, caller, id).await?;
    let codes = relations::talent_disciplines(&call.state.app, &[talent.id]).await?;
    Ok(Json(TalentDto::with(talent, &codes)))
}
