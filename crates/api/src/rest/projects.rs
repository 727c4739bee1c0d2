//! `GET /api/v1/projects`, one project, and the project filters as URL
//! parameters (also those of `projects.csv`).

use std::collections::HashMap;

use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use iurhub_app::projects;
use iurhub_domain::Message;
use iurhub_domain::records::projects::{Project, ProjectFilter, ProjectSort};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, id_syntax, list_params};
use super::{ErrorBody, ListPage, flag, list};
use crate::error::{ApiResult, AppError};
use crate::graphql::ids::{Kind, decode, encode};

/// A cooperation project.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDto {
    pub id: String,
    pub title: String,
    pub area: super::enums::ProjectArea,
    pub status: super::enums::ProjectStatus,
    pub party_organization_ids: Vec<String>,
    pub need_id: Option<String>,
    pub capability_id: Option<String>,
    /// The accepted match the project came from (the GraphQL match id).
    pub match_id: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub termination_reason: Option<String>,
    /// Checklist items done, in percent.
    pub progress: i32,
    pub items_done: i32,
    pub items_total: i32,
    /// Checklist items not done whose due date (UTC) has passed.
    pub overdue_items: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Overdue checklist items per project.
async fn overdue(app: &iurhub_app::App, ids: &[i64]) -> ApiResult<HashMap<i64, i32>> {
    let today = projects::today();
    let mut counts = HashMap::new();
    for item in projects::items_of(app, ids).await? {
        if item.is_overdue(today) {
            *counts.entry(item.project_id).or_default() += 1;
        }
    }
    Ok(counts)
}

impl ProjectDto {
    /// With its overdue items from `counts`.
    fn with(p: Project, counts: &HashMap<i64, i32>) -> Self {
        ProjectDto {
            overdue_items: counts.get(&p.id).copied().unwrap_or(0),
            ..ProjectDto::from(p)
        }
    }
}

impl From<Project> for ProjectDto {
    /// Without its overdue items (see [`ProjectDto::with`]).
    fn from(p: Project) -> Self {
        ProjectDto {
            id: encode(Kind::Project, p.id),
            title: p.title,
            area: p.area.into(),
            status: p.status.into(),
            party_organization_ids: p
                .party_ids
                .iter()
                .map(|o| encode(Kind::Organization, *o))
                .collect(),
            need_id: p.need_id.map(|n| encode(Kind::Need, n)),
            capability_id: p.capability_id.map(|c| encode(Kind::Capability, c)),
            match_id: match (p.match_id, p.need_id, p.capability_id) {
                (Some(_), Some(n), Some(c)) => Some(crate::graphql::ids::encode_match(n, c)),
                _ => None,
            },
            start_date: p.start_date,
            end_date: p.end_date,
            termination_reason: p.termination_reason,
            progress: p.progress,
            items_done: p.items_done,
            overdue_items: 0,
            items_total: p.items_total,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/projects` (as for `projects.csv`).
    pub struct ProjectParams {
        first,
        after,
        total_count,
        /// Comma-separated statuses.
        #[param(
            pattern = r"^(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED)(,(PROPOSED|AGREED|IN_PROGRESS|COMPLETED|TERMINATED))*$"
        )]
        pub status,
        /// Comma-separated areas.
        #[param(
            pattern = r"^(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANIZATION_PAIRING|OTHER)(,(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANIZATION_PAIRING|OTHER))*$"
        )]
        pub area,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub party_organization_id,
        /// `true` or `false`: with or without an overdue checklist item.
        #[param(value_type = Option<bool>)]
        pub overdue,
        /// Ending before this day (YYYY-MM-DD).
        #[param(value_type = Option<chrono::NaiveDate>)]
        pub due_before,
        /// DUE_DATE (default), UPDATED_AT or PROGRESS.
        #[param(pattern = r"^(DUE_DATE|UPDATED_AT|PROGRESS)$")]
        pub order_by,
        /// ASC or DESC (default: ASC for DUE_DATE, DESC otherwise).
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// Projects the caller may see (their organisations', those in a
/// coordinator's or supervisor's scope; admins: all).
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ProjectParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<ProjectDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_projects(call: ListCall) -> ApiResult<Json<ListPage<ProjectDto>>> {
    let caller = call.who.require()?;
    let (p, paging): (ProjectParams, _) = call.request()?;
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
        &call.state.app,
        caller,
        filter,
        sort,
        descending,
        paging.args(&tag)?,
    )
    .await?;
    let ids: Vec<i64> = found.items.iter().map(|(_, p)| p.id).collect();
    let counts = overdue(&call.state.app, &ids).await?;
    Ok(call.page(&tag, found, |p| ProjectDto::with(p, &counts)))
}

/// One project the caller may see.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = ProjectDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_project(call: ItemCall) -> ApiResult<Json<ProjectDto>> {
    call.who.require()?;
    let id = call.id(Kind::Project, "project")?;
    let found = projects::visible(&call.state.app, &call.who, id).await?;
    let counts = overdue(&call.state.app, &[found.id]).await?;
    Ok(Json(ProjectDto::with(found, &counts)))
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
        pattern = r"^(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANIZATION_PAIRING|OTHER)(,(TALENT_SHARING|JOINT_TRAINING|JOINT_RESEARCH_PLATFORM|TESTING_CENTER|VOCATIONAL_EDUCATION|ORGANIZATION_PAIRING|OTHER))*$"
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
                    .map_err(|_| AppError::invalid("dueBefore", Message::new("date.invalid")))
            })
            .transpose()?;
        let sort = match self.order_by.as_deref() {
            None | Some("DUE_DATE") => ProjectSort::DueDate,
            Some("UPDATED_AT") => ProjectSort::UpdatedAt,
            Some("PROGRESS") => ProjectSort::Progress,
            Some(_) => {
                return Err(
                    AppError::invalid("orderBy", Message::new("project.order_by.unknown")).into(),
                );
            }
        };
        let descending = match self.direction.as_deref() {
            None => projects::descending_by_default(sort),
            Some("ASC") => false,
            Some("DESC") => true,
            Some(_) => {
                return Err(AppError::invalid(
                    "direction",
                    Message::new("order.direction.invalid"),
                )
                .into());
            }
        };
        let filter = ProjectFilter {
            agreement_id: None,
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
