use crate::graphql::loaders::{OrganizationId, UserId};
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::scalars::{Date, DateTime, Money};
use iurhub_app::projects::{self, today};
use iurhub_domain::records::projects::{ChecklistItem, Milestone, Project};

use crate::graphql::agreements::AgreementObject;
use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{ChecklistStatus, ProjectArea, ProjectStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::matching::MatchObject;
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::paging::{Conn, PageInput, connection};

use super::consent::{PendingMoveObject, ProjectPartyObject};
use super::events::ProjectEventNode;

/// A cooperation project (合作项目) between organisations.
pub struct ProjectObject(pub Project);

/// How far a project's checklist is.
#[derive(SimpleObject)]
pub struct ProjectProgress {
    /// Checklist items done.
    pub done: i32,
    /// Checklist items in all.
    pub total: i32,
    /// `done / total` in percent, rounded down; 0 without items.
    pub percent: i32,
}

/// A cooperation project (合作项目) between organisations.
#[Object(name = "Project")]
impl ProjectObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Project, self.0.id))
    }

    /// The conversation of the project's parties (made when first read);
    /// null for readers who are neither a party's members, its agreement's
    /// coordinators nor admins (supervisors see the project, not the
    /// conversation).
    async fn thread(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::threads::ThreadObject>> {
        crate::graphql::threads::thread_of(
            ctx,
            iurhub_domain::records::threads::ThreadSubject::Project(self.0.id),
        )
        .await
    }

    /// The project's title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The area of the cooperation agreement.
    async fn area(&self) -> ProjectArea {
        self.0.area.into()
    }

    /// Where the project is in its life cycle.
    async fn status(&self) -> ProjectStatus {
        self.0.status.into()
    }

    /// Why the project was terminated.
    async fn termination_reason(&self) -> Option<&str> {
        self.0.termination_reason.as_deref()
    }

    /// For optimistic concurrency: pass it back to `updateProject` and the
    /// status mutations.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the project starts.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }

    /// When the project is due to end.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    /// The cooperation funding contracted (合同经费).
    async fn funding(&self) -> Option<Money> {
        self.0.funding.map(Money::fen)
    }

    /// When the project became AGREED (first time); funding counts toward
    /// an annual plan in that year.
    async fn agreed_at(&self) -> Option<DateTime> {
        self.0.agreed_at.map(DateTime)
    }

    /// When the project became IN_PROGRESS (first time): the year it
    /// counts as started in an annual plan.
    async fn started_at(&self) -> Option<DateTime> {
        self.0.started_at.map(DateTime)
    }

    /// When the project was COMPLETED or TERMINATED.
    async fn ended_at(&self) -> Option<DateTime> {
        self.0.ended_at.map(DateTime)
    }

    /// The organisations taking part.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let orgs = load_many(
            ctx,
            self.0
                .party_ids
                .iter()
                .copied()
                .map(OrganizationId)
                .collect(),
        )
        .await?;
        Ok(orgs.into_iter().map(OrganizationObject).collect())
    }

    /// Every organisation named, with its answer (INVITED, ACCEPTED,
    /// DECLINED), in the order of `parties`.
    async fn party_consents(&self) -> Vec<ProjectPartyObject> {
        self.0
            .parties
            .iter()
            .cloned()
            .map(|party| ProjectPartyObject {
                party,
                project: self.0.clone(),
            })
            .collect()
    }

    /// The binding moves (agree, complete, terminate) some parties
    /// confirmed and others are awaited for, in the order AGREED,
    /// COMPLETED, TERMINATED. A move happens when the last party awaited
    /// confirms; a move made clears every pending confirmation.
    async fn pending_moves(&self) -> Vec<PendingMoveObject> {
        iurhub_domain::ProjectStatus::ALL
            .iter()
            .copied()
            .filter(|to| self.0.confirmations.iter().any(|c| c.to == *to))
            .map(|to| PendingMoveObject {
                to,
                project: self.0.clone(),
            })
            .collect()
    }

    /// The need the project answers, if the reader may see it.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<NeedObject>> {
        let Some(id) = self.0.need_id else {
            return Ok(None);
        };
        Ok(iurhub_app::needs::visible(ctx.app(), ctx.identity(), id)
            .await
            .ok()
            .map(NeedObject::new))
    }

    /// The capability the project builds on, if the reader may see it.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<CapabilityObject>> {
        let Some(id) = self.0.capability_id else {
            return Ok(None);
        };
        Ok(
            iurhub_app::capabilities::visible(ctx.app(), ctx.identity(), id)
                .await
                .ok()
                .map(CapabilityObject),
        )
    }

    /// The accepted match the project came from; null for a project
    /// created directly, and for readers who may not see the match (it is
    /// shown to those who decide on the need's matches: the need's
    /// organisation, coordinators and admins).
    #[graphql(name = "match")]
    async fn match_(&self, ctx: &Context<'_>) -> Option<MatchObject> {
        self.0.match_id?;
        crate::graphql::matching::match_for(ctx, self.0.need_id?, self.0.capability_id?)
            .await
            .ok()
    }

    /// The framework agreement the project belongs to; null when it
    /// belongs to none, and for readers who may not see the agreement
    /// (members of its parties, coordinators and admins see it).
    async fn agreement(&self, ctx: &Context<'_>) -> Option<AgreementObject> {
        let id = self.0.agreement_id?;
        load_one(ctx, crate::graphql::loaders::AgreementId(id))
            .await
            .ok()
            .flatten()
            .filter(|a| a.visible_to(ctx.identity().scope()))
            .map(AgreementObject)
    }

    /// How far the checklist is.
    async fn progress(&self) -> ProjectProgress {
        ProjectProgress {
            done: self.0.items_done,
            total: self.0.items_total,
            percent: self.0.progress,
        }
    }

    /// The milestones, in order.
    async fn milestones(&self, ctx: &Context<'_>) -> Result<Vec<MilestoneObject>> {
        let found = projects::milestones_of(ctx.app(), &[self.0.id]).await?;
        Ok(found.into_iter().map(MilestoneObject).collect())
    }

    /// The checklist, in its order.
    async fn checklist(&self, ctx: &Context<'_>) -> Result<Vec<ChecklistItemObject>> {
        let items = projects::items_of(ctx.app(), &[self.0.id]).await?;
        Ok(items.into_iter().map(ChecklistItemObject).collect())
    }

    /// Checklist items not done and past their due date.
    async fn overdue_items(&self, ctx: &Context<'_>) -> Result<i32> {
        let today = today();
        let items = projects::items_of(ctx.app(), &[self.0.id]).await?;
        Ok(items.iter().filter(|i| i.is_overdue(today)).count() as i32)
    }

    /// Everything that happened to the project, oldest first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n events (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the events after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the events before this cursor.")] before: Option<String>,
    ) -> Result<Conn<ProjectEventNode>> {
        let tag = format!("projectEvents:{}", self.0.id);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page = projects::events(ctx.app(), self.0.id, args).await?;
        Ok(connection(&tag, page, ProjectEventNode::new))
    }

    /// Whether the signed-in user may change the project.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| iurhub_app::projects::can_edit(c, &self.0))
    }

    /// When the project was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the project or its checklist last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A milestone of a project.
pub struct MilestoneObject(pub Milestone);

/// A milestone of a project.
#[Object(name = "Milestone")]
impl MilestoneObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Milestone, self.0.id))
    }

    /// The milestone's title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// When the milestone is due.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }

    /// Position among the project's milestones, from 0.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// For optimistic concurrency: pass it back to `deleteMilestone`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The project the milestone belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<ProjectObject> {
        Ok(ProjectObject(
            projects::visible(ctx.app(), ctx.identity(), self.0.project_id).await?,
        ))
    }

    /// The checklist items under this milestone, in order.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ChecklistItemObject>> {
        let items = projects::items_of(ctx.app(), &[self.0.project_id]).await?;
        Ok(items
            .into_iter()
            .filter(|i| i.milestone_id == Some(self.0.id))
            .map(ChecklistItemObject)
            .collect())
    }
}

/// One checklist item.
pub struct ChecklistItemObject(pub ChecklistItem);

/// One checklist item.
#[Object(name = "ChecklistItem")]
impl ChecklistItemObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::ChecklistItem, self.0.id))
    }

    /// What is to be done.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// OPEN, DONE or BLOCKED.
    async fn status(&self) -> ChecklistStatus {
        self.0.status.into()
    }

    /// What blocks the item, or any remark.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// When the item is due.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }

    /// Not done and past its due date.
    async fn overdue(&self) -> bool {
        self.0.is_overdue(today())
    }

    /// Who is responsible.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.owner_user_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// The milestone the item belongs to, if any.
    async fn milestone(&self, ctx: &Context<'_>) -> Result<Option<MilestoneObject>> {
        let Some(id) = self.0.milestone_id else {
            return Ok(None);
        };
        let found = projects::milestones_of(ctx.app(), &[self.0.project_id]).await?;
        Ok(found.into_iter().find(|m| m.id == id).map(MilestoneObject))
    }

    /// The project the item belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<ProjectObject> {
        Ok(ProjectObject(
            projects::visible(ctx.app(), ctx.identity(), self.0.project_id).await?,
        ))
    }

    /// Position in the checklist, from 0.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// For optimistic concurrency: pass it back to the item mutations.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the item last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
