//! Annual plans of framework agreements (年度工作计划): targets and work
//! items, and the facts their progress is computed from. Every write locks
//! the agreement's row and checks there that its plan may still change (a
//! DRAFT or ACTIVE agreement) and that the entry fits its term and areas,
//! so a plan never gains an entry past a termination committed meanwhile.

use chrono::{NaiveDate, Utc};
use iurhub_domain::records::activities::Activity;
use iurhub_domain::records::plans::{
    self, BookingFact, Facts, MatchFact, NewWorkItem, PlanTarget, PlanWorkItem, ProjectFact,
    TargetInput, WorkItemPatch,
};
use iurhub_domain::{BookingStatus, Message, WorkItemStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};

use crate::agreements::{locked, require_state};
use crate::entities::{
    activities, bookings, cooperation_projects, matches, plan_targets, plan_work_items, tech_needs,
};
use crate::{Store, StoreError, StoreResult, parse_enum, rows, versioned};

impl TryFrom<plan_targets::Model> for PlanTarget {
    type Error = StoreError;
    fn try_from(m: plan_targets::Model) -> StoreResult<Self> {
        Ok(PlanTarget {
            id: m.id,
            agreement_id: m.agreement_id,
            year: m.year,
            area: parse_enum(&m.area)?,
            metric: parse_enum(&m.metric)?,
            target: m.target,
            note: m.note,
            version: m.version,
            updated_by: m.updated_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<plan_work_items::Model> for PlanWorkItem {
    type Error = StoreError;
    fn try_from(m: plan_work_items::Model) -> StoreResult<Self> {
        Ok(PlanWorkItem {
            id: m.id,
            agreement_id: m.agreement_id,
            year: m.year,
            area: parse_enum(&m.area)?,
            title: m.title,
            details: m.details,
            due_date: m.due_date,
            responsible_organization_id: m.responsible_organization_id,
            status: parse_enum(&m.status)?,
            done_at: m.done_at,
            version: m.version,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl Store {
    /// Sets the target of the agreement's plan for a year, area and metric:
    /// creates it, or changes the one there (with `expected_version`, if
    /// given, guarding a lost update).
    pub async fn set_plan_target(
        &self,
        input: TargetInput,
        expected_version: Option<i32>,
        actor: i64,
        today: NaiveDate,
    ) -> StoreResult<PlanTarget> {
        let txn = self.write().await?;
        let agreement = locked(&txn, input.agreement_id, None).await?;
        require_plan_open(&agreement, today)?;
        plans::check_entry(&agreement, input.year, input.area, Some(input.metric), None)?;
        let existing = plan_targets::Entity::find()
            .filter(plan_targets::Column::AgreementId.eq(input.agreement_id))
            .filter(plan_targets::Column::Year.eq(input.year))
            .filter(plan_targets::Column::Area.eq(input.area.as_str()))
            .filter(plan_targets::Column::Metric.eq(input.metric.as_str()))
            .one(&txn)
            .await?;
        let now = Utc::now();
        let id = match existing {
            Some(row) => {
                versioned::PLAN_TARGET.check(expected_version, row.version)?;
                let version = row.version + 1;
                let mut active: plan_targets::ActiveModel = row.into();
                active.target = Set(input.target);
                active.note = Set(input.note);
                active.version = Set(version);
                active.updated_by = Set(actor);
                active.updated_at = Set(now);
                active.update(&txn).await?.id
            }
            None => {
                plan_targets::ActiveModel {
                    agreement_id: Set(input.agreement_id),
                    year: Set(input.year),
                    area: Set(input.area.as_str().to_owned()),
                    metric: Set(input.metric.as_str().to_owned()),
                    target: Set(input.target),
                    note: Set(input.note),
                    version: Set(1),
                    updated_by: Set(actor),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        let target = rows::get::<plan_targets::Entity, _>(&txn, id, "plan target")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(target)
    }

    /// Removes a target (its agreement's plan must still be open).
    pub async fn remove_plan_target(&self, id: i64, today: NaiveDate) -> StoreResult<PlanTarget> {
        let txn = self.write().await?;
        let target: PlanTarget = rows::get::<plan_targets::Entity, _>(&txn, id, "plan target")
            .await?
            .try_into()?;
        let agreement = locked(&txn, target.agreement_id, None).await?;
        require_plan_open(&agreement, today)?;
        plan_targets::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
        Ok(target)
    }

    pub async fn plan_target(&self, id: i64) -> StoreResult<Option<PlanTarget>> {
        rows::by_id::<plan_targets::Entity, _, _>(&self.db, id).await
    }

    /// The agreement's targets, of `year` if given; by year, area, metric.
    pub async fn plan_targets(
        &self,
        agreement_id: i64,
        year: Option<i32>,
    ) -> StoreResult<Vec<PlanTarget>> {
        let mut query =
            plan_targets::Entity::find().filter(plan_targets::Column::AgreementId.eq(agreement_id));
        if let Some(year) = year {
            query = query.filter(plan_targets::Column::Year.eq(year));
        }
        let mut out = query
            .all(&self.db)
            .await?
            .into_iter()
            .map(PlanTarget::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|t| (t.year, t.area, t.metric));
        Ok(out)
    }

    /// Adds a work item to the agreement's plan.
    pub async fn add_plan_work_item(
        &self,
        new: NewWorkItem,
        actor: i64,
        today: NaiveDate,
    ) -> StoreResult<PlanWorkItem> {
        let txn = self.write().await?;
        let agreement = locked(&txn, new.agreement_id, None).await?;
        require_plan_open(&agreement, today)?;
        plans::check_entry(
            &agreement,
            new.year,
            new.area,
            None,
            new.responsible_organization_id,
        )?;
        let now = Utc::now();
        let id = plan_work_items::ActiveModel {
            agreement_id: Set(new.agreement_id),
            year: Set(new.year),
            area: Set(new.area.as_str().to_owned()),
            title: Set(new.title),
            details: Set(new.details),
            due_date: Set(new.due_date),
            responsible_organization_id: Set(new.responsible_organization_id),
            status: Set(WorkItemStatus::Planned.as_str().to_owned()),
            done_at: Set(None),
            version: Set(1),
            created_by: Set(actor),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?
        .id;
        let item = rows::get::<plan_work_items::Entity, _>(&txn, id, "plan work item")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(item)
    }

    /// Changes a work item (fields, or its status: DONE stamps `done_at`,
    /// reopening clears it); a stale `expected_version` is a CONFLICT.
    pub async fn update_plan_work_item(
        &self,
        id: i64,
        patch: WorkItemPatch,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<PlanWorkItem> {
        let txn = self.write().await?;
        let row = rows::get::<plan_work_items::Entity, _>(&txn, id, "plan work item").await?;
        let agreement = locked(&txn, row.agreement_id, None).await?;
        // Read again under the agreement's lock: the row may have changed.
        let row = rows::get::<plan_work_items::Entity, _>(&txn, id, "plan work item").await?;
        let current: PlanWorkItem = row.clone().try_into()?;
        versioned::PLAN_WORK_ITEM.check(expected_version, current.version)?;
        require_plan_open(&agreement, today)?;
        let responsible = patch
            .responsible_organization_id
            .unwrap_or(current.responsible_organization_id);
        plans::check_entry(&agreement, current.year, current.area, None, responsible)?;
        let mut active: plan_work_items::ActiveModel = row.into();
        if let Some(title) = patch.title {
            active.title = Set(title);
        }
        if let Some(details) = patch.details {
            active.details = Set(details);
        }
        if let Some(due) = patch.due_date {
            active.due_date = Set(due);
        }
        active.responsible_organization_id = Set(responsible);
        if let Some(to) = patch.status.filter(|s| *s != current.status) {
            current.status.transition(to)?;
            active.status = Set(to.as_str().to_owned());
            active.done_at = Set((to == WorkItemStatus::Done).then(Utc::now));
        }
        active.version = Set(current.version + 1);
        active.updated_at = Set(Utc::now());
        let item = active.update(&txn).await?.try_into()?;
        txn.commit().await?;
        Ok(item)
    }

    /// Deletes a work item (its agreement's plan must still be open).
    pub async fn delete_plan_work_item(
        &self,
        id: i64,
        today: NaiveDate,
    ) -> StoreResult<PlanWorkItem> {
        let txn = self.write().await?;
        let item: PlanWorkItem =
            rows::get::<plan_work_items::Entity, _>(&txn, id, "plan work item")
                .await?
                .try_into()?;
        let agreement = locked(&txn, item.agreement_id, None).await?;
        require_plan_open(&agreement, today)?;
        plan_work_items::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
        Ok(item)
    }

    pub async fn plan_work_item(&self, id: i64) -> StoreResult<Option<PlanWorkItem>> {
        rows::by_id::<plan_work_items::Entity, _, _>(&self.db, id).await
    }

    /// The agreement's work items, of `year` if given; by year, area, due
    /// date (undated last), id.
    pub async fn plan_work_items(
        &self,
        agreement_id: i64,
        year: Option<i32>,
    ) -> StoreResult<Vec<PlanWorkItem>> {
        let mut query = plan_work_items::Entity::find()
            .filter(plan_work_items::Column::AgreementId.eq(agreement_id))
            .order_by_asc(plan_work_items::Column::Id);
        if let Some(year) = year {
            query = query.filter(plan_work_items::Column::Year.eq(year));
        }
        let mut out = query
            .all(&self.db)
            .await?
            .into_iter()
            .map(PlanWorkItem::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|w| (w.year, w.area, w.due_date.is_none(), w.due_date, w.id));
        Ok(out)
    }

    /// The years the agreement's plan has targets or work items for,
    /// ascending.
    pub async fn plan_years(&self, agreement_id: i64) -> StoreResult<Vec<i32>> {
        let mut years: Vec<i32> = plan_targets::Entity::find()
            .select_only()
            .column(plan_targets::Column::Year)
            .filter(plan_targets::Column::AgreementId.eq(agreement_id))
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        let items: Vec<i32> = plan_work_items::Entity::find()
            .select_only()
            .column(plan_work_items::Column::Year)
            .filter(plan_work_items::Column::AgreementId.eq(agreement_id))
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        years.extend(items);
        years.sort_unstable();
        years.dedup();
        Ok(years)
    }

    /// The records of the agreement its plan's metrics are computed from:
    /// its projects, the matches of its needs, the completed bookings filed
    /// under it and those filed under no agreement of one party's
    /// instruments by another party (each organisation counted for the
    /// party it is, or is below), and its activities.
    pub async fn plan_facts(&self, agreement_id: i64) -> StoreResult<Facts> {
        use cooperation_projects::Column as P;
        let projects = cooperation_projects::Entity::find()
            .filter(P::AgreementId.eq(agreement_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| {
                Ok(ProjectFact {
                    id: p.id,
                    area: parse_enum(&p.area)?,
                    status: parse_enum(&p.status)?,
                    funding: p.funding,
                    agreed_at: p.agreed_at,
                    started_at: p.started_at,
                    ended_at: p.ended_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let matches = matches::Entity::find()
            .join(JoinType::InnerJoin, matches::Relation::TechNeed.def())
            .filter(tech_needs::Column::AgreementId.eq(agreement_id))
            .filter(matches::Column::DecidedAt.is_not_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| {
                Ok(MatchFact {
                    id: m.id,
                    need_id: m.need_id,
                    capability_id: m.capability_id,
                    status: parse_enum(&m.status)?,
                    decided_at: m.decided_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let bookings = self.bookings_between_parties(agreement_id).await?;
        let activities = self.activity_facts(agreement_id).await?;
        Ok(Facts {
            projects,
            matches,
            bookings,
            activities,
        })
    }

    async fn bookings_between_parties(&self, agreement_id: i64) -> StoreResult<Vec<BookingFact>> {
        let backend = self.db.get_database_backend();
        // The agreement id is an integer: inline, no client text in the SQL.
        let completed = BookingStatus::Completed.as_str();
        let sql = format!(
            "WITH RECURSIVE side(id, party) AS ( \
                SELECT organization_id, organization_id FROM agreement_parties \
                WHERE agreement_id = {agreement_id} \
                UNION \
                SELECT o.id, s.party FROM organizations o JOIN side s ON o.parent_id = s.id \
            ) \
            SELECT b.id FROM bookings b \
            WHERE b.status = '{completed}' AND b.agreement_id = {agreement_id} \
            UNION \
            SELECT b.id FROM bookings b \
            JOIN instruments i ON i.id = b.instrument_id \
            JOIN side owner ON owner.id = i.organization_id \
            JOIN side client ON client.id = b.organization_id \
            WHERE b.status = '{completed}' AND b.agreement_id IS NULL \
              AND owner.party <> client.party"
        );
        let ids: Vec<i64> = self
            .db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await?
            .into_iter()
            .map(|row| row.try_get_by_index(0))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = bookings::Entity::find()
            .filter(bookings::Column::Id.is_in(ids))
            .order_by_asc(bookings::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|b| {
                let start = b.actual_start.unwrap_or(b.start_at);
                let end = b.actual_end.unwrap_or(b.end_at);
                BookingFact {
                    id: b.id,
                    start_at: b.start_at,
                    minutes: (end - start).num_minutes().max(0),
                }
            })
            .collect())
    }

    /// The activities filed under the agreement, with their participants.
    async fn activity_facts(&self, agreement_id: i64) -> StoreResult<Vec<Activity>> {
        let ids: Vec<i64> = activities::Entity::find()
            .select_only()
            .column(activities::Column::Id)
            .filter(activities::Column::AgreementId.eq(agreement_id))
            .into_tuple()
            .all(&self.db)
            .await?;
        self.activities_by_ids(&ids).await
    }
}

/// The CONFLICT of a change to the plan of an agreement that is neither a
/// DRAFT nor ACTIVE.
fn require_plan_open(
    agreement: &iurhub_domain::records::agreements::Agreement,
    today: NaiveDate,
) -> StoreResult<()> {
    require_state(agreement, today, true)
        .map(|_| ())
        .map_err(|_| StoreError::Conflict {
            field: None,
            text: Message::new("plan.agreement.closed").with("status", agreement.status_on(today)),
        })
}
