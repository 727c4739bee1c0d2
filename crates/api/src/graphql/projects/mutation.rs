//! The mutations of a cooperation project: its life cycle, milestones and
//! checklist.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::Date;
use iurhub_domain::records::projects::{ItemPatch, NewItem, ProjectPatch};

use super::{ChecklistItemObject, MilestoneObject, ProjectObject};
use crate::error::ApiResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::ProjectArea;
use crate::graphql::ids::{Kind, decode, decode_match};
use crate::graphql::inputs::maybe;
use iurhub_app::projects::ProjectInput;

#[derive(InputObject)]
pub struct CreateProjectInput {
    pub title: String,
    pub area: ProjectArea,
    /// The organisations taking part; the caller must manage one of them.
    pub party_organization_ids: Vec<ID>,
    pub need_id: Option<ID>,
    pub capability_id: Option<ID>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub id: ID,
    /// The version read; a project changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    pub title: Option<String>,
    pub area: Option<ProjectArea>,
    /// `null` clears it.
    pub start_date: MaybeUndefined<Date>,
    /// `null` clears it.
    pub end_date: MaybeUndefined<Date>,
}

#[derive(InputObject)]
pub struct AddMilestoneInput {
    pub project_id: ID,
    pub title: String,
    pub due_date: Option<Date>,
}

#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    pub id: ID,
    pub title: Option<String>,
    /// `null` clears it.
    pub due_date: MaybeUndefined<Date>,
}

#[derive(InputObject)]
pub struct AddChecklistItemInput {
    pub project_id: ID,
    pub title: String,
    pub milestone_id: Option<ID>,
    /// A member of one of the project's parties.
    pub owner_user_id: Option<ID>,
    pub due_date: Option<Date>,
}

#[derive(InputObject)]
pub struct UpdateChecklistItemInput {
    pub id: ID,
    /// The version read; an item changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    pub title: Option<String>,
    /// `null` takes it out of its milestone.
    pub milestone_id: MaybeUndefined<ID>,
    /// `null` leaves it without owner.
    pub owner_user_id: MaybeUndefined<ID>,
    /// `null` clears it.
    pub due_date: MaybeUndefined<Date>,
    /// `null` clears it.
    pub note: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct ProjectPayload {
    pub project: ProjectObject,
}

#[derive(SimpleObject)]
pub struct MilestonePayload {
    pub milestone: MilestoneObject,
    pub project: ProjectObject,
}

#[derive(SimpleObject)]
pub struct ChecklistItemPayload {
    pub item: ChecklistItemObject,
    /// The project with its new progress.
    pub project: ProjectObject,
}

async fn project_payload(ctx: &Context<'_>, id: i64) -> Result<ProjectObject> {
    Ok(ProjectObject(
        iurhub_app::projects::visible(ctx.app(), ctx.identity(), id).await?,
    ))
}

async fn transition(
    ctx: &Context<'_>,
    id: ID,
    to: iurhub_domain::ProjectStatus,
    reason: Option<String>,
    version: Option<i32>,
) -> Result<ProjectPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Project, &id)?;
    let project =
        iurhub_app::projects::transition(ctx.app(), caller, id, to, reason, version).await?;
    Ok(ProjectPayload {
        project: ProjectObject(project),
    })
}

async fn item_status(
    ctx: &Context<'_>,
    id: ID,
    to: iurhub_domain::ChecklistStatus,
    note: Option<String>,
    version: Option<i32>,
) -> Result<ChecklistItemPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::ChecklistItem, &id)?;
    let item =
        iurhub_app::projects::set_item_status(ctx.app(), caller, id, to, note, version).await?;
    let project = project_payload(ctx, item.project_id).await?;
    Ok(ChecklistItemPayload {
        item: ChecklistItemObject(item),
        project,
    })
}

fn user_id(field: &str, id: Option<ID>) -> ApiResult<Option<i64>> {
    id.map(|id| decode(field, Kind::User, &id)).transpose()
}

fn milestone_id(field: &str, id: Option<ID>) -> ApiResult<Option<i64>> {
    id.map(|id| decode(field, Kind::Milestone, &id)).transpose()
}

#[derive(Default)]
pub struct ProjectsMutation;

#[Object]
impl ProjectsMutation {
    /// Starts a PROPOSED project between organisations.
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let party_ids = input
            .party_organization_ids
            .iter()
            .map(|id| decode("partyOrganizationIds", Kind::Organization, id))
            .collect::<ApiResult<Vec<_>>>()?;
        let project = iurhub_app::projects::create(
            ctx.app(),
            caller,
            ProjectInput {
                title: input.title,
                area: input.area.into(),
                party_ids,
                need_id: id_of("needId", Kind::Need, input.need_id)?,
                capability_id: id_of("capabilityId", Kind::Capability, input.capability_id)?,
                start_date: input.start_date.map(Into::into),
                end_date: input.end_date.map(Into::into),
            },
        )
        .await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }

    /// Starts a PROPOSED project from an ACCEPTED match: the need's and the
    /// capability's organisations are its parties, the need and capability
    /// are linked, the title defaults to the need's (a CONFIDENTIAL need's
    /// project must be given a title: the other party never sees the need's
    /// text). One project per match.
    async fn create_project_from_match(
        &self,
        ctx: &Context<'_>,
        match_id: ID,
        #[graphql(default_with = "ProjectArea::Other")] area: ProjectArea,
        title: Option<String>,
        start_date: Option<Date>,
        end_date: Option<Date>,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let (need_id, capability_id) = decode_match("matchId", &match_id)?;
        let project = iurhub_app::projects::create_from_match(
            ctx.app(),
            caller,
            need_id,
            capability_id,
            area.into(),
            title,
            start_date.map(Into::into),
            end_date.map(Into::into),
        )
        .await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }

    /// Edits title, area and dates of an open project.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Project, &input.id)?;
        let patch = ProjectPatch {
            title: input.title,
            area: input.area.map(Into::into),
            start_date: maybe(input.start_date),
            end_date: maybe(input.end_date),
        };
        let project =
            iurhub_app::projects::update(ctx.app(), caller, id, patch, input.version).await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }

    /// PROPOSED → AGREED.
    async fn agree_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<ProjectPayload> {
        transition(ctx, id, iurhub_domain::ProjectStatus::Agreed, None, version).await
    }

    /// AGREED → IN_PROGRESS; a linked need moves to IN_COOPERATION.
    async fn start_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            id,
            iurhub_domain::ProjectStatus::InProgress,
            None,
            version,
        )
        .await
    }

    /// IN_PROGRESS → COMPLETED; a linked need returns to PUBLISHED.
    async fn complete_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            id,
            iurhub_domain::ProjectStatus::Completed,
            None,
            version,
        )
        .await
    }

    /// Any open state → TERMINATED, with the reason.
    async fn terminate_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
        version: Option<i32>,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            id,
            iurhub_domain::ProjectStatus::Terminated,
            Some(reason),
            version,
        )
        .await
    }

    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        input: AddMilestoneInput,
    ) -> Result<MilestonePayload> {
        let caller = ctx.caller()?;
        let project_id = decode("projectId", Kind::Project, &input.project_id)?;
        let milestone = iurhub_app::projects::add_milestone(
            ctx.app(),
            caller,
            project_id,
            &input.title,
            input.due_date.map(Into::into),
        )
        .await?;
        Ok(MilestonePayload {
            milestone: MilestoneObject(milestone),
            project: project_payload(ctx, project_id).await?,
        })
    }

    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        input: UpdateMilestoneInput,
    ) -> Result<MilestonePayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Milestone, &input.id)?;
        let milestone = iurhub_app::projects::update_milestone(
            ctx.app(),
            caller,
            id,
            input.title,
            maybe(input.due_date),
        )
        .await?;
        let project = project_payload(ctx, milestone.project_id).await?;
        Ok(MilestonePayload {
            milestone: MilestoneObject(milestone),
            project,
        })
    }

    /// Adds an OPEN item at the end of the checklist.
    async fn add_checklist_item(
        &self,
        ctx: &Context<'_>,
        input: AddChecklistItemInput,
    ) -> Result<ChecklistItemPayload> {
        let caller = ctx.caller()?;
        let project_id = decode("projectId", Kind::Project, &input.project_id)?;
        let item = iurhub_app::projects::add_item(
            ctx.app(),
            caller,
            project_id,
            NewItem {
                milestone_id: milestone_id("milestoneId", input.milestone_id)?,
                title: input.title,
                owner_user_id: user_id("ownerUserId", input.owner_user_id)?,
                due_date: input.due_date.map(Into::into),
            },
        )
        .await?;
        Ok(ChecklistItemPayload {
            item: ChecklistItemObject(item),
            project: project_payload(ctx, project_id).await?,
        })
    }

    /// Edits an item's title, milestone, owner, due date or note.
    async fn update_checklist_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateChecklistItemInput,
    ) -> Result<ChecklistItemPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::ChecklistItem, &input.id)?;
        let patch = ItemPatch {
            title: input.title,
            milestone_id: maybe(input.milestone_id)
                .map(|m| milestone_id("milestoneId", m))
                .transpose()?,
            owner_user_id: maybe(input.owner_user_id)
                .map(|u| user_id("ownerUserId", u))
                .transpose()?,
            due_date: maybe(input.due_date),
            note: maybe(input.note),
        };
        let item =
            iurhub_app::projects::update_item(ctx.app(), caller, id, patch, input.version).await?;
        let project = project_payload(ctx, item.project_id).await?;
        Ok(ChecklistItemPayload {
            item: ChecklistItemObject(item),
            project,
        })
    }

    /// OPEN or BLOCKED → DONE.
    async fn complete_checklist_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<ChecklistItemPayload> {
        item_status(ctx, id, iurhub_domain::ChecklistStatus::Done, None, version).await
    }

    /// DONE or BLOCKED → OPEN.
    async fn reopen_checklist_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<ChecklistItemPayload> {
        item_status(ctx, id, iurhub_domain::ChecklistStatus::Open, None, version).await
    }

    /// → BLOCKED, with a note saying what blocks it.
    async fn block_checklist_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
        version: Option<i32>,
    ) -> Result<ChecklistItemPayload> {
        item_status(
            ctx,
            id,
            iurhub_domain::ChecklistStatus::Blocked,
            Some(note),
            version,
        )
        .await
    }

    /// Puts the checklist in this order (every item of the project, once).
    async fn reorder_checklist(
        &self,
        ctx: &Context<'_>,
        project_id: ID,
        item_ids: Vec<ID>,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let project_id = decode("projectId", Kind::Project, &project_id)?;
        let ids = item_ids
            .iter()
            .map(|id| decode("itemIds", Kind::ChecklistItem, id))
            .collect::<ApiResult<Vec<_>>>()?;
        iurhub_app::projects::reorder(ctx.app(), caller, project_id, &ids).await?;
        Ok(ProjectPayload {
            project: project_payload(ctx, project_id).await?,
        })
    }
}
