//! List and get handlers of the REST resources. Ids are the GraphQL global
//! ids, so clients can mix both APIs.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Path, Query, RawQuery, State};
use chrono::{DateTime, NaiveDate, Utc};
use iurhub_domain::records::capabilities::{Capability, CapabilityFilter, CapabilitySort};
use iurhub_domain::records::instruments::Instrument;
use iurhub_domain::records::needs::{Need, NeedFilter, NeedSort};
use iurhub_domain::records::organizations::{Organization, OrganizationFilter, OrganizationSort};
use iurhub_domain::records::projects::Project;
use iurhub_domain::records::talents::{Talent, TalentFilter, TalentSort};
use iurhub_domain::{CapabilityStatus, CooperationMode, InstrumentStatus, NeedStatus, OrgKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ListPage, flag, list, page, paging};
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode, encode, encode_match};
use crate::state::AppState;
use iurhub_app::matching::{self, MatchFilter};
use iurhub_app::{capabilities, instruments, needs, organizations, projects, talents};
use iurhub_domain::records::projects::{ProjectFilter, ProjectSort};

/// The query parameters; unknown ones are refused.
pub fn params<T: serde::de::DeserializeOwned>(raw: Option<String>) -> ApiResult<T> {
    let uri: axum::http::Uri = format!("/?{}", raw.unwrap_or_default())
        .parse()
        .map_err(|_| ApiError::bad_input("query", "is not a valid query string"))?;
    Query::<T>::try_from_uri(&uri)
        .map(|Query(t)| t)
        .map_err(|e: QueryRejection| ApiError::bad_input("query", e.body_text()))
}

/// An organisation (or other) id used as a filter: an id that names no
/// object of that kind matches nothing; an empty one is an input error.
fn id_of(field: &str, kind: Kind, value: Option<&str>) -> ApiResult<Option<i64>> {
    match value {
        Some(v) => {
            id_syntax(field, v)?;
            Ok(Some(decode(field, kind, v).unwrap_or(NO_SUCH_ID)))
        }
        None => Ok(None),
    }
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
        Err(ApiError::bad_input(field, "is not an id"))
    }
}

/// Matches no row (ids start at 1).
const NO_SUCH_ID: i64 = -1;

/// The id of a resource in the path: one that names no object of the kind
/// is NOT_FOUND, like an object that does not exist.
fn path_id(kind: Kind, what: &'static str, value: &str) -> ApiResult<i64> {
    decode("id", kind, value).map_err(|_| ApiError::not_found(what))
}

fn keyword(value: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::keyword_filter("keyword", value)?)
}

fn code(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::code_filter(field, value)?)
}

/// `orderBy` and `direction` of the needs, capabilities and talents lists.
fn order(
    list_name: &str,
    order_by: Option<&str>,
    direction: Option<&str>,
    fields: &[&str],
) -> ApiResult<(String, bool, String)> {
    let field = order_by.unwrap_or(fields[0]);
    if !fields.contains(&field) {
        return Err(ApiError::bad_input(
            "orderBy",
            format!("must be one of {}", fields.join(", ")),
        ));
    }
    let descending = match direction {
        None | Some("DESC") => true,
        Some("ASC") => false,
        Some(_) => return Err(ApiError::bad_input("direction", "must be ASC or DESC")),
    };
    let tag = format!("rest:{list_name}:{field}:{descending}");
    Ok((field.to_owned(), descending, tag))
}

// ---- needs ------------------------------------------------------------------

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
    /// Budget range in CNY.
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
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
            budget_min: n.budget_min,
            budget_max: n.budget_max,
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

/// Filters and paging of `GET /api/v1/needs`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NeedParams {
    /// Page size, 1–100 (20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    /// `pageInfo.endCursor` of the previous page.
    #[param(ignore)]
    pub after: Option<String>,
    /// `true` to count every matching need.
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub organization_id: Option<String>,
    /// Comma-separated statuses, e.g. `PUBLISHED,IN_COOPERATION`.
    #[param(
        pattern = r"^(DRAFT|PUBLISHED|IN_COOPERATION|CLOSED|WITHDRAWN)(,(DRAFT|PUBLISHED|IN_COOPERATION|CLOSED|WITHDRAWN))*$"
    )]
    pub status: Option<String>,
    /// Case-insensitive text in title, description or keywords.
    #[param(max_length = 200)]
    pub keyword: Option<String>,
    /// A GB/T 13745 code; codes below it match too.
    #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
    pub discipline_code: Option<String>,
    /// A GB/T 4754 code; codes below it match too.
    #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
    pub industry_code: Option<String>,
    /// CREATED_AT (default), UPDATED_AT or TITLE.
    #[param(pattern = r"^(CREATED_AT|UPDATED_AT|TITLE)$")]
    pub order_by: Option<String>,
    /// DESC (default) or ASC.
    #[param(pattern = r"^(ASC|DESC)$")]
    pub direction: Option<String>,
}

/// Technology needs the caller may see (public ones for everybody, platform
/// ones when signed in, every need of the caller's organisations).
#[utoipa::path(get, path = "/api/v1/needs", tag = "needs", params(NeedParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<NeedDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_needs(
    State(state): State<AppState>,
    who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<NeedDto>>> {
    let p: NeedParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let (field, descending, tag) = order(
        "needs",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &["CREATED_AT", "UPDATED_AT", "TITLE"],
    )?;
    let sort = match field.as_str() {
        "UPDATED_AT" => NeedSort::UpdatedAt,
        "TITLE" => NeedSort::Title,
        _ => NeedSort::CreatedAt,
    };
    let filter = NeedFilter {
        organization_id: id_of(
            "organizationId",
            Kind::Organization,
            p.organization_id.as_deref(),
        )?,
        statuses: list::<NeedStatus>("status", p.status.as_deref())?,
        visibility: None,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        industry_code: code("industryCode", p.industry_code)?,
    };
    let found = needs::list(
        &state.app,
        &who,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(Json(page(&tag, found, &uri, NeedDto::from)))
}

/// One need (NOT_FOUND when it does not exist or the caller may not see it).
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = NeedDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_need(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<NeedDto>> {
    let id = path_id(Kind::Need, "need", &id)?;
    Ok(Json(needs::visible(&state.app, &who, id).await?.into()))
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
    responses((status = 200, body = [MatchDto]), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
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

// ---- capabilities -------------------------------------------------------------

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

/// Filters and paging of `GET /api/v1/capabilities`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CapabilityParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    #[param(ignore)]
    pub after: Option<String>,
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub organization_id: Option<String>,
    /// Comma-separated statuses.
    #[param(pattern = r"^(DRAFT|PUBLISHED|ARCHIVED)(,(DRAFT|PUBLISHED|ARCHIVED))*$")]
    pub status: Option<String>,
    #[param(max_length = 200)]
    pub keyword: Option<String>,
    #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
    pub discipline_code: Option<String>,
    /// CREATED_AT (default), UPDATED_AT or TITLE.
    #[param(pattern = r"^(CREATED_AT|UPDATED_AT|TITLE)$")]
    pub order_by: Option<String>,
    /// DESC (default) or ASC.
    #[param(pattern = r"^(ASC|DESC)$")]
    pub direction: Option<String>,
}

/// Research capabilities the caller may see: published ones, plus drafts and
/// archived ones of the caller's organisations.
#[utoipa::path(get, path = "/api/v1/capabilities", tag = "capabilities", params(CapabilityParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<CapabilityDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_capabilities(
    State(state): State<AppState>,
    who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<CapabilityDto>>> {
    let p: CapabilityParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let (field, descending, tag) = order(
        "capabilities",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &["CREATED_AT", "UPDATED_AT", "TITLE"],
    )?;
    let sort = match field.as_str() {
        "UPDATED_AT" => CapabilitySort::UpdatedAt,
        "TITLE" => CapabilitySort::Title,
        _ => CapabilitySort::CreatedAt,
    };
    let filter = CapabilityFilter {
        organization_id: id_of(
            "organizationId",
            Kind::Organization,
            p.organization_id.as_deref(),
        )?,
        statuses: list::<CapabilityStatus>("status", p.status.as_deref())?,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        talent_id: None,
    };
    let found = capabilities::list(
        &state.app,
        &who,
        &filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(Json(page(&tag, found, &uri, CapabilityDto::from)))
}

/// One research capability.
#[utoipa::path(get, path = "/api/v1/capabilities/{id}", tag = "capabilities",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = CapabilityDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_capability(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<CapabilityDto>> {
    let id = path_id(Kind::Capability, "capability", &id)?;
    Ok(Json(
        capabilities::visible(&state.app, &who, id).await?.into(),
    ))
}

// ---- talents ------------------------------------------------------------------

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
    /// Cooperation modes the person is available for.
    pub availability: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<Talent> for TalentDto {
    fn from(t: Talent) -> Self {
        TalentDto {
            id: encode(Kind::Talent, t.id),
            organization_id: encode(Kind::Organization, t.organization_id),
            name: t.name,
            title: t.title,
            bio: t.bio,
            keywords: t.keywords,
            availability: t
                .availability
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            updated_at: t.updated_at,
        }
    }
}

/// Filters and paging of `GET /api/v1/talents`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TalentParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    #[param(ignore)]
    pub after: Option<String>,
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub organization_id: Option<String>,
    #[param(max_length = 200)]
    pub keyword: Option<String>,
    #[param(pattern = r"^[0-9A-Za-z]{1,12}$")]
    pub discipline_code: Option<String>,
    /// A cooperation mode the person must be available for.
    #[param(
        pattern = r"^(CONSULTING|SECONDMENT|JOINT_TRAINING|JOINT_RESEARCH|TECHNOLOGY_TRANSFER|TESTING)$"
    )]
    pub available_for: Option<String>,
    /// CREATED_AT (default), UPDATED_AT or NAME.
    #[param(pattern = r"^(CREATED_AT|UPDATED_AT|NAME)$")]
    pub order_by: Option<String>,
    #[param(pattern = r"^(ASC|DESC)$")]
    pub direction: Option<String>,
}

/// Talent profiles (signed-in users).
#[utoipa::path(get, path = "/api/v1/talents", tag = "talents", params(TalentParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<TalentDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_talents(
    State(state): State<AppState>,
    who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<TalentDto>>> {
    who.require()?;
    let p: TalentParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let (field, descending, tag) = order(
        "talents",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &["CREATED_AT", "UPDATED_AT", "NAME"],
    )?;
    let sort = match field.as_str() {
        "UPDATED_AT" => TalentSort::UpdatedAt,
        "NAME" => TalentSort::Name,
        _ => TalentSort::CreatedAt,
    };
    let available_for = list::<CooperationMode>("availableFor", p.available_for.as_deref())?;
    if available_for.len() > 1 {
        return Err(ApiError::bad_input("availableFor", "give one mode"));
    }
    let filter = TalentFilter {
        organization_id: id_of(
            "organizationId",
            Kind::Organization,
            p.organization_id.as_deref(),
        )?,
        keyword: keyword(p.keyword)?,
        discipline_code: code("disciplineCode", p.discipline_code)?,
        available_for: available_for.first().copied(),
    };
    let found = talents::list(&state.app, &filter, sort, descending, paging.args(&tag)?).await?;
    Ok(Json(page(&tag, found, &uri, TalentDto::from)))
}

/// One talent profile (signed-in users).
#[utoipa::path(get, path = "/api/v1/talents/{id}", tag = "talents",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = TalentDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_talent(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<TalentDto>> {
    let caller = who.require()?;
    let id = path_id(Kind::Talent, "talent", &id)?;
    let talent = talents::visible(&state.app, caller, id).await?;
    Ok(Json(talent.into()))
}

// ---- organisations -----------------------------------------------------------

/// An organisation: enterprise, department, university, college, institute.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationDto {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    /// ENTERPRISE, UNIVERSITY, INSTITUTE, GOVERNMENT or OTHER.
    pub kind: String,
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
            kind: o.kind.as_str().to_owned(),
            province: o.region.province,
            city: o.region.city,
            created_at: o.created_at,
        }
    }
}

/// Filters and paging of `GET /api/v1/organizations`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganizationParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    #[param(ignore)]
    pub after: Option<String>,
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    /// Only direct children of this organisation.
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub parent_id: Option<String>,
    /// `true` for top-level organisations only.
    #[param(value_type = Option<bool>)]
    pub roots_only: Option<String>,
    #[param(pattern = r"^(ENTERPRISE|UNIVERSITY|INSTITUTE|GOVERNMENT|OTHER)$")]
    pub kind: Option<String>,
    #[param(max_length = 200)]
    pub keyword: Option<String>,
    /// CREATED_AT (default) or NAME.
    #[param(pattern = r"^(CREATED_AT|NAME)$")]
    pub order_by: Option<String>,
    #[param(pattern = r"^(ASC|DESC)$")]
    pub direction: Option<String>,
}

/// Organisations (public).
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", params(OrganizationParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<OrganizationDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_organizations(
    State(state): State<AppState>,
    _who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<OrganizationDto>>> {
    let p: OrganizationParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let (field, descending, tag) = order(
        "organizations",
        p.order_by.as_deref(),
        p.direction.as_deref(),
        &["CREATED_AT", "NAME"],
    )?;
    let sort = match field.as_str() {
        "NAME" => OrganizationSort::Name,
        _ => OrganizationSort::CreatedAt,
    };
    let kinds = list::<OrgKind>("kind", p.kind.as_deref())?;
    if kinds.len() > 1 {
        return Err(ApiError::bad_input("kind", "give one kind"));
    }
    let filter = OrganizationFilter {
        parent_id: id_of("parentId", Kind::Organization, p.parent_id.as_deref())?,
        roots_only: super::flag("rootsOnly", p.roots_only.as_deref())?.unwrap_or(false),
        kind: kinds.first().copied(),
        keyword: keyword(p.keyword)?,
    };
    let found =
        organizations::list(&state.app, &filter, sort, descending, paging.args(&tag)?).await?;
    Ok(Json(page(&tag, found, &uri, OrganizationDto::from)))
}

/// One organisation (public).
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = OrganizationDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_organization(
    State(state): State<AppState>,
    _who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<OrganizationDto>> {
    let id = path_id(Kind::Organization, "organization", &id)?;
    let org = organizations::get(&state.app, id).await?;
    Ok(Json(org.into()))
}

/// The filters of the `projects` query, as URL parameters (lists comma-separated).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectsCsvParams {
    #[param(
        pattern = r"^(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED)(,(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED))*$"
    )]
    status: Option<String>,
    #[param(
        pattern = r"^(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANISATION_PAIRING|OTHER)(,(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANISATION_PAIRING|OTHER))*$"
    )]
    area: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    party_organization_id: Option<String>,
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    #[param(value_type = Option<chrono::NaiveDate>)]
    due_before: Option<String>,
    #[param(pattern = r"^(DUE_DATE|UPDATED_AT|PROGRESS)$")]
    order_by: Option<String>,
    #[param(pattern = r"^(ASC|DESC)$")]
    direction: Option<String>,
}

impl ProjectsCsvParams {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        status: Option<String>,
        area: Option<String>,
        party_organization_id: Option<String>,
        overdue: Option<String>,
        due_before: Option<String>,
        order_by: Option<String>,
        direction: Option<String>,
    ) -> Self {
        ProjectsCsvParams {
            status,
            area,
            party_organization_id,
            overdue,
            due_before,
            order_by,
            direction,
        }
    }

    /// The project list these parameters ask for: its filter, ordering and
    /// cursor tag (the same tag as GraphQL's `projects`).
    pub fn into_query(self) -> ApiResult<(ProjectFilter, ProjectSort, bool, String)> {
        if let Some(id) = self.party_organization_id.as_deref() {
            id_syntax("partyOrganizationId", id)?;
        }
        let statuses = list::<iurhub_domain::ProjectStatus>("status", self.status.as_deref())?;
        let areas = list::<iurhub_domain::ProjectArea>("area", self.area.as_deref())?;
        let overdue = flag("overdue", self.overdue.as_deref())?;
        let due_before = self
            .due_before
            .map(|d| {
                d.parse::<chrono::NaiveDate>()
                    .map_err(|_| ApiError::bad_input("dueBefore", "must be a date YYYY-MM-DD"))
            })
            .transpose()?;
        let sort = match self.order_by.as_deref() {
            None | Some("DUE_DATE") => ProjectSort::DueDate,
            Some("UPDATED_AT") => ProjectSort::UpdatedAt,
            Some("PROGRESS") => ProjectSort::Progress,
            Some(_) => {
                return Err(ApiError::bad_input(
                    "orderBy",
                    "must be DUE_DATE, UPDATED_AT or PROGRESS",
                ));
            }
        };
        let descending = match self.direction.as_deref() {
            None => projects::descending_by_default(sort),
            Some("ASC") => false,
            Some("DESC") => true,
            Some(_) => return Err(ApiError::bad_input("direction", "must be ASC or DESC")),
        };
        let filter = ProjectFilter {
            statuses,
            areas,
            // An id that names no organisation matches no project.
            party_organization_id: self.party_organization_id.map(|id| {
                decode("partyOrganizationId", Kind::Organization, &id).unwrap_or(i64::MAX)
            }),
            overdue,
            due_before,
            today: None,
        };
        let tag = projects::list_tag(sort, descending);
        Ok((filter, sort, descending, tag))
    }
}

// ---- projects -----------------------------------------------------------------

/// A cooperation project.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDto {
    pub id: String,
    pub title: String,
    /// TALENT_SHARING, JOINT_TRAINING, JOINT_RESEARCH_PLATFORM, TESTING_CENTER,
    /// VOCATIONAL_EDUCATION, ORGANISATION_PAIRING or OTHER.
    pub area: String,
    /// PROPOSED, AGREED, IN_PROGRESS, COMPLETED or TERMINATED.
    pub status: String,
    pub party_organization_ids: Vec<String>,
    pub need_id: Option<String>,
    pub capability_id: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub termination_reason: Option<String>,
    /// Checklist items done, in percent.
    pub progress: i32,
    pub items_done: i32,
    pub items_total: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Project> for ProjectDto {
    fn from(p: Project) -> Self {
        ProjectDto {
            id: encode(Kind::Project, p.id),
            title: p.title,
            area: p.area.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            party_organization_ids: p
                .party_ids
                .iter()
                .map(|o| encode(Kind::Organization, *o))
                .collect(),
            need_id: p.need_id.map(|n| encode(Kind::Need, n)),
            capability_id: p.capability_id.map(|c| encode(Kind::Capability, c)),
            start_date: p.start_date,
            end_date: p.end_date,
            termination_reason: p.termination_reason,
            progress: p.progress,
            items_done: p.items_done,
            items_total: p.items_total,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Filters and paging of `GET /api/v1/projects` (as for `projects.csv`).
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    #[param(ignore)]
    pub after: Option<String>,
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    /// Comma-separated statuses.
    #[param(
        pattern = r"^(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED)(,(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED))*$"
    )]
    pub status: Option<String>,
    /// Comma-separated areas.
    #[param(
        pattern = r"^(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANISATION_PAIRING|OTHER)(,(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANISATION_PAIRING|OTHER))*$"
    )]
    pub area: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub party_organization_id: Option<String>,
    /// `true` or `false`: with or without an overdue checklist item.
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// Ending before this day (YYYY-MM-DD).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub due_before: Option<String>,
    /// DUE_DATE (default), UPDATED_AT or PROGRESS.
    #[param(pattern = r"^(DUE_DATE|UPDATED_AT|PROGRESS)$")]
    pub order_by: Option<String>,
    /// ASC or DESC (default: ASC for DUE_DATE, DESC otherwise).
    #[param(pattern = r"^(ASC|DESC)$")]
    pub direction: Option<String>,
}

/// Projects the caller may see (their organisations'; coordinators: all).
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ProjectParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<ProjectDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_projects(
    State(state): State<AppState>,
    who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<ProjectDto>>> {
    let caller = who.require()?;
    let p: ProjectParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let query = ProjectsCsvParams::new(
        p.status,
        p.area,
        p.party_organization_id,
        p.overdue,
        p.due_before,
        p.order_by,
        p.direction,
    );
    let (filter, sort, descending, tag) = query.into_query()?;
    let found = projects::list(
        &state.app,
        caller,
        filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    Ok(Json(page(&tag, found, &uri, ProjectDto::from)))
}

/// One project the caller may see.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = ProjectDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_project(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectDto>> {
    who.require()?;
    let id = path_id(Kind::Project, "project", &id)?;
    Ok(Json(projects::visible(&state.app, &who, id).await?.into()))
}

// ---- instruments --------------------------------------------------------------

/// An instrument of the testing center.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentDto {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub model: String,
    pub category: String,
    pub location: String,
    /// Hourly rate for the owning organisation, in fen.
    pub rate_internal_cents: i64,
    /// Hourly rate for other organisations, in fen.
    pub rate_external_cents: i64,
    pub requires_qualification: bool,
    /// AVAILABLE, MAINTENANCE or RETIRED.
    pub status: String,
    pub description: String,
}

impl From<Instrument> for InstrumentDto {
    fn from(i: Instrument) -> Self {
        InstrumentDto {
            id: encode(Kind::Instrument, i.id),
            organization_id: encode(Kind::Organization, i.organization_id),
            name: i.name,
            model: i.model,
            category: i.category,
            location: i.location,
            rate_internal_cents: i.rate_internal_cents,
            rate_external_cents: i.rate_external_cents,
            requires_qualification: i.requires_qualification,
            status: i.status.as_str().to_owned(),
            description: i.description,
        }
    }
}

/// Filters and paging of `GET /api/v1/instruments`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InstrumentParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub first: Option<String>,
    #[param(ignore)]
    pub after: Option<String>,
    #[param(value_type = Option<bool>)]
    pub total_count: Option<String>,
    #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
    pub organization_id: Option<String>,
    #[param(max_length = 100)]
    pub category: Option<String>,
    /// Comma-separated statuses.
    #[param(pattern = r"^(AVAILABLE|MAINTENANCE|RETIRED)(,(AVAILABLE|MAINTENANCE|RETIRED))*$")]
    pub status: Option<String>,
}

/// The testing center's instruments, by name (signed-in users).
#[utoipa::path(get, path = "/api/v1/instruments", tag = "instruments", params(InstrumentParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<InstrumentDto>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)))]
pub async fn list_instruments(
    State(state): State<AppState>,
    who: Identity,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListPage<InstrumentDto>>> {
    who.require()?;
    let p: InstrumentParams = params(raw)?;
    let paging = paging(
        state.settings.page_size_max,
        p.first.as_deref(),
        p.after.clone(),
        p.total_count.as_deref(),
    )?;
    let tag = "rest:instruments:name";
    let statuses = list::<InstrumentStatus>("status", p.status.as_deref())?;
    let found = instruments::list(
        &state.app,
        id_of(
            "organizationId",
            Kind::Organization,
            p.organization_id.as_deref(),
        )?,
        p.category.as_deref(),
        &statuses,
        paging.args(tag)?,
    )
    .await?;
    Ok(Json(page(tag, found, &uri, InstrumentDto::from)))
}

/// One instrument (signed-in users).
#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "instruments",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = InstrumentDto), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get_instrument(
    State(state): State<AppState>,
    who: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<InstrumentDto>> {
    who.require()?;
    let id = path_id(Kind::Instrument, "instrument", &id)?;
    Ok(Json(instruments::instrument(&state.app, id).await?.into()))
}
