//! The coordinators' opportunity queue (机会队列): every published need's
//! best candidates are kept as the matching engine ranked them
//! ([`rank_need`]: when the need is published or edited, by the
//! `opportunity_ranking` job for needs never ranked or changed since, and
//! pair by pair when a capability is published); the queue lists those
//! pairs nobody has acted on to who looks after either side
//! ([`policy::may_broker_pair`]), best first, and a coordinator hands a
//! pair to a broker with a due date and a note (`OPPORTUNITY_ASSIGNED` in
//! the broker's inbox). Gap needs are the published needs without a good
//! candidate; stale needs are those nobody has acted on for a while.
//!
//! The queue reads the kept rankings only (one statement per page), so its
//! first page costs about what a page of `Need.matches` costs from the
//! kept rankings (docs/PERFORMANCE.md).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use iurhub_domain::docking::conflict_of_interest;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::records::opportunities::{
    Assignment, CANDIDATES_PER_NEED, MIN_KEPT_SCORE, NewAssignment, Opportunity, OpportunityFilter,
    check_days, check_score,
};
use iurhub_domain::validate::Validator;
use iurhub_domain::{Message, NeedStatus, NotificationKind, policy, validate};
use iurhub_store::capabilities::Capability;
use iurhub_store::needs::Need;
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};
use crate::matching::{self, MatchFilter};

/// How many needs one run of the `opportunity_ranking` job ranks.
pub const RANKING_BATCH: u64 = 500;

/// Ranks `need`'s candidates afresh and keeps its best
/// ([`CANDIDATES_PER_NEED`], scoring at least [`MIN_KEPT_SCORE`]) for the
/// queue; how many were kept. A need no longer published keeps none.
pub async fn rank_need(app: &App, need: &Need) -> AppResult<usize> {
    let ranked: Vec<(i64, f64)> = if need.status == NeedStatus::Published {
        matching::capabilities_for_need(app, need, &MatchFilter::default())
            .await?
            .into_iter()
            .filter(|m| m.explanation.score >= MIN_KEPT_SCORE)
            .take(CANDIDATES_PER_NEED)
            .map(|m| (m.capability_id, m.explanation.score))
            .collect()
    } else {
        Vec::new()
    };
    app.store
        .put_need_opportunities(need.id, &ranked, Utc::now())
        .await?;
    Ok(ranked.len())
}

/// Ranks the published needs never ranked or changed since their last
/// ranking, at most `limit`; how many were ranked.
pub async fn rank_waiting(app: &App, limit: u64) -> AppResult<usize> {
    let needs = app.store.needs_to_rank(limit).await?;
    for need in &needs {
        rank_need(app, need).await?;
    }
    Ok(needs.len())
}

/// Keeps the pairs of a capability just published (or edited) with the
/// needs it fits, `fits` being (need id, the need's organisation, score):
/// the queue shows them at once, and the needs it was kept for are ranked
/// again by the job. Pairs within one organisation or group are not kept
/// (a conflict of interest, as in `Need.matches`).
pub(crate) async fn capability_ranked(
    app: &App,
    capability: &Capability,
    fits: &[(i64, i64, f64)],
) -> AppResult<()> {
    let sides = fits.iter().map(|(_, organization_id, _)| *organization_id);
    let parents = app
        .store
        .organization_parents_of(sides.chain([capability.organization_id]))
        .await?;
    let parent_of = |id: i64| parents.get(&id).copied();
    let kept: Vec<(i64, f64)> = fits
        .iter()
        .filter(|(_, organization_id, score)| {
            *score >= MIN_KEPT_SCORE
                && conflict_of_interest(*organization_id, capability.organization_id, parent_of)
                    .is_none()
        })
        .map(|(need_id, _, score)| (*need_id, *score))
        .collect();
    app.store
        .put_capability_opportunities(capability.id, &kept, Utc::now())
        .await?;
    Ok(())
}

/// A pair of the queue with its two sides, as the caller is shown it.
#[derive(Debug, Clone)]
pub struct OpportunityView {
    pub opportunity: Opportunity,
    pub need: Arc<Need>,
    pub capability: Arc<Capability>,
}

/// One page of the caller's queue: the pairs they look after that pass
/// `filter`, best first, each with its need and capability (read in two
/// statements for the page). BAD_USER_INPUT for a filter out of bounds.
pub async fn list(
    app: &App,
    caller: &Caller,
    mut filter: OpportunityFilter,
    organization_id: Option<i64>,
    args: PageArgs,
) -> AppResult<Page<OpportunityView>> {
    filter.area = validate::code_filter("filter.area", filter.area)?;
    let mut filter = filter.validate()?;
    if let Some(org) = organization_id {
        filter.organization_ids = Some(app.store.organization_subtree_ids(org).await?);
    }
    let page = app
        .store
        .opportunities(caller.scope(), &filter, Utc::now(), args)
        .await?;
    let need_ids: Vec<i64> = page.items.iter().map(|(_, o)| o.need_id).collect();
    let capability_ids: Vec<i64> = page.items.iter().map(|(_, o)| o.capability_id).collect();
    let needs: HashMap<i64, Arc<Need>> = app
        .store
        .needs_by_ids(&need_ids)
        .await?
        .into_iter()
        .map(|n| (n.id, Arc::new(n)))
        .collect();
    let capabilities: HashMap<i64, Arc<Capability>> = app
        .store
        .capabilities_by_ids(&capability_ids)
        .await?
        .into_iter()
        .map(|c| (c.id, Arc::new(c)))
        .collect();
    let Page {
        items,
        has_next_page,
        has_previous_page,
        total_count,
    } = page;
    // The statement chose the pairs by the rule's SQL form; the rule
    // itself has the last word on each.
    let items = items
        .into_iter()
        .filter_map(|(key, opportunity)| {
            let need = needs.get(&opportunity.need_id)?.clone();
            let capability = capabilities.get(&opportunity.capability_id)?.clone();
            policy::may_broker_pair(caller.scope(), &need, &capability).then_some((
                key,
                OpportunityView {
                    opportunity,
                    need,
                    capability,
                },
            ))
        })
        .collect();
    Ok(Page {
        items,
        has_next_page,
        has_previous_page,
        total_count,
    })
}

/// Gap needs: the published needs the caller may see, already ranked,
/// with no published candidate scoring `threshold` or more (the
/// `suggest_min_score` of the configuration by default) — what the
/// research side is told it is missing.
pub async fn gap_needs(
    app: &App,
    caller: &Caller,
    threshold: Option<f64>,
    args: PageArgs,
) -> AppResult<Page<Need>> {
    let threshold = threshold.unwrap_or(app.suggest_min_score);
    let mut v = Validator::new();
    check_score(&mut v, "threshold", threshold);
    v.finish()?;
    Ok(app.store.gap_needs(caller.scope(), threshold, args).await?)
}

/// Stale needs: the published needs the caller looks after on which
/// nothing happened for `days` days (no edit, decision, interest or
/// assignment), the longest waiting first.
pub async fn stale_needs(
    app: &App,
    caller: &Caller,
    days: u32,
    args: PageArgs,
) -> AppResult<Page<Need>> {
    let mut v = Validator::new();
    check_days(&mut v, "days", days);
    v.finish()?;
    let since = Utc::now() - TimeDelta::days(i64::from(days));
    Ok(app.store.stale_needs(caller.scope(), since, args).await?)
}

/// The kept pair of `need_id` and `capability_id`, for one who looks after
/// it: NOT_FOUND otherwise (or when it is not kept, or a side is no longer
/// published).
async fn looked_after(
    app: &App,
    caller: &Caller,
    need_id: i64,
    capability_id: i64,
) -> AppResult<OpportunityView> {
    let not_found = || AppError::NotFound("opportunity");
    let need = app.store.need(need_id).await?.ok_or_else(not_found)?;
    let capability = app
        .store
        .capability(capability_id)
        .await?
        .ok_or_else(not_found)?;
    if !need.visible_to(caller.scope()) || !capability.visible_to(caller.scope()) {
        return Err(not_found());
    }
    if !policy::may_broker_pair(caller.scope(), &need, &capability) {
        return Err(AppError::denied(Message::new(
            "opportunity.assign.forbidden",
        )));
    }
    let published = need.status == NeedStatus::Published
        && capability.status == iurhub_domain::CapabilityStatus::Published;
    match app.store.opportunity(need_id, capability_id).await? {
        Some(opportunity) if published => Ok(OpportunityView {
            opportunity,
            need: Arc::new(need),
            capability: Arc::new(capability),
        }),
        _ => Err(not_found()),
    }
}

/// Hands a pair of the queue to a broker (replacing an earlier hand-over),
/// telling the broker (`OPPORTUNITY_ASSIGNED`) in the same transaction.
/// NOT_FOUND for a pair the caller cannot see or that is not kept,
/// FORBIDDEN for one they see but do not look after, BAD_USER_INPUT for a
/// broker outside the organisations they manage or who cannot see both
/// sides, a due date in the past or a note too long.
pub async fn assign(app: &App, caller: &Caller, new: NewAssignment) -> AppResult<OpportunityView> {
    if caller.read_only() {
        return Err(crate::caller::Identity::read_only_refusal());
    }
    let today = validate::today_in_china(Utc::now());
    let new = new.validate(today)?;
    let mut view = looked_after(app, caller, new.need_id, new.capability_id).await?;
    let (need, capability) = (view.need.clone(), view.capability.clone());
    let broker = match crate::accounts::caller(app, new.broker_id).await {
        Ok(broker) => Some(broker),
        Err(AppError::NotFound(_)) => None,
        Err(err) => return Err(err),
    };
    let fits = broker.as_ref().is_some_and(|b| {
        policy::may_assign_to(caller.scope(), b.managed_org_ids())
            && need.visible_to(b.scope())
            && capability.visible_to(b.scope())
            && !b.read_only()
    });
    if !fits {
        return Err(AppError::invalid(
            "input.brokerId",
            Message::new("opportunity.broker.invalid"),
        ));
    }
    let notice = NewNotice::new(
        NotificationKind::OpportunityAssigned,
        Recipients::Users(vec![new.broker_id]),
    );
    let notice = match new.due_on {
        Some(day) => notice.with("due", day),
        None => notice.with_text("due", "opportunity.due.none".to_owned()),
    };
    let mut notices = Notices::of(vec![
        notice
            .by(caller.id())
            .about(NoticeSubject::Match {
                need_id: need.id,
                capability_id: capability.id,
            })
            .with("need", &need.title)
            .with("capability", &capability.title)
            .with("assigner", &caller.user().display_name)
            .with("note", &new.note),
    ]);
    let assignment: Assignment = app
        .store
        .assign_opportunity(&new, caller.id(), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    view.opportunity.assignment = Some(assignment);
    Ok(view)
}

/// Takes a pair back from its broker. NOT_FOUND and FORBIDDEN as for
/// [`assign`]; NOT_FOUND (`opportunity.assignment.not_found`) when it was
/// not assigned.
pub async fn unassign(
    app: &App,
    caller: &Caller,
    need_id: i64,
    capability_id: i64,
) -> AppResult<OpportunityView> {
    if caller.read_only() {
        return Err(crate::caller::Identity::read_only_refusal());
    }
    let mut view = looked_after(app, caller, need_id, capability_id).await?;
    if !app
        .store
        .unassign_opportunity(need_id, capability_id)
        .await?
    {
        return Err(AppError::keyed(
            crate::error::ErrorCode::NotFound,
            Message::new("opportunity.assignment.not_found"),
        ));
    }
    view.opportunity.assignment = None;
    Ok(view)
}
