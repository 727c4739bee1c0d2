//! Annual plans of framework agreements in the schema: `Agreement.plans`,
//! `Agreement.plan(year:)`, `Agreement.progress(year:)`, the `PlanTarget`
//! and `PlanWorkItem` nodes and their mutations. Rules and computation are
//! in `iurhub_app::plans` and `iurhub_domain::records::plans`.

pub mod objects;

use objects::agreement_of;
pub use objects::{PlanTargetObject, PlanWorkItemObject};

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use iurhub_app::plans;
use iurhub_domain::records::plans::{
    Contribution, NewWorkItem, Progress, RecordRef, TargetInput, WorkItemPatch,
};

use crate::error::ApiResult as Result;
use crate::graphql::agreements::AgreementObject;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{MetricUnit, PlanMetric, ProjectArea, WorkItemStatus};
use crate::graphql::ids::{Kind, decode, encode, encode_match};
use crate::graphql::inputs::{id_of, maybe, maybe_id};
use crate::graphql::node::{Node, visible_node};
use crate::graphql::scalars::Date;

/// One agreement's plan for one year.
pub struct AnnualPlanObject {
    pub agreement_id: i64,
    pub year: i32,
}

/// An agreement's annual plan (年度工作计划) for one year: the targets on
/// named metrics and the work items, per area, and the progress computed
/// from the records.
#[Object(name = "AnnualPlan")]
impl AnnualPlanObject {
    /// The calendar year (China Standard Time).
    async fn year(&self) -> i32 {
        self.year
    }

    /// The targets of the year, by area and metric.
    async fn targets(&self, ctx: &Context<'_>) -> Result<Vec<PlanTargetObject>> {
        let targets = plans::targets(
            ctx.app(),
            ctx.identity(),
            self.agreement_id,
            Some(self.year),
        )
        .await?;
        Ok(targets.into_iter().map(PlanTargetObject).collect())
    }

    /// The work items of the year, by area and due date.
    async fn work_items(&self, ctx: &Context<'_>) -> Result<Vec<PlanWorkItemObject>> {
        let items = plans::work_items(
            ctx.app(),
            ctx.identity(),
            self.agreement_id,
            Some(self.year),
        )
        .await?;
        Ok(items.into_iter().map(PlanWorkItemObject).collect())
    }

    /// Every target of the year against its actual value, as
    /// `Agreement.progress(year:)`.
    async fn progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this area.")] area: Option<ProjectArea>,
    ) -> Result<Vec<PlanProgressObject>> {
        progress(ctx, self.agreement_id, self.year, area).await
    }
}

/// The progress rows of an agreement's plan in `year`.
pub async fn progress(
    ctx: &Context<'_>,
    agreement_id: i64,
    year: i32,
    area: Option<ProjectArea>,
) -> Result<Vec<PlanProgressObject>> {
    let rows = plans::progress(
        ctx.app(),
        ctx.identity(),
        agreement_id,
        year,
        area.map(Into::into),
    )
    .await?;
    Ok(rows.into_iter().map(PlanProgressObject).collect())
}

/// One metric of a plan: target against actual.
pub struct PlanProgressObject(pub Progress);

/// One metric of an annual plan in one area: the target against the actual
/// value computed from the records (projects, matches, bookings,
/// activities), never typed in; the records behind the number are listed.
#[Object(name = "PlanProgress")]
impl PlanProgressObject {
    /// The cooperation area.
    async fn area(&self) -> ProjectArea {
        self.0.area.into()
    }

    /// The metric.
    async fn metric(&self) -> PlanMetric {
        self.0.metric.into()
    }

    /// The unit of `target` and `actual`.
    async fn unit(&self) -> MetricUnit {
        self.0.metric.unit().into()
    }

    /// The plan's target; null where the plan sets none and the records
    /// give a value.
    async fn target(&self) -> Option<i32> {
        self.0.target.map(|t| i32::try_from(t).unwrap_or(i32::MAX))
    }

    /// The value the records give, in `unit`.
    async fn actual(&self) -> f64 {
        self.0.actual
    }

    /// `actual / target × 100`, to a tenth; null without a positive target.
    async fn percent(&self) -> Option<f64> {
        self.0.percent
    }

    /// The records behind `actual`, by the day they count on.
    async fn contributions(&self) -> Vec<PlanContributionObject> {
        self.0
            .contributions
            .iter()
            .cloned()
            .map(PlanContributionObject)
            .collect()
    }
}

/// One record's part in a metric.
pub struct PlanContributionObject(pub Contribution);

/// One record counted in a plan metric, with its part of the value.
#[Object(name = "PlanContribution")]
impl PlanContributionObject {
    /// The record (a Project, Match, Need, Booking or Activity); null when
    /// the reader may not see it — a CONFIDENTIAL need of another party is
    /// counted, not shown.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let id = match self.0.record {
            RecordRef::Project(id) => encode(Kind::Project, id),
            RecordRef::Need(id) => encode(Kind::Need, id),
            RecordRef::Booking(id) => encode(Kind::Booking, id),
            RecordRef::Activity(id) => encode(Kind::Activity, id),
            RecordRef::Match {
                need_id,
                capability_id,
            } => encode_match(need_id, capability_id),
        };
        visible_node(ctx, &ID(id)).await
    }

    /// The record's part of the value, in the metric's unit.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// The day the record counts on (China Standard Time).
    async fn on(&self) -> Date {
        Date(self.0.on)
    }
}

/// Sets a target of an agreement's plan.
#[derive(InputObject)]
pub struct SetPlanTargetInput {
    /// The agreement (DRAFT or ACTIVE).
    pub agreement_id: ID,
    /// A year of the agreement's term.
    pub year: i32,
    /// An area the agreement covers.
    pub area: ProjectArea,
    /// A metric counted in that area (see `PlanMetric`).
    pub metric: PlanMetric,
    /// The target, in the metric's unit, 0 to 2,000,000,000.
    pub target: i32,
    /// What the target means, up to 2,000 characters.
    pub note: Option<String>,
    /// The version read of the target being changed; one changed
    /// meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// The target set.
#[derive(SimpleObject)]
pub struct SetPlanTargetPayload {
    /// The target, created or changed.
    pub target: PlanTargetObject,
}

/// Removes a target.
#[derive(InputObject)]
pub struct RemovePlanTargetInput {
    /// The target.
    pub id: ID,
}

/// What `removePlanTarget` removed.
#[derive(SimpleObject)]
pub struct RemovePlanTargetPayload {
    /// The id of the removed target.
    pub removed_id: ID,
    /// Its agreement.
    pub agreement: AgreementObject,
}

/// A new work item of an agreement's plan.
#[derive(InputObject)]
pub struct AddPlanWorkItemInput {
    /// The agreement (DRAFT or ACTIVE).
    pub agreement_id: ID,
    /// A year of the agreement's term.
    pub year: i32,
    /// An area the agreement covers.
    pub area: ProjectArea,
    /// What is to be done, 1 to 200 characters.
    pub title: String,
    /// Details, up to 2,000 characters.
    pub details: Option<String>,
    /// When it is due.
    pub due_date: Option<Date>,
    /// The party responsible (one of the agreement's parties).
    pub responsible_organization_id: Option<ID>,
}

/// Changes to a work item; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdatePlanWorkItemInput {
    /// The work item.
    pub id: ID,
    /// The version read; one changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// New title, 1 to 200 characters.
    pub title: Option<String>,
    /// `null` clears it.
    pub details: MaybeUndefined<String>,
    /// `null` clears it.
    pub due_date: MaybeUndefined<Date>,
    /// `null` clears it.
    pub responsible_organization_id: MaybeUndefined<ID>,
    /// PLANNED → DONE or DROPPED, and back.
    pub status: Option<WorkItemStatus>,
}

/// Deletes a work item.
#[derive(InputObject)]
pub struct DeletePlanWorkItemInput {
    /// The work item.
    pub id: ID,
}

/// The work item added or changed.
#[derive(SimpleObject)]
pub struct PlanWorkItemPayload {
    /// The work item.
    pub work_item: PlanWorkItemObject,
}

/// What `deletePlanWorkItem` deleted.
#[derive(SimpleObject)]
pub struct DeletePlanWorkItemPayload {
    /// The id of the deleted work item.
    pub deleted_id: ID,
    /// Its agreement.
    pub agreement: AgreementObject,
}

#[derive(Default)]
pub struct PlansMutation;

#[Object]
impl PlansMutation {
    /// Sets a target of an agreement's annual plan: creates it, or changes
    /// the target the agreement already has for that year, area and
    /// metric. By members of a party (coordinators in scope) and admins,
    /// while the agreement is a DRAFT or ACTIVE.
    async fn set_plan_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target.")] input: SetPlanTargetInput,
    ) -> Result<SetPlanTargetPayload> {
        let caller = ctx.caller()?;
        let agreement_id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let target = plans::set_target(
            ctx.app(),
            caller,
            TargetInput {
                agreement_id,
                year: input.year,
                area: input.area.into(),
                metric: input.metric.into(),
                target: i64::from(input.target),
                note: input.note,
            },
            input.version,
        )
        .await?;
        Ok(SetPlanTargetPayload {
            target: PlanTargetObject(target),
        })
    }

    /// Removes a target from an agreement's plan.
    async fn remove_plan_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target.")] input: RemovePlanTargetInput,
    ) -> Result<RemovePlanTargetPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::PlanTarget, &input.id)?;
        let removed = plans::remove_target(ctx.app(), caller, id).await?;
        Ok(RemovePlanTargetPayload {
            removed_id: input.id,
            agreement: agreement_of(ctx, removed.agreement_id).await?,
        })
    }

    /// Adds a work item to an agreement's annual plan.
    async fn add_plan_work_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The work item.")] input: AddPlanWorkItemInput,
    ) -> Result<PlanWorkItemPayload> {
        let caller = ctx.caller()?;
        let agreement_id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let item = plans::add_work_item(
            ctx.app(),
            caller,
            NewWorkItem {
                agreement_id,
                year: input.year,
                area: input.area.into(),
                title: input.title,
                details: input.details,
                due_date: input.due_date.map(Into::into),
                responsible_organization_id: id_of(
                    "responsibleOrganizationId",
                    Kind::Organization,
                    input.responsible_organization_id,
                )?,
            },
        )
        .await?;
        Ok(PlanWorkItemPayload {
            work_item: PlanWorkItemObject(item),
        })
    }

    /// Changes a work item: its text, due date, party responsible, or
    /// status.
    async fn update_plan_work_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The work item and the changes.")] input: UpdatePlanWorkItemInput,
    ) -> Result<PlanWorkItemPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::PlanWorkItem, &input.id)?;
        let patch = WorkItemPatch {
            title: input.title,
            details: maybe(input.details),
            due_date: maybe(input.due_date),
            responsible_organization_id: maybe_id(
                "responsibleOrganizationId",
                Kind::Organization,
                input.responsible_organization_id,
            )?,
            status: input.status.map(Into::into),
        };
        let item = plans::update_work_item(ctx.app(), caller, id, patch, input.version).await?;
        Ok(PlanWorkItemPayload {
            work_item: PlanWorkItemObject(item),
        })
    }

    /// Deletes a work item from an agreement's plan.
    async fn delete_plan_work_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The work item.")] input: DeletePlanWorkItemInput,
    ) -> Result<DeletePlanWorkItemPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::PlanWorkItem, &input.id)?;
        let deleted = plans::delete_work_item(ctx.app(), caller, id).await?;
        Ok(DeletePlanWorkItemPayload {
            deleted_id: input.id,
            agreement: agreement_of(ctx, deleted.agreement_id).await?,
        })
    }
}
