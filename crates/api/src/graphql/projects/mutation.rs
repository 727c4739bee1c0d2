//! The mutations of a cooperation project: its life cycle, milestones and
//! checklist.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::{Date, Decimal};
use iurhub_domain::records::projects::{ItemPatch, NewItem, ProjectPatch};

use super::{ChecklistItemObject, MilestoneObject, ProjectObject};
use crate::error::ApiResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::ProjectArea;
use crate::graphql::ids::{Kind, decode, decode_match};
use crate::graphql::inputs::maybe;
use iurhub_app::projects::ProjectInput;

/// A new project.
#[derive(InputObject)]
pub struct CreateProjectInput {
    /// Title, 1 to 200 characters.
    pub title: String,
    /// One of the six areas of the cooperation agreement, or OTHER.
    pub area: ProjectArea,
    /// The organisations taking part; the caller must manage one of them.
    pub party_organization_ids: Vec<ID>,
    /// A need of one of the parties that the caller manages.
    pub need_id: Option<ID>,
    /// A capability of one of the parties that the caller manages.
    pub capability_id: Option<ID>,
    /// When the project starts.
    pub start_date: Option<Date>,
    /// When the project is due to end (not before `startDate`).
    pub end_date: Option<Date>,
    /// The cooperation funding contracted (合同经费), in yuan (CNY, at most
    /// two decimals); zero or more.
    pub funding: Option<Decimal>,
    /// The framework agreement the project belongs to: one of the caller's
    /// organisations must be a party, and the agreement a DRAFT or ACTIVE.
    pub agreement_id: Option<ID>,
}

/// Changes to a project; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    /// The project.
    pub id: ID,
    /// The version read; a project changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// New title, 1 to 200 characters.
    pub title: Option<String>,
    /// New area.
    pub area: Option<ProjectArea>,
    /// `null` clears it.
    pub start_date: MaybeUndefined<Date>,
    /// `null` clears it.
    pub end_date: MaybeUndefined<Date>,
    /// The cooperation funding contracted, in yuan; null clears it.
    pub funding: MaybeUndefined<Decimal>,
    /// Files the project under a framework agreement (one of the caller's
    /// organisations must be a party, the agreement a DRAFT or ACTIVE);
    /// `null` takes it out of its agreement.
    pub agreement_id: MaybeUndefined<ID>,
}

/// A new milestone of a project.
#[derive(InputObject)]
pub struct AddMilestoneInput {
    /// The project.
    pub project_id: ID,
    /// Title, 1 to 200 characters.
    pub title: String,
    /// When the milestone is due.
    pub due_date: Option<Date>,
}

/// Changes to a milestone; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    /// The milestone.
    pub id: ID,
    /// New title, 1 to 200 characters.
    pub title: Option<String>,
    /// `null` clears it.
    pub due_date: MaybeUndefined<Date>,
}

/// A new checklist item, added at the end of the checklist.
#[derive(InputObject)]
pub struct AddChecklistItemInput {
    /// The project.
    pub project_id: ID,
    /// Title, 1 to 200 characters.
    pub title: String,
    /// A milestone of the same project.
    pub milestone_id: Option<ID>,
    /// A member of one of the project's parties.
    pub owner_user_id: Option<ID>,
    /// When the item is due.
    pub due_date: Option<Date>,
}

/// Changes to a checklist item; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdateChecklistItemInput {
    /// The item.
    pub id: ID,
    /// The version read; an item changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// New title, 1 to 200 characters.
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

/// Result of the project mutations.
#[derive(SimpleObject)]
pub struct ProjectPayload {
    /// The project as it is now.
    pub project: ProjectObject,
}

/// Result of `addMilestone` and `updateMilestone`.
#[derive(SimpleObject)]
pub struct MilestonePayload {
    /// The milestone as it is now.
    pub milestone: MilestoneObject,
    /// Its project.
    pub project: ProjectObject,
}

/// Result of the checklist item mutations.
#[derive(SimpleObject)]
pub struct ChecklistItemPayload {
    /// The item as it is now.
    pub item: ChecklistItemObject,
    /// The project with its new progress.
    pub project: ProjectObject,
}

/// A project from an ACCEPTED match.
#[derive(InputObject)]
pub struct CreateProjectFromMatchInput {
    /// The accepted match.
    pub match_id: ID,
    /// The area of the cooperation agreement (default OTHER).
    #[graphql(default_with = "ProjectArea::Other")]
    pub area: ProjectArea,
    /// Title, 1 to 200 characters; defaults to the need's title (required
    /// for a CONFIDENTIAL need).
    pub title: Option<String>,
    /// When the project starts.
    pub start_date: Option<Date>,
    /// When the project is due to end (not before `startDate`).
    pub end_date: Option<Date>,
    /// The framework agreement the project belongs to (as in
    /// `createProject`).
    pub agreement_id: Option<ID>,
}

/// A step of a project's life cycle (`agreeProject`, `startProject`,
/// `completeProject`).
#[derive(InputObject)]
pub struct ProjectTransitionInput {
    /// The project.
    pub id: ID,
    /// The version read; a project changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Ending a project early.
#[derive(InputObject)]
pub struct TerminateProjectInput {
    /// The project.
    pub id: ID,
    /// Why the project ends (required, at most 2,000 characters).
    pub reason: String,
    /// The version read; a project changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// A step of a checklist item (`completeChecklistItem`, `reopenChecklistItem`).
#[derive(InputObject)]
pub struct ChecklistItemTransitionInput {
    /// The item.
    pub id: ID,
    /// The version read; an item changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Blocking a checklist item.
#[derive(InputObject)]
pub struct BlockChecklistItemInput {
    /// The item.
    pub id: ID,
    /// What blocks the item (required, at most 2,000 characters).
    pub note: String,
    /// The version read; an item changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// A new order of a project's checklist.
#[derive(InputObject)]
pub struct ReorderChecklistInput {
    /// The project.
    pub project_id: ID,
    /// Every item of the project, once, in the new order.
    pub item_ids: Vec<ID>,
}

/// A checklist item to delete.
#[derive(InputObject)]
pub struct DeleteChecklistItemInput {
    /// The item.
    pub id: ID,
    /// The version read; an item changed meanwhile gives CONFLICT and
    /// nothing is deleted.
    pub version: Option<i32>,
}

/// A milestone to delete.
#[derive(InputObject)]
pub struct DeleteMilestoneInput {
    /// The milestone.
    pub id: ID,
    /// The version read; a milestone changed meanwhile gives CONFLICT and
    /// nothing is deleted.
    pub version: Option<i32>,
}

/// Result of `deleteChecklistItem` and `deleteMilestone`.
#[derive(SimpleObject)]
pub struct DeletePayload {
    /// The global id of the object deleted.
    pub deleted_id: ID,
    /// Its project, with the new progress.
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
        #[graphql(desc = "The new project.")] input: CreateProjectInput,
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
                agreement_id: id_of("agreementId", Kind::Agreement, input.agreement_id)?,
                start_date: input.start_date.map(Into::into),
                end_date: input.end_date.map(Into::into),
                funding: input.funding.map(|d| d.0),
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
        #[graphql(desc = "The match and the project's fields.")] input: CreateProjectFromMatchInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let (need_id, capability_id) = decode_match("matchId", &input.match_id)?;
        let agreement_id = id_of("agreementId", Kind::Agreement, input.agreement_id)?;
        let project = iurhub_app::projects::create_from_match(
            ctx.app(),
            caller,
            need_id,
            capability_id,
            input.area.into(),
            input.title,
            input.start_date.map(Into::into),
            input.end_date.map(Into::into),
            agreement_id,
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
        #[graphql(desc = "The project and the changes.")] input: UpdateProjectInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Project, &input.id)?;
        let patch = ProjectPatch {
            title: input.title,
            area: input.area.map(Into::into),
            start_date: maybe(input.start_date),
            end_date: maybe(input.end_date),
            funding: maybe(input.funding),
            agreement_id: crate::graphql::inputs::maybe_id(
                "agreementId",
                Kind::Agreement,
                input.agreement_id,
            )?,
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
        #[graphql(desc = "The project and the version read.")] input: ProjectTransitionInput,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            input.id,
            iurhub_domain::ProjectStatus::Agreed,
            None,
            input.version,
        )
        .await
    }

    /// AGREED → IN_PROGRESS; a linked need moves to IN_COOPERATION.
    async fn start_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the version read.")] input: ProjectTransitionInput,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            input.id,
            iurhub_domain::ProjectStatus::InProgress,
            None,
            input.version,
        )
        .await
    }

    /// IN_PROGRESS → COMPLETED; a linked need returns to PUBLISHED.
    async fn complete_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the version read.")] input: ProjectTransitionInput,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            input.id,
            iurhub_domain::ProjectStatus::Completed,
            None,
            input.version,
        )
        .await
    }

    /// Any open state → TERMINATED, with the reason.
    async fn terminate_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project, the reason and the version read.")]
        input: TerminateProjectInput,
    ) -> Result<ProjectPayload> {
        transition(
            ctx,
            input.id,
            iurhub_domain::ProjectStatus::Terminated,
            Some(input.reason),
            input.version,
        )
        .await
    }

    /// Adds a milestone at the end of a project's milestones.
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the milestone.")] input: AddMilestoneInput,
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

    /// Edits a milestone's title or due date.
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone and the changes.")] input: UpdateMilestoneInput,
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
        #[graphql(desc = "The project and the item.")] input: AddChecklistItemInput,
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
        #[graphql(desc = "The item and the changes.")] input: UpdateChecklistItemInput,
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
        #[graphql(desc = "The item and the version read.")] input: ChecklistItemTransitionInput,
    ) -> Result<ChecklistItemPayload> {
        item_status(
            ctx,
            input.id,
            iurhub_domain::ChecklistStatus::Done,
            None,
            input.version,
        )
        .await
    }

    /// DONE or BLOCKED → OPEN.
    async fn reopen_checklist_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item and the version read.")] input: ChecklistItemTransitionInput,
    ) -> Result<ChecklistItemPayload> {
        item_status(
            ctx,
            input.id,
            iurhub_domain::ChecklistStatus::Open,
            None,
            input.version,
        )
        .await
    }

    /// → BLOCKED, with a note saying what blocks it.
    async fn block_checklist_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item, what blocks it and the version read.")]
        input: BlockChecklistItemInput,
    ) -> Result<ChecklistItemPayload> {
        item_status(
            ctx,
            input.id,
            iurhub_domain::ChecklistStatus::Blocked,
            Some(input.note),
            input.version,
        )
        .await
    }

    /// Deletes a checklist item of an open project (members of a party,
    /// coordinators, admins). The items after it move up, the project's
    /// progress is recounted, and the log records the deletion with the
    /// item's title (`ChecklistItemDeletedEvent`).
    async fn delete_checklist_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item and the version read.")] input: DeleteChecklistItemInput,
    ) -> Result<DeletePayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::ChecklistItem, &input.id)?;
        let item = iurhub_app::projects::delete_item(ctx.app(), caller, id, input.version).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
            project: project_payload(ctx, item.project_id).await?,
        })
    }

    /// Deletes a milestone of an open project (members of a party,
    /// coordinators, admins). Its checklist items stay in the checklist,
    /// without a milestone; the log records the deletion with the
    /// milestone's title (`MilestoneDeletedEvent`).
    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone and the version read.")] input: DeleteMilestoneInput,
    ) -> Result<DeletePayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Milestone, &input.id)?;
        let milestone =
            iurhub_app::projects::delete_milestone(ctx.app(), caller, id, input.version).await?;
        Ok(DeletePayload {
            deleted_id: input.id,
            project: project_payload(ctx, milestone.project_id).await?,
        })
    }

    /// Puts the checklist in this order (every item of the project, once).
    async fn reorder_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and its items in the new order.")]
        input: ReorderChecklistInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let project_id = decode("projectId", Kind::Project, &input.project_id)?;
        let ids = input
            .item_ids
            .iter()
            .map(|id| decode("itemIds", Kind::ChecklistItem, id))
            .collect::<ApiResult<Vec<_>>>()?;
        iurhub_app::projects::reorder(ctx.app(), caller, project_id, &ids).await?;
        Ok(ProjectPayload {
            project: project_payload(ctx, project_id).await?,
        })
    }
}
