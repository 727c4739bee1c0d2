//! Annual plans of framework agreements (年度工作计划): targets on named
//! metrics and work items per year and area, and the plan's progress —
//! every actual computed from the records (`iurhub_domain::records::plans`).
//!
//! - Seeing: whoever sees the agreement (its parties' members, coordinators
//!   and supervisors in scope, admins); to anyone else a target or work
//!   item does not exist (NOT_FOUND).
//! - Changing: whoever may edit the agreement (managers of a party,
//!   coordinators in scope, admins), while it is a DRAFT or ACTIVE.

use iurhub_domain::records::plans::{
    self, NewWorkItem, PlanTarget, PlanWorkItem, Progress, TargetInput, WorkItemPatch, YEARS,
};
use iurhub_domain::validate::Validator;
use iurhub_domain::{Message, ProjectArea};
use iurhub_store::agreements::Agreement;

use crate::App;
use crate::agreements::{can_edit, today, visible};
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};

const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 2_000;
/// The largest target (in any unit): two billion.
pub const MAX_TARGET: i64 = 2_000_000_000;

/// The agreement, visible (else NOT_FOUND) and editable (else FORBIDDEN)
/// by the caller.
async fn editable(app: &App, caller: &Caller, agreement_id: i64) -> AppResult<Agreement> {
    let agreement = visible(app, &caller.identity(), agreement_id).await?;
    if !can_edit(caller, &agreement) {
        return Err(AppError::denied(Message::new("plan.write.forbidden")));
    }
    Ok(agreement)
}

fn check_year(v: &mut Validator, year: i32) {
    if !YEARS.contains(&year) {
        v.fail(
            "year",
            Message::new("value.out_of_range")
                .with("min", YEARS.start())
                .with("max", YEARS.end()),
        );
    }
}

/// The plan's progress in `year` for the areas the agreement covers (or
/// only `area`): every target against its actual, and the metrics without
/// a target whose records give a value.
pub async fn progress(
    app: &App,
    who: &Identity,
    agreement_id: i64,
    year: i32,
    area: Option<ProjectArea>,
) -> AppResult<Vec<Progress>> {
    let agreement = visible(app, who, agreement_id).await?;
    let targets = app.store.plan_targets(agreement_id, Some(year)).await?;
    let facts = app.store.plan_facts(agreement_id).await?;
    let mut rows = plans::progress(&facts, year, &agreement.areas, &targets);
    if let Some(area) = area {
        rows.retain(|r| r.area == area);
    }
    Ok(rows)
}

/// The agreement's targets (of `year`, if given).
pub async fn targets(
    app: &App,
    who: &Identity,
    agreement_id: i64,
    year: Option<i32>,
) -> AppResult<Vec<PlanTarget>> {
    visible(app, who, agreement_id).await?;
    Ok(app.store.plan_targets(agreement_id, year).await?)
}

/// The agreement's work items (of `year`, if given).
pub async fn work_items(
    app: &App,
    who: &Identity,
    agreement_id: i64,
    year: Option<i32>,
) -> AppResult<Vec<PlanWorkItem>> {
    visible(app, who, agreement_id).await?;
    Ok(app.store.plan_work_items(agreement_id, year).await?)
}

/// The years the agreement has a plan for.
pub async fn years(app: &App, who: &Identity, agreement_id: i64) -> AppResult<Vec<i32>> {
    visible(app, who, agreement_id).await?;
    Ok(app.store.plan_years(agreement_id).await?)
}

/// A target, if its agreement is visible to `who`.
pub async fn target(app: &App, who: &Identity, id: i64) -> AppResult<PlanTarget> {
    let target = app
        .store
        .plan_target(id)
        .await?
        .ok_or(AppError::NotFound("plan_target"))?;
    visible(app, who, target.agreement_id)
        .await
        .map_err(|_| AppError::NotFound("plan_target"))?;
    Ok(target)
}

/// A work item, if its agreement is visible to `who`.
pub async fn work_item(app: &App, who: &Identity, id: i64) -> AppResult<PlanWorkItem> {
    let item = app
        .store
        .plan_work_item(id)
        .await?
        .ok_or(AppError::NotFound("plan_work_item"))?;
    visible(app, who, item.agreement_id)
        .await
        .map_err(|_| AppError::NotFound("plan_work_item"))?;
    Ok(item)
}

/// Sets a target (creates it, or changes the one the agreement, year, area
/// and metric have).
pub async fn set_target(
    app: &App,
    caller: &Caller,
    mut input: TargetInput,
    version: Option<i32>,
) -> AppResult<PlanTarget> {
    let mut v = Validator::new();
    check_year(&mut v, input.year);
    if input.target < 0 {
        v.fail("target", Message::new("value.negative"));
    } else if input.target > MAX_TARGET {
        v.fail(
            "target",
            Message::new("value.out_of_range")
                .with("min", 0)
                .with("max", MAX_TARGET),
        );
    }
    input.note = v.optional_text("note", input.note.as_deref(), MAX_TEXT);
    v.finish()?;
    editable(app, caller, input.agreement_id).await?;
    let target = app
        .store
        .set_plan_target(input, version, caller.id(), today())
        .await?;
    app.written();
    Ok(target)
}

/// Removes a target.
pub async fn remove_target(app: &App, caller: &Caller, id: i64) -> AppResult<PlanTarget> {
    let current = target(app, &caller.identity(), id).await?;
    editable(app, caller, current.agreement_id).await?;
    let removed = app.store.remove_plan_target(id, today()).await?;
    app.written();
    Ok(removed)
}

/// Adds a work item.
pub async fn add_work_item(
    app: &App,
    caller: &Caller,
    mut new: NewWorkItem,
) -> AppResult<PlanWorkItem> {
    let mut v = Validator::new();
    check_year(&mut v, new.year);
    new.title = v.text("title", &new.title, 1, MAX_TITLE);
    new.details = v.optional_text("details", new.details.as_deref(), MAX_TEXT);
    v.finish()?;
    editable(app, caller, new.agreement_id).await?;
    let item = app
        .store
        .add_plan_work_item(new, caller.id(), today())
        .await?;
    app.written();
    Ok(item)
}

/// Changes a work item's fields or status.
pub async fn update_work_item(
    app: &App,
    caller: &Caller,
    id: i64,
    mut patch: WorkItemPatch,
    version: Option<i32>,
) -> AppResult<PlanWorkItem> {
    let current = work_item(app, &caller.identity(), id).await?;
    let mut v = Validator::new();
    if let Some(t) = &patch.title {
        patch.title = Some(v.text("title", t, 1, MAX_TITLE));
    }
    if let Some(Some(d)) = &patch.details {
        patch.details = Some(v.optional_text("details", Some(d), MAX_TEXT));
    }
    v.finish()?;
    editable(app, caller, current.agreement_id).await?;
    let item = app
        .store
        .update_plan_work_item(id, patch, version, today())
        .await?;
    app.written();
    Ok(item)
}

/// Deletes a work item.
pub async fn delete_work_item(app: &App, caller: &Caller, id: i64) -> AppResult<PlanWorkItem> {
    let current = work_item(app, &caller.identity(), id).await?;
    editable(app, caller, current.agreement_id).await?;
    let item = app.store.delete_plan_work_item(id, today()).await?;
    app.written();
    Ok(item)
}
