//! Cooperation projects in the schema: the project list, a project, the
//! coordinators' dashboard, and (in `mutation`) the mutations of a
//! project's life cycle, milestones and checklist.

mod consent;
pub mod events;
mod mutation;
mod objects;

use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::all;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::Date;
use iurhub_domain::records::projects::{ProjectFilter, ProjectSort};

use super::context::ContextExt;
use super::enums::{OrderDirection, ProjectArea, ProjectStatus};
use super::ids::{Kind, decode};
use super::paging::{Conn, PageInput, connection};
use crate::error::ApiResult;

pub use consent::ProjectConsentMutation;
pub use events::ProjectEventNode;
use iurhub_app::projects;
pub use mutation::ProjectsMutation;
pub use objects::{ChecklistItemObject, MilestoneObject, ProjectObject};

/// Filters of `projects`; all given ones must hold.
#[derive(InputObject, Default, Clone)]
pub struct ProjectFilterInput {
    /// Only projects in one of these statuses.
    pub status: Option<Vec<ProjectStatus>>,
    /// Only projects in one of these areas.
    pub area: Option<Vec<ProjectArea>>,
    /// Only projects this organisation takes part in.
    pub party_organization_id: Option<ID>,
    /// Only projects with (true) or without (false) an overdue checklist item.
    pub overdue: Option<bool>,
    /// Only projects ending before this date.
    pub due_before: Option<Date>,
}

/// Orderings of `projects`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ProjectOrderField {
    /// End date; projects without one come last.
    #[default]
    DueDate,
    /// Last change, the project's own or its checklist's.
    UpdatedAt,
    /// Share of checklist items done.
    Progress,
}

/// How to sort `projects`; without `orderBy` they are by due date,
/// soonest first (DUE_DATE, ASC).
#[derive(InputObject, Clone, Copy)]
pub struct ProjectOrder {
    /// What to sort by.
    pub field: ProjectOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

/// The store's filter and ordering for a list request (shared by GraphQL and
/// the CSV export).
pub fn list_query(
    filter: ProjectFilterInput,
    order: Option<ProjectOrder>,
) -> ApiResult<(ProjectFilter, ProjectSort, bool, String)> {
    let party_organization_id = id_of(
        "filter.partyOrganizationId",
        Kind::Organization,
        filter.party_organization_id,
    )?;
    let store_filter = ProjectFilter {
        agreement_id: None,
        statuses: all(filter.status),
        areas: all(filter.area),
        party_organization_id,
        overdue: filter.overdue,
        due_before: filter.due_before.map(Into::into),
        today: None,
    };
    let (sort, descending) = match order {
        None => (
            ProjectSort::DueDate,
            projects::descending_by_default(ProjectSort::DueDate),
        ),
        Some(order) => (
            match order.field {
                ProjectOrderField::DueDate => ProjectSort::DueDate,
                ProjectOrderField::UpdatedAt => ProjectSort::UpdatedAt,
                ProjectOrderField::Progress => ProjectSort::Progress,
            },
            order.direction == OrderDirection::Desc,
        ),
    };
    let tag = projects::list_tag(sort, descending);
    Ok((store_filter, sort, descending, tag))
}

#[derive(Default)]
pub struct ProjectsQuery;

#[Object]
impl ProjectsQuery {
    /// One cooperation project; NOT_FOUND unless one of the caller's
    /// organisations takes part, or a coordinator's or supervisor's scope
    /// includes a party (admins see all).
    async fn project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project's global id.")] id: ID,
    ) -> Result<Option<ProjectObject>> {
        ctx.caller()?;
        let id = decode("id", Kind::Project, &id)?;
        Ok(Some(ProjectObject(
            iurhub_app::projects::visible(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// The project list: members see the projects of their organisations,
    /// coordinators and supervisors those with a party in their scope,
    /// admins every project. `GET /api/v1/projects.csv` exports the same
    /// list.
    #[allow(clippy::too_many_arguments)]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n projects (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the projects after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n projects (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the projects before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which projects to list.")] filter: Option<ProjectFilterInput>,
        #[graphql(desc = "How to sort them (default: by due date).")] order_by: Option<
            ProjectOrder,
        >,
    ) -> Result<Conn<ProjectObject>> {
        let caller = ctx.caller()?;
        let (filter, sort, descending, tag) = list_query(filter.unwrap_or_default(), order_by)?;
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page = projects::list(ctx.app(), caller, filter, sort, descending, args).await?;
        Ok(connection(&tag, page, ProjectObject))
    }
}
