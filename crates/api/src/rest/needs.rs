//! `GET /api/v1/needs`, one need and its matches.

use axum::Json;
use std::collections::HashMap;

use axum::extract::Path;
use chrono::{DateTime, NaiveDate, Utc};
use iurhub_app::matching::{self, MatchFilter};
use iurhub_app::{needs, relations};
use iurhub_domain::records::needs::{Need, NeedFilter, NeedSort};
use iurhub_domain::records::page::{Key, Page};
use iurhub_domain::{Message, NeedStatus};
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{
    ItemCall, ListCall, code, keyword, list_params, order, organization_id, path_id,
};
use super::{ErrorBody, ListPage, list};
use crate::error::{ApiResult, AppError};
use crate::graphql::ids::{Kind, encode, encode_match};
use iurhub_app::App;

/// A technology need.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NeedDto {
    pub id: String,
    pub organization_id: String,
    /// The user who created it.
    pub created_by_id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// Discipline codes (GB/T 13745).
    pub discipline_codes: Vec<String>,
    /// Industry codes (GB/T 4754).
    pub industry_codes: Vec<String>,
    pub trl_required: Option<i32>,
    /// Lower end of the budget.
    pub budget_min: Option<super::MoneyDto>,
    /// Upper end of the budget.
    pub budget_max: Option<super::MoneyDto>,
    pub deadline: Option<NaiveDate>,
    /// The ways of cooperating the need's organisation wants.
    pub cooperation_modes: Vec<super::enums::CooperationMode>,
    pub visibility: super::enums::Visibility,
    pub status: super::enums::NeedStatus,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The discipline and industry codes of some needs.
struct Codes {
    disciplines: HashMap<i64, Vec<String>>,
    industries: HashMap<i64, Vec<String>>,
}

impl Codes {
    async fn of(app: &App, ids: &[i64]) -> ApiResult<Codes> {
        Ok(Codes {
            disciplines: relations::need_disciplines(app, ids).await?,
            industries: relations::need_industries(app, ids).await?,
        })
    }

    fn dto(&self, n: Need) -> NeedDto {
        let codes = |m: &HashMap<i64, Vec<String>>| m.get(&n.id).cloned().unwrap_or_default();
        NeedDto {
            discipline_codes: codes(&self.disciplines),
            industry_codes: codes(&self.industries),
            ..NeedDto::from(n)
        }
    }
}

impl From<Need> for NeedDto {
    /// Without its codes (see [`Codes`]).
    fn from(n: Need) -> Self {
        NeedDto {
            id: encode(Kind::Need, n.id),
            organization_id: encode(Kind::Organization, n.organization_id),
            created_by_id: encode(Kind::User, n.created_by),
            title: n.title,
            description: n.description,
            keywords: n.keywords,
            discipline_codes: Vec::new(),
            industry_codes: Vec::new(),
            trl_required: n.trl_required,
            budget_min: n.budget_min.map(super::MoneyDto::fen),
            budget_max: n.budget_max.map(super::MoneyDto::fen),
            deadline: n.deadline,
            cooperation_modes: n.cooperation_modes.iter().map(|m| (*m).into()).collect(),
            visibility: n.visibility.into(),
            status: n.status.into(),
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
        agreement_id: None,
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
    let ids: Vec<i64> = found.items.iter().map(|(_, n)| n.id).collect();
    let codes = Codes::of(&call.state.app, &ids).await?;
    Ok(call.page(&tag, found, |n| codes.dto(n)))
}

/// One need (NOT_FOUND when it does not exist or the caller may not see it).
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = NeedDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_need(call: ItemCall) -> ApiResult<Json<NeedDto>> {
    let id = call.id(Kind::Need, "need")?;
    let need = needs::visible(&call.state.app, &call.who, id).await?;
    let codes = Codes::of(&call.state.app, &[need.id]).await?;
    Ok(Json(codes.dto(need)))
}

/// One explained suggestion for a need.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchDto {
    /// The match id (the same as in GraphQL).
    pub id: String,
    /// The need.
    pub need_id: String,
    /// The suggested capability.
    pub capability_id: String,
    pub capability_title: String,
    pub organization_id: String,
    /// 0–1.
    pub score: f64,
    /// Where the pair stands (declined pairs are not listed).
    pub status: super::enums::MatchStatus,
    /// Words of the need found in the capability, as they stand in the texts.
    pub matched_terms: Vec<String>,
    pub factors: Vec<FactorDto>,
}

/// One factor of a match score.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FactorDto {
    /// Which factor (as `MatchFactorName` in GraphQL).
    pub name: super::enums::MatchFactorName,
    /// How well the pair does on this factor, 0–1.
    pub value: f64,
    /// The factor's share of the score; 0 when it does not apply.
    pub weight: f64,
    /// `value × weight`; the contributions add up to the score.
    pub contribution: f64,
    /// Why, in words, in the request's language (`Accept-Language`:
    /// English or Chinese), naming disciplines by name.
    pub detail: String,
}

list_params! {
    /// Paging and filters of a need's matches.
    pub struct MatchParams {
        /// Page size, 1–100 (20).
        first,
        /// `pageInfo.endCursor` of the previous page.
        after,
        /// `true` to count every match.
        total_count,
        /// Only matches scoring at least this (0–1).
        #[param(value_type = Option<f64>, minimum = 0, maximum = 1)]
        pub min_score,
    }
}

/// A need's suggested capabilities, best first, with explanations, paged
/// like every list; for the need's organisation, coordinators and admins.
#[utoipa::path(get, path = "/api/v1/needs/{id}/matches", tag = "needs",
    params(("id" = String, Path, description = "Global id of the need"), MatchParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<MatchDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn need_matches(
    Path(id): Path<String>,
    call: ListCall,
) -> ApiResult<Json<ListPage<MatchDto>>> {
    let (p, paging): (MatchParams, _) = call.request()?;
    call.who.require()?;
    let id = path_id(Kind::Need, "need", &id)?;
    let need = matching::need_for_matching(&call.state.app, &call.who, id).await?;
    let min_score = match p.min_score.as_deref() {
        None => None,
        Some(v) => match v.parse::<f64>() {
            Ok(m) if (0.0..=1.0).contains(&m) => Some(m),
            _ => {
                return Err(AppError::invalid(
                    "minScore",
                    Message::new("value.out_of_range")
                        .with("min", 0)
                        .with("max", 1),
                )
                .into());
            }
        },
    };
    let tag = format!("rest:matches:{id}");
    let args = paging.args(&tag)?;
    let ranked = matching::capabilities_for_need(
        &call.state.app,
        &need,
        &MatchFilter {
            min_score,
            ..MatchFilter::default()
        },
    )
    .await?;
    // Ranked in memory: a cursor is a position in the ranking.
    let total = ranked.len();
    let start = args
        .after
        .as_ref()
        .map_or(0, |k| usize::try_from(k.id).unwrap_or(0))
        .min(total);
    let first = args.first.unwrap_or(iurhub_domain::DEFAULT_PAGE_SIZE) as usize;
    let items: Vec<_> = ranked
        .into_iter()
        .enumerate()
        .skip(start)
        .take(first)
        .map(|(i, m)| {
            let position = i as i64 + 1;
            (Key::new(position, position), m)
        })
        .collect();
    // The capabilities of the page shown, in one read.
    let items = matching::with_capabilities(&call.state.app, items).await?;
    let codes: Vec<String> = items
        .iter()
        .flat_map(|(_, m)| matching::explanation_codes(&m.explanation))
        .collect();
    let names = matching::discipline_names(&call.state.app, &codes).await?;
    let page = Page {
        items,
        has_next_page: start + first < total,
        has_previous_page: start > 0,
        total_count: args.with_total.then_some(total as u64),
    };
    let app = &call.state.app;
    Ok(call.page(&tag, page, |m| {
        let matched = matching::capability_match_terms(app, &m);
        let keywords = [
            m.capability.keywords.join(" ; "),
            m.need.keywords.join(" ; "),
        ];
        let factors = matching::present_factors(
            app,
            &m.explanation,
            &names,
            &matched,
            &[&keywords[0], &keywords[1]],
            crate::i18n::current(),
        )
        .into_iter()
        .map(|f| FactorDto {
            name: f.name.into(),
            value: f.value,
            weight: f.weight,
            contribution: f.contribution,
            detail: f.detail,
        })
        .collect();
        MatchDto {
            id: encode_match(m.need.id, m.capability.id),
            need_id: encode(Kind::Need, m.need.id),
            capability_id: encode(Kind::Capability, m.capability.id),
            capability_title: m.capability.title.clone(),
            organization_id: encode(Kind::Organization, m.capability.organization_id),
            score: m.explanation.score,
            status: m.status().into(),
            matched_terms: matched,
            factors,
        }
    }))
}
