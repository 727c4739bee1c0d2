//! `GET /api/v1/needs`, one need and its matches.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::{DateTime, NaiveDate, Utc};
use iurhub_app::matching::{self, MatchFilter};
use iurhub_app::needs;
use iurhub_domain::NeedStatus;
use iurhub_domain::records::needs::{Need, NeedFilter, NeedSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::query::{
    ItemCall, ListCall, code, keyword, list_params, order, organization_id, params, path_id,
};
use super::{ErrorBody, ListPage, list, paging};
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, encode, encode_match};
use crate::state::AppState;

/// A technology need.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NeedDto {
    pub id: String,
    pub organization_id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub trl_required: Option<i32>,
    /// Lower end of the budget.
    pub budget_min: Option<super::MoneyDto>,
    /// Upper end of the budget.
    pub budget_max: Option<super::MoneyDto>,
    pub deadline: Option<NaiveDate>,
    /// CONSULTING, SECONDMENT, JOINT_TRAINING, JOINT_RESEARCH, TECHNOLOGY_TRANSFER, TESTING.
    pub cooperation_modes: Vec<String>,
    /// PUBLIC, PLATFORM or CONFIDENTIAL.
    pub visibility: String,
    /// DRAFT, PUBLISHED, IN_COOPERATION, CLOSED or WITHDRAWN.
    pub status: String,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Need> for NeedDto {
    fn from(n: Need) -> Self {
        NeedDto {
            id: encode(Kind::Need, n.id),
            organization_id: encode(Kind::Organization, n.organization_id),
            title: n.title,
            description: n.description,
            keywords: n.keywords,
            trl_required: n.trl_required,
            budget_min: n.budget_min.map(super::MoneyDto::fen),
            budget_max: n.budget_max.map(super::MoneyDto::fen),
            deadline: n.deadline,
            cooperation_modes: n
                .cooperation_modes
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            visibility: n.visibility.as_str().to_owned(),
            status: n.status.as_str().to_owned(),
            version: n.version,
            published_at: n.published_at,
            created_at: n.created_at,
            updated_at: n.updated_at,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/needs`.
    pub struct NeedParams {
        /// Page size, 1–100 (20).
        first,
        /// `pageInfo.endCursor` of the previous page.
        after,
        /// `true` to count every matching need.
        total_count,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub organization_id,
        /// Comma-separated statuses, e.g. `PUBLISHED,IN_COOPERATION`.
        #[param(
            pattern = r"^(DRAFT|PUBLISHED|IN_COOPERATION|CLOSED|WITHDRAWN)(,(DRAFT|PUBLISHED|IN_COOPERATION|CLOSED|WITHDRAWN))*$"
        )]
        pub status,
        /// Case-insensitive text in title, description or keywords.
        #[param(max_length = 200)]
        pub keyword,
        /// A GB/T 13745 code; codes below it match too.
        #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
        pub discipline_code,
        /// A GB/T 4754 code; codes below it match too.
        #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
        pub industry_code,
        /// CREATED_AT (default), UPDATED_AT or TITLE.
        #[param(pattern = r"^(CREATED_AT|UPDATED_AT|TITLE)$")]
        pub order_by,
        /// DESC (default) or ASC.
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// Technology needs the caller may see (public ones for everybody, platform
/// ones when signed in, every need of the caller's organisations).
#[utoipa::path(get, path = "/api/v1/needs", tag = "needs", params(NeedParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<NeedDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_needs(call: ListCall) -> ApiResult<Json<ListPage<NeedDto>>> {
    let (p, paging): (NeedParams, _) = call.request()?;
    let (sort, descending, tag) = order(
        "needs",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &[
            ("CREATED_AT", NeedSort::CreatedAt),
            ("UPDATED_AT", NeedSort::UpdatedAt),
            ("TITLE", NeedSort::Title),
        ],
    )?;
    let filter = NeedFilter {
        organization_id: organization_id(p.organization_id.as_deref())?,
        statuses: list::<NeedStatus>("status", p.status.as_deref())?,
        visibility: None,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        industry_code: code("industryCode", p.industry_code)?,
    };
    let found = needs::list(
        &call.state.app,
        &call.who,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(call.page(&tag, found, NeedDto::from))
}

/// One need (NOT_FOUND when it does not exist or the caller may not see it).
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = NeedDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_need(call: ItemCall) -> ApiResult<Json<NeedDto>> {
    let id = call.id(Kind::Need, "need")?;
    Ok(Json(
        needs::visible(&call.state.app, &call.who, id).await?.into(),
    ))
}

/// One explained suggestion for a need.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchDto {
    /// The match id (the same as in GraphQL).
    pub id: String,
    pub capability_id: String,
    pub capability_title: String,
    pub organization_id: String,
    /// 0–1.
    pub score: f64,
    /// SUGGESTED, SHORTLISTED, CONTACTED, ACCEPTED (declined pairs are not listed).
    pub status: String,
    pub matched_terms: Vec<String>,
    pub factors: Vec<FactorDto>,
}

/// One factor of a match score.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FactorDto {
    pub name: String,
    pub value: f64,
    pub weight: f64,
    pub contribution: f64,
    pub detail: String,
}

/// Paging and filters of a need's matches.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// How many, 1–100 (20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    /// Only matches scoring at least this (0–1).
    #[param(value_type = Option<f64>, minimum = 0, maximum = 1)]
    pub min_score: Option<String>,
}

/// A need's suggested capabilities, best first, with explanations; for the
/// need's organisation, coordinators and admins.
#[utoipa::path(get, path = "/api/v1/needs/{id}/matches", tag = "needs",
    params(("id" = String, Path, description = "Global id of the need"), MatchParams),
    security(("bearer" = [])),
    responses((status = 200, body = [MatchDto]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn need_matches(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Vec<MatchDto>>> {
    let p: MatchParams = params(raw)?;
    who.require()?;
    let id = path_id(Kind::Need, "need", &id)?;
    let need = matching::need_for_matching(&state.app, &who, id).await?;
    let first =
        paging(state.settings.page_size_max, p.first.as_deref(), None, None)?.first as usize;
    let min_score = match p.min_score.as_deref() {
        None => None,
        Some(v) => match v.parse::<f64>() {
            Ok(m) if (0.0..=1.0).contains(&m) => Some(m),
            _ => return Err(ApiError::bad_input("minScore", "must be between 0 and 1")),
        },
    };
    let ranked = matching::capabilities_for_need(
        &state.app,
        &need,
        &MatchFilter {
            min_score,
            ..MatchFilter::default()
        },
    )
    .await?;
    Ok(Json(
        ranked
            .into_iter()
            .take(first)
            .map(|m| MatchDto {
                id: encode_match(m.need.id, m.capability.id),
                capability_id: encode(Kind::Capability, m.capability.id),
                capability_title: m.capability.title.clone(),
                organization_id: encode(Kind::Organization, m.capability.organization_id),
                score: m.explanation.score,
                status: m.status().as_str().to_owned(),
                matched_terms: m.explanation.matched_terms.clone(),
                factors: m
                    .explanation
                    .factors
                    .iter()
                    .map(|f| FactorDto {
                        name: f.name.to_owned(),
                        value: f.value,
                        weight: f.weight,
                        contribution: f.contribution,
                        detail: f.detail.clone(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}
