//! The coordinators' opportunity queue: each published need's best
//! candidates as last ranked (`opportunities`, kept by the application
//! after every ranking), the queue of those pairs nobody has acted on,
//! seen by who looks after either side, the needs without a good candidate
//! (gap needs), the needs nobody has acted on for a while (stale needs),
//! and the hand-over of a pair to a broker.
//!
//! A pair is acted on once a decision on it is stored (a `matches` row),
//! interest was expressed in it (an `interests` row naming both), or it
//! was assigned (an `opportunity_assignments` row).

use chrono::{DateTime, Utc};
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::records::opportunities::{
    Assignment, NewAssignment, Opportunity, OpportunityFilter,
};
use iurhub_domain::{CapabilityStatus, NeedStatus, Visibility};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Set,
};

use crate::entities::{
    interests, matches, opportunities, opportunity_assignments, opportunity_rankings,
    research_capabilities, tech_needs,
};
use crate::links::{CAPABILITY_DISCIPLINES, NEED_DISCIPLINES};
use crate::needs::Need;
use crate::page::{Key, Order, Page, PageArgs, SortValue, paginate_records};
use crate::rows::Records;
use crate::{Scope, Store, StoreError, StoreResult};

/// Up to this many kept pairs in reach, the queue names and sorts the
/// scope's own; above, it walks the pairs best first
/// ([`Store::opportunities`]).
pub const MANY_PAIRS: u64 = 2_000;

/// How many of the best pairs in reach the first try of a page checks
/// ([`Store::opportunities`]); each further try checks four times as many.
const FIRST_WINDOW: usize = 64;

/// `(score_ppm, id)` past the page's cursors: before `after` and after
/// `before` in the queue's order (best first).
fn within_cursors(args: &PageArgs) -> Condition {
    use opportunities::Column as C;
    let position = |key: &Option<Key>| match key {
        Some(Key {
            value: SortValue::Int(score),
            id,
        }) => Some((*score, *id)),
        _ => None,
    };
    let beyond = |(score, id): (i64, i64), worse: bool| {
        let (by_score, by_id) = if worse {
            (C::ScorePpm.lt(score), C::Id.lt(id))
        } else {
            (C::ScorePpm.gt(score), C::Id.gt(id))
        };
        Condition::any()
            .add(by_score)
            .add(Condition::all().add(C::ScorePpm.eq(score)).add(by_id))
    };
    Condition::all()
        .add_option(position(&args.after).map(|a| beyond(a, true)))
        .add_option(position(&args.before).map(|b| beyond(b, false)))
}

/// The pair's need or capability is classified under discipline `area` (or
/// a narrower one), checked for the pair alone.
fn classified_under(area: &str) -> Condition {
    Condition::any()
        .add(
            NEED_DISCIPLINES
                .linked_with_prefix((opportunities::Entity, opportunities::Column::NeedId), area),
        )
        .add(CAPABILITY_DISCIPLINES.linked_with_prefix(
            (opportunities::Entity, opportunities::Column::CapabilityId),
            area,
        ))
}

/// A need every signed-in user may see once published (PUBLIC or
/// PLATFORM).
fn shared_need() -> sea_orm::sea_query::SimpleExpr {
    tech_needs::Column::Visibility
        .is_in([Visibility::Public.as_str(), Visibility::Platform.as_str()])
}

/// A score (0–1) as stored: in millionths, so that pages are keyed exactly.
pub fn score_ppm(score: f64) -> i64 {
    (score.clamp(0.0, 1.0) * 1_000_000.0).round() as i64
}

/// A stored score as a score (0–1).
pub fn score_of(ppm: i64) -> f64 {
    ppm as f64 / 1_000_000.0
}

impl TryFrom<opportunities::Model> for Opportunity {
    type Error = StoreError;
    fn try_from(m: opportunities::Model) -> StoreResult<Self> {
        Ok(Opportunity {
            need_id: m.need_id,
            capability_id: m.capability_id,
            score: score_of(m.score_ppm),
            found_at: m.found_at,
            assignment: None,
        })
    }
}

impl From<opportunity_assignments::Model> for Assignment {
    fn from(m: opportunity_assignments::Model) -> Self {
        Assignment {
            id: m.id,
            need_id: m.need_id,
            capability_id: m.capability_id,
            broker_id: m.broker_id,
            assigned_by: m.assigned_by,
            due_on: m.due_on,
            note: m.note,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// The pairs of `opportunities` (by its columns) that `table` names.
fn pair_matches(table: &str) -> Condition {
    Condition::all()
        .add(
            Expr::col((
                sea_orm::sea_query::Alias::new(table),
                matches::Column::NeedId,
            ))
            .equals((opportunities::Entity, opportunities::Column::NeedId)),
        )
        .add(
            Expr::col((
                sea_orm::sea_query::Alias::new(table),
                matches::Column::CapabilityId,
            ))
            .equals((opportunities::Entity, opportunities::Column::CapabilityId)),
        )
}

/// A stored decision on the pair.
fn decided() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(matches::Entity)
        .cond_where(pair_matches("matches"))
        .to_owned()
}

/// Interest expressed in the pair.
fn interested() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(interests::Entity)
        .cond_where(pair_matches("interests"))
        .to_owned()
}

/// The pair's assignment, if it was assigned `since` or earlier (and to
/// `broker_id`, when given).
fn assigned(since: Option<DateTime<Utc>>, broker_id: Option<i64>) -> SelectStatement {
    use opportunity_assignments::Column as A;
    let mut cond = pair_matches("opportunity_assignments");
    if let Some(since) = since {
        cond = cond.add(Expr::col((opportunity_assignments::Entity, A::CreatedAt)).lte(since));
    }
    if let Some(broker) = broker_id {
        cond = cond.add(Expr::col((opportunity_assignments::Entity, A::BrokerId)).eq(broker));
    }
    Query::select()
        .expr(Expr::val(1))
        .from(opportunity_assignments::Entity)
        .cond_where(cond)
        .to_owned()
}

/// The SQL form of [`iurhub_domain::policy::may_broker_pair`] for a
/// published need: who manages the need's organisation or coordinates its
/// agreement, and who manages the capability's organisation when the need
/// is shared.
fn looks_after(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Reader {
            organization_ids, ..
        } => own_needs(scope).add_option(
            listed(
                research_capabilities::Column::OrganizationId,
                organization_ids,
            )
            .map(|theirs| Condition::all().add(theirs).add(shared_need())),
        ),
    }
}

/// `column IN (ids)`, or nothing for no ids: SQLite reads a whole table
/// for an `OR` with the always-false term an empty list becomes.
fn listed<C: ColumnTrait>(column: C, ids: &[i64]) -> Option<sea_orm::sea_query::SimpleExpr> {
    (!ids.is_empty()).then(|| column.is_in(ids.iter().copied()))
}

/// The needs `scope` looks after: of the organisations it manages and the
/// agreements it coordinates (every need, for admins).
fn own_needs(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Reader {
            organization_ids,
            coordinated_agreement_ids,
            ..
        } => Condition::any()
            .add_option(listed(tech_needs::Column::OrganizationId, organization_ids))
            .add_option(listed(
                tech_needs::Column::AgreementId,
                coordinated_agreement_ids,
            )),
    }
}

impl Store {
    /// Replaces the kept candidates of need `need_id` by `ranked`
    /// (capability id, score), keeping when each pair was first found, and
    /// records that the need was ranked `now`.
    pub async fn put_need_opportunities(
        &self,
        need_id: i64,
        ranked: &[(i64, f64)],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        use opportunities::Column as C;
        let txn = self.write().await?;
        opportunities::Entity::delete_many()
            .filter(C::NeedId.eq(need_id))
            .filter(C::CapabilityId.is_not_in(ranked.iter().map(|(id, _)| *id)))
            .exec(&txn)
            .await?;
        upsert_pairs(&txn, ranked.iter().map(|(c, s)| (need_id, *c, *s)), now).await?;
        opportunity_rankings::Entity::insert(opportunity_rankings::ActiveModel {
            need_id: Set(need_id),
            ranked_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(opportunity_rankings::Column::NeedId)
                .update_column(opportunity_rankings::Column::RankedAt)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds (or rescores) the pairs of capability `capability_id` with the
    /// needs it fits, `fits` being (need id, score), and marks for a new
    /// ranking every need the capability was kept for: its text changed.
    pub async fn put_capability_opportunities(
        &self,
        capability_id: i64,
        fits: &[(i64, f64)],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let txn = self.write().await?;
        opportunity_rankings::Entity::delete_many()
            .filter(
                opportunity_rankings::Column::NeedId.in_subquery(
                    Query::select()
                        .column(opportunities::Column::NeedId)
                        .from(opportunities::Entity)
                        .and_where(opportunities::Column::CapabilityId.eq(capability_id))
                        .to_owned(),
                ),
            )
            .exec(&txn)
            .await?;
        upsert_pairs(&txn, fits.iter().map(|(n, s)| (*n, capability_id, *s)), now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Published needs never ranked for the queue or changed since their
    /// last ranking, oldest first, at most `limit`.
    pub async fn needs_to_rank(&self, limit: u64) -> StoreResult<Vec<Need>> {
        use tech_needs::Column as N;
        tech_needs::Entity::find()
            .join(
                JoinType::LeftJoin,
                tech_needs::Entity::belongs_to(opportunity_rankings::Entity)
                    .from(N::Id)
                    .to(opportunity_rankings::Column::NeedId)
                    .into(),
            )
            .filter(N::Status.eq(NeedStatus::Published.as_str()))
            .filter(
                Condition::any()
                    .add(
                        Expr::col((
                            opportunity_rankings::Entity,
                            opportunity_rankings::Column::NeedId,
                        ))
                        .is_null(),
                    )
                    .add(
                        Expr::col((
                            opportunity_rankings::Entity,
                            opportunity_rankings::Column::RankedAt,
                        ))
                        .lt(Expr::col((tech_needs::Entity, N::UpdatedAt))),
                    ),
            )
            .order_by_asc(N::Id)
            .limit(limit)
            .records(&self.db)
            .await
    }

    /// One page of the queue: the pairs `scope` looks after that pass
    /// `filter`, best first (`filter.organization_ids` already resolved to
    /// the organisation and those below it).
    ///
    /// The statement reads `opportunities` alone and checks each pair's two
    /// rows by key, so the plan does not hang on the database's guesses. A
    /// scope reaching few kept pairs ([`Store::pairs_within_reach`]) checks
    /// its best ones a window at a time, each window read from the indexes
    /// that hold the pairs' scores (the best 64 past the cursor, then four
    /// times as many, …), so only the window's ids leave the database; a
    /// scope reaching many — every admin — walks the pairs best first
    /// through the `(score_ppm, id)` index, so the first page stops after
    /// about its own rows instead of sorting every pair.
    pub async fn opportunities(
        &self,
        scope: &Scope,
        filter: &OpportunityFilter,
        now: DateTime<Utc>,
        args: PageArgs,
    ) -> StoreResult<Page<Opportunity>> {
        use opportunities::Column as C;
        let since = filter
            .unactioned_days
            .map(|days| now - chrono::TimeDelta::days(i64::from(days)));
        // What the pair's two rows must hold.
        let mut sides = Condition::all()
            .add(tech_needs::Column::Status.eq(NeedStatus::Published.as_str()))
            .add(research_capabilities::Column::Status.eq(CapabilityStatus::Published.as_str()))
            .add(looks_after(scope))
            .add_option(
                filter
                    .agreement_id
                    .map(|a| tech_needs::Column::AgreementId.eq(a)),
            );
        if let Some(ids) = &filter.organization_ids {
            sides = sides.add(
                Condition::any()
                    .add(tech_needs::Column::OrganizationId.is_in(ids.iter().copied()))
                    .add(research_capabilities::Column::OrganizationId.is_in(ids.iter().copied())),
            );
        }
        // What the pair itself must hold.
        let mut cond = Condition::all()
            .add(Expr::exists(decided()).not())
            .add(Expr::exists(interested()).not())
            .add_option(filter.min_score.map(|s| C::ScorePpm.gte(score_ppm(s))));
        if let Some(area) = &filter.area {
            cond = cond.add(classified_under(area));
        }
        if filter.wants_assigned() {
            cond = cond.add(Expr::exists(assigned(since, filter.broker_id)));
        } else {
            cond = cond.add(Expr::exists(assigned(None, None)).not());
            if let Some(since) = since {
                cond = cond.add(C::FoundAt.lte(since));
            }
        }
        let both = Query::select()
            .expr(Expr::val(1))
            .from(tech_needs::Entity)
            .inner_join(
                research_capabilities::Entity,
                Expr::col((
                    research_capabilities::Entity,
                    research_capabilities::Column::Id,
                ))
                .equals((opportunities::Entity, C::CapabilityId)),
            )
            .and_where(
                Expr::col((tech_needs::Entity, tech_needs::Column::Id))
                    .equals((opportunities::Entity, C::NeedId)),
            )
            .cond_where(sides)
            .to_owned();
        cond = cond.add(Expr::exists(both));
        let select = opportunities::Entity::find().filter(cond);
        let order: Order<opportunities::Entity> = (C::ScorePpm, |m| Key::new(m.score_ppm, m.id));
        let mut page: Page<Opportunity> = match self.pairs_within_reach(scope).await? {
            None => paginate_records(&self.db, select, order, C::Id, true, args).await?,
            Some(_) => {
                // The best pairs in reach first, a few at a time: the page
                // is usually filled by the first few, so the pairs below
                // them are never checked. The window grows until the page
                // is full and one more pair told whether another page
                // follows, or it covers every pair in reach. A total
                // counts every pair in reach: one window of all.
                let mut size = (!args.with_total).then_some(FIRST_WINDOW);
                loop {
                    let (window, whole) = self.best_in_reach(scope, &args, size).await?;
                    let page = paginate_records(
                        &self.db,
                        select.clone().filter(C::Id.is_in(window)),
                        order,
                        C::Id,
                        true,
                        args.clone(),
                    )
                    .await?;
                    let more = if args.is_backward() {
                        page.has_previous_page
                    } else {
                        page.has_next_page
                    };
                    if more || whole {
                        break page;
                    }
                    size = size.map(|s| s * 4);
                }
            }
        };
        let pairs: Vec<(i64, i64)> = page
            .items
            .iter()
            .map(|(_, o)| (o.need_id, o.capability_id))
            .collect();
        let mut assignments = self.assignments_of(&pairs).await?;
        for (_, o) in &mut page.items {
            o.assignment = assignments
                .iter()
                .position(|a| a.need_id == o.need_id && a.capability_id == o.capability_id)
                .map(|i| assignments.swap_remove(i));
        }
        Ok(page)
    }

    /// The subqueries naming the pairs `scope` may reach: through the needs
    /// of the organisations and agreements it looks after, and through the
    /// capabilities of the organisations it manages (whatever their need's
    /// visibility, which [`Store::opportunities`] checks for the few pairs of
    /// a page). Each is read from an index holding the score
    /// (`(need_id, score_ppm)`, `(capability_id, score_ppm)`), never from
    /// the pairs' rows. None for admins, whose reach is every pair.
    fn reach_sides(scope: &Scope) -> Option<Vec<Select<opportunities::Entity>>> {
        use opportunities::Column as C;
        let Scope::Reader {
            organization_ids,
            coordinated_agreement_ids,
            ..
        } = scope
        else {
            return None;
        };
        let mut sides = Vec::new();
        if !organization_ids.is_empty() || !coordinated_agreement_ids.is_empty() {
            sides.push(
                opportunities::Entity::find().filter(
                    C::NeedId.in_subquery(
                        Query::select()
                            .column(tech_needs::Column::Id)
                            .from(tech_needs::Entity)
                            .cond_where(own_needs(scope))
                            .to_owned(),
                    ),
                ),
            );
        }
        if !organization_ids.is_empty() {
            sides.push(
                opportunities::Entity::find().filter(
                    C::CapabilityId.in_subquery(
                        Query::select()
                            .column(research_capabilities::Column::Id)
                            .from(research_capabilities::Entity)
                            .and_where(
                                research_capabilities::Column::OrganizationId
                                    .is_in(organization_ids.iter().copied()),
                            )
                            .to_owned(),
                    ),
                ),
            );
        }
        Some(sides)
    }

    /// How many kept pairs `scope` may reach ([`Store::reach_sides`]; a pair
    /// reached both ways counts twice) when that is at most [`MANY_PAIRS`],
    /// counted no further; `None` when there are more (always, for admins).
    pub async fn pairs_within_reach(&self, scope: &Scope) -> StoreResult<Option<u64>> {
        let Some(sides) = Self::reach_sides(scope) else {
            return Ok(None);
        };
        let mut reached = 0;
        for side in sides {
            // Counted in the database (one row back, not one per pair), no
            // further than the threshold.
            let limited = side
                .select_only()
                .column(opportunities::Column::Id)
                .limit(MANY_PAIRS + 1 - reached)
                .into_query();
            let count = Query::select()
                .expr(Expr::col(sea_orm::sea_query::Asterisk).count())
                .from_subquery(limited, sea_orm::sea_query::Alias::new("reached"))
                .to_owned();
            let found: i64 = match self.db.query_one(&count).await? {
                Some(row) => row.try_get_by_index(0)?,
                None => 0,
            };
            reached += u64::try_from(found).unwrap_or(0);
            if reached > MANY_PAIRS {
                return Ok(None);
            }
        }
        Ok(Some(reached))
    }

    /// The ids of the best `limit` pairs in reach of `scope` past the page's
    /// cursors (every pair in reach, cursors or not, for `None`): the ones
    /// nearest the cursor in the page's direction. Also whether they are all
    /// there are.
    async fn best_in_reach(
        &self,
        scope: &Scope,
        args: &PageArgs,
        limit: Option<usize>,
    ) -> StoreResult<(Vec<i64>, bool)> {
        use opportunities::Column as C;
        let mut pairs: Vec<(i64, i64)> = Vec::new();
        let mut whole = true;
        for side in Self::reach_sides(scope).unwrap_or_default() {
            let mut side = side.select_only().columns([C::ScorePpm, C::Id]);
            if let Some(limit) = limit {
                side = if args.is_backward() {
                    side.order_by_asc(C::ScorePpm).order_by_asc(C::Id)
                } else {
                    side.order_by_desc(C::ScorePpm).order_by_desc(C::Id)
                };
                side = side.filter(within_cursors(args)).limit(limit as u64);
            }
            let found: Vec<(i64, i64)> = side.into_tuple().all(&self.db).await?;
            whole &= limit.is_none_or(|l| found.len() < l);
            pairs.extend(found);
        }
        // Ascending (score, id): worst first, so nearest the `before`
        // cursor first backwards; reversed forwards (best first).
        pairs.sort_unstable();
        pairs.dedup();
        if !args.is_backward() {
            pairs.reverse();
        }
        if let Some(limit) = limit {
            // The two sides together may hold more than the window.
            whole &= pairs.len() <= limit;
            pairs.truncate(limit);
        }
        Ok((pairs.into_iter().map(|(_, id)| id).collect(), whole))
    }

    /// The kept pair of `need_id` and `capability_id`, with its assignment.
    pub async fn opportunity(
        &self,
        need_id: i64,
        capability_id: i64,
    ) -> StoreResult<Option<Opportunity>> {
        use opportunities::Column as C;
        let Some(row) = opportunities::Entity::find()
            .filter(C::NeedId.eq(need_id))
            .filter(C::CapabilityId.eq(capability_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let mut opportunity = Opportunity::try_from(row)?;
        opportunity.assignment = self
            .assignments_of(&[(need_id, capability_id)])
            .await?
            .pop();
        Ok(Some(opportunity))
    }

    /// The assignments of `pairs` (need id, capability id).
    pub async fn assignments_of(&self, pairs: &[(i64, i64)]) -> StoreResult<Vec<Assignment>> {
        use opportunity_assignments::Column as A;
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        let needs: Vec<i64> = pairs.iter().map(|(n, _)| *n).collect();
        let rows = opportunity_assignments::Entity::find()
            .filter(A::NeedId.is_in(needs))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|a| pairs.contains(&(a.need_id, a.capability_id)))
            .map(Assignment::from)
            .collect())
    }

    /// Hands the pair to `new.broker_id` (replacing an earlier assignment of
    /// it), writing `notices` in the same transaction.
    pub async fn assign_opportunity(
        &self,
        new: &NewAssignment,
        assigned_by: i64,
        notices: &mut Notices,
    ) -> StoreResult<Assignment> {
        use opportunity_assignments::Column as A;
        let now = Utc::now();
        let txn = self.write().await?;
        opportunity_assignments::Entity::insert(opportunity_assignments::ActiveModel {
            need_id: Set(new.need_id),
            capability_id: Set(new.capability_id),
            broker_id: Set(new.broker_id),
            assigned_by: Set(assigned_by),
            due_on: Set(new.due_on),
            note: Set(new.note.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([A::NeedId, A::CapabilityId])
                .update_columns([
                    A::BrokerId,
                    A::AssignedBy,
                    A::DueOn,
                    A::Note,
                    A::CreatedAt,
                    A::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        let row = opportunity_assignments::Entity::find()
            .filter(A::NeedId.eq(new.need_id))
            .filter(A::CapabilityId.eq(new.capability_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("opportunity assignment"))?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        Ok(row.into())
    }

    /// Takes the pair back from its broker; whether it was assigned.
    pub async fn unassign_opportunity(
        &self,
        need_id: i64,
        capability_id: i64,
    ) -> StoreResult<bool> {
        use opportunity_assignments::Column as A;
        let deleted = opportunity_assignments::Entity::delete_many()
            .filter(A::NeedId.eq(need_id))
            .filter(A::CapabilityId.eq(capability_id))
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected > 0)
    }

    /// Gap needs: PUBLISHED needs `scope` may see, already ranked, without
    /// a kept candidate (still published) scoring `threshold` or more; the
    /// newest first.
    pub async fn gap_needs(
        &self,
        scope: &Scope,
        threshold: f64,
        args: PageArgs,
    ) -> StoreResult<Page<Need>> {
        use tech_needs::Column as N;
        let good = Query::select()
            .column((opportunities::Entity, opportunities::Column::NeedId))
            .from(opportunities::Entity)
            .inner_join(
                research_capabilities::Entity,
                Expr::col((
                    research_capabilities::Entity,
                    research_capabilities::Column::Id,
                ))
                .equals((opportunities::Entity, opportunities::Column::CapabilityId)),
            )
            .and_where(opportunities::Column::ScorePpm.gte(score_ppm(threshold)))
            .and_where(
                Expr::col((
                    research_capabilities::Entity,
                    research_capabilities::Column::Status,
                ))
                .eq(CapabilityStatus::Published.as_str()),
            )
            .to_owned();
        let ranked = Query::select()
            .column(opportunity_rankings::Column::NeedId)
            .from(opportunity_rankings::Entity)
            .to_owned();
        let select = tech_needs::Entity::find().filter(
            Condition::all()
                .add(N::Status.eq(NeedStatus::Published.as_str()))
                .add(crate::needs::scope_condition(scope))
                .add(N::Id.in_subquery(ranked))
                .add(N::Id.not_in_subquery(good)),
        );
        paginate_records(
            &self.db,
            select,
            (N::Id, |m| Key::new(m.id, m.id)),
            N::Id,
            true,
            args,
        )
        .await
    }

    /// Stale needs: PUBLISHED needs `scope` looks after, unchanged since
    /// `since`, on which no side decided, nobody expressed interest and no
    /// pair was assigned since then; the longest waiting first.
    pub async fn stale_needs(
        &self,
        scope: &Scope,
        since: DateTime<Utc>,
        args: PageArgs,
    ) -> StoreResult<Page<Need>> {
        use tech_needs::Column as N;
        let decided = Query::select()
            .column(matches::Column::NeedId)
            .from(matches::Entity)
            .and_where(matches::Column::UpdatedAt.gt(since))
            .to_owned();
        let interested = Query::select()
            .column(interests::Column::NeedId)
            .from(interests::Entity)
            .cond_where(
                Condition::any()
                    .add(interests::Column::CreatedAt.gt(since))
                    .add(interests::Column::ReviewedAt.gt(since)),
            )
            .to_owned();
        let assigned = Query::select()
            .column(opportunity_assignments::Column::NeedId)
            .from(opportunity_assignments::Entity)
            .and_where(opportunity_assignments::Column::UpdatedAt.gt(since))
            .to_owned();
        let select = tech_needs::Entity::find().filter(
            Condition::all()
                .add(N::Status.eq(NeedStatus::Published.as_str()))
                .add(own_needs(scope))
                .add(N::UpdatedAt.lte(since))
                .add(N::Id.not_in_subquery(decided))
                .add(N::Id.not_in_subquery(interested))
                .add(N::Id.not_in_subquery(assigned)),
        );
        paginate_records(
            &self.db,
            select,
            (N::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
            N::Id,
            false,
            args,
        )
        .await
    }
}

/// Inserts the pairs (need, capability, score), or rescores those kept.
async fn upsert_pairs<C: sea_orm::ConnectionTrait>(
    db: &C,
    pairs: impl Iterator<Item = (i64, i64, f64)>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use opportunities::Column as C;
    let rows: Vec<_> = pairs
        .map(
            |(need_id, capability_id, score)| opportunities::ActiveModel {
                need_id: Set(need_id),
                capability_id: Set(capability_id),
                score_ppm: Set(score_ppm(score)),
                found_at: Set(now),
                ranked_at: Set(now),
                ..Default::default()
            },
        )
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    opportunities::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([C::NeedId, C::CapabilityId])
                .update_columns([C::ScorePpm, C::RankedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
