//! The `PlanTarget` and `PlanWorkItem` nodes.

use async_graphql::{Context, ID, Object};
use iurhub_domain::records::plans::{PlanTarget, PlanWorkItem};

use crate::error::ApiResult as Result;
use crate::graphql::agreements::AgreementObject;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{MetricUnit, PlanMetric, ProjectArea, WorkItemStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{OrganizationId, UserId};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::scalars::{Date, DateTime};

/// The agreement `id`, as the reader sees it.
pub(super) async fn agreement_of(ctx: &Context<'_>, id: i64) -> Result<AgreementObject> {
    Ok(AgreementObject(
        iurhub_app::agreements::visible(ctx.app(), ctx.identity(), id).await?,
    ))
}

/// A target of an annual plan.
pub struct PlanTargetObject(pub PlanTarget);

/// A numeric target (计划指标) of an agreement's plan for one year, area and
/// metric. Seen by whoever sees the agreement.
#[Object(name = "PlanTarget")]
impl PlanTargetObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::PlanTarget, self.0.id))
    }

    /// The agreement whose plan this is.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<AgreementObject> {
        agreement_of(ctx, self.0.agreement_id).await
    }

    /// The calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The cooperation area.
    async fn area(&self) -> ProjectArea {
        self.0.area.into()
    }

    /// The metric.
    async fn metric(&self) -> PlanMetric {
        self.0.metric.into()
    }

    /// The unit of `target`.
    async fn unit(&self) -> MetricUnit {
        self.0.metric.unit().into()
    }

    /// The target value, in `unit`.
    async fn target(&self) -> i32 {
        i32::try_from(self.0.target).unwrap_or(i32::MAX)
    }

    /// What the target means, for the parties' leadership.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// For optimistic concurrency: pass it back to `setPlanTarget`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Who set the current value.
    async fn updated_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.updated_by))
            .await?
            .map(UserObject))
    }

    /// When the target was first set.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the target last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A work item of an annual plan.
pub struct PlanWorkItemObject(pub PlanWorkItem);

/// A work item (工作事项) of an agreement's plan for one year and area —
/// what the parties set out to do, with the party responsible. Seen by
/// whoever sees the agreement.
#[Object(name = "PlanWorkItem")]
impl PlanWorkItemObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::PlanWorkItem, self.0.id))
    }

    /// The agreement whose plan this is.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<AgreementObject> {
        agreement_of(ctx, self.0.agreement_id).await
    }

    /// The calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The cooperation area.
    async fn area(&self) -> ProjectArea {
        self.0.area.into()
    }

    /// What is to be done, 1 to 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Details, up to 2,000 characters.
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }

    /// When it is due.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }

    /// The party responsible.
    async fn responsible_organization(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<OrganizationObject>> {
        let Some(id) = self.0.responsible_organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationId(id))
            .await?
            .map(OrganizationObject))
    }

    /// PLANNED, DONE or DROPPED.
    async fn status(&self) -> WorkItemStatus {
        self.0.status.into()
    }

    /// When it was marked DONE.
    async fn done_at(&self) -> Option<DateTime> {
        self.0.done_at.map(DateTime)
    }

    /// Whether it is not done and past due (today in China Standard Time).
    async fn overdue(&self) -> bool {
        self.0.status == iurhub_domain::WorkItemStatus::Planned
            && self
                .0
                .due_date
                .is_some_and(|d| d < iurhub_app::agreements::today())
    }

    /// For optimistic concurrency: pass it back to `updatePlanWorkItem`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Who added it.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.created_by))
            .await?
            .map(UserObject))
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
