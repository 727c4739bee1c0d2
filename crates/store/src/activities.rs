//! Cooperation activities (合作活动): the activity row, the organisations
//! involved and the participants. Every write runs in one transaction on
//! the activity's locked row and checks the state it needs there;
//! `version` guards lost updates.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use iurhub_domain::{ActivityStatus, Message};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::entities::{activities, activity_organizations, activity_participants};
use crate::page::{Key, Page, PageArgs, paginate};
use crate::rows;
use crate::{Scope, Store, StoreError, StoreResult, parse_enum, versioned};

pub use iurhub_domain::records::activities::{
    Activity, ActivityFields, ActivityFilter, ActivityParticipant, ActivityPatch, NewParticipant,
};

use activities::Column as A;

/// The organisations and participants of activities `ids`.
struct Parts {
    organizations: HashMap<i64, Vec<i64>>,
    participants: HashMap<i64, Vec<ActivityParticipant>>,
}

async fn parts_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> StoreResult<Parts> {
    let mut parts = Parts {
        organizations: HashMap::new(),
        participants: HashMap::new(),
    };
    if ids.is_empty() {
        return Ok(parts);
    }
    for row in activity_organizations::Entity::find()
        .filter(activity_organizations::Column::ActivityId.is_in(ids.iter().copied()))
        .order_by_asc(activity_organizations::Column::OrganizationId)
        .all(db)
        .await?
    {
        parts
            .organizations
            .entry(row.activity_id)
            .or_default()
            .push(row.organization_id);
    }
    for row in activity_participants::Entity::find()
        .filter(activity_participants::Column::ActivityId.is_in(ids.iter().copied()))
        .order_by_asc(activity_participants::Column::Id)
        .all(db)
        .await?
    {
        parts
            .participants
            .entry(row.activity_id)
            .or_default()
            .push(ActivityParticipant {
                id: row.id,
                activity_id: row.activity_id,
                role: parse_enum(&row.role)?,
                talent_id: row.talent_id,
                name: row.name,
                organization_id: row.organization_id,
                hours: row.hours,
                created_at: row.created_at,
            });
    }
    Ok(parts)
}

fn assemble(m: activities::Model, parts: &mut Parts) -> StoreResult<Activity> {
    Ok(Activity {
        id: m.id,
        agreement_id: m.agreement_id,
        area: parse_enum(&m.area)?,
        kind: parse_enum(&m.kind)?,
        title: m.title,
        description: m.description,
        status: parse_enum(&m.status)?,
        start_date: m.start_date,
        end_date: m.end_date,
        host_organization_id: m.host_organization_id,
        organization_ids: parts.organizations.remove(&m.id).unwrap_or_default(),
        attendance: m.attendance,
        cancel_reason: m.cancel_reason,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        completed_at: m.completed_at,
        participants: parts.participants.remove(&m.id).unwrap_or_default(),
    })
}

async fn load<C: ConnectionTrait>(db: &C, id: i64) -> StoreResult<Activity> {
    let model = rows::get::<activities::Entity, _>(db, id, "activity").await?;
    let mut parts = parts_of(db, &[id]).await?;
    assemble(model, &mut parts)
}

/// Locks the activity's row for the transaction and reads it whole; a
/// stale `expected_version` (the caller's) is a CONFLICT, and so is a row
/// that moved on since `based_on` (the version the caller's checks read).
async fn locked(
    txn: &DatabaseTransaction,
    id: i64,
    expected_version: Option<i32>,
    based_on: Option<i32>,
) -> StoreResult<Activity> {
    rows::lock::<activities::Entity, _>(txn, id, "activity").await?;
    let current = load(txn, id).await?;
    versioned::ACTIVITY.check(expected_version, current.version)?;
    if based_on.is_some_and(|v| v != current.version) {
        return Err(versioned::ACTIVITY.stale(None));
    }
    Ok(current)
}

/// The CONFLICT of a change to a cancelled activity.
fn require_editable(current: &Activity) -> StoreResult<()> {
    if current.status.is_editable() {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            field: None,
            text: Message::new("activity.not_editable").with("status", current.status),
        })
    }
}

async fn insert_organizations(
    txn: &DatabaseTransaction,
    id: i64,
    organization_ids: &[i64],
) -> StoreResult<()> {
    for org in organization_ids {
        activity_organizations::ActiveModel {
            activity_id: Set(id),
            organization_id: Set(*org),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn insert_participant(
    txn: &DatabaseTransaction,
    id: i64,
    participant: NewParticipant,
) -> StoreResult<()> {
    activity_participants::ActiveModel {
        activity_id: Set(id),
        role: Set(participant.role.as_str().to_owned()),
        talent_id: Set(participant.talent_id),
        name: Set(participant.name.unwrap_or_default()),
        organization_id: Set(participant.organization_id),
        hours: Set(participant.hours),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// `activities.id IN (SELECT activity_id FROM activity_organizations WHERE
/// organization_id IN orgs)`.
fn involving(orgs: Vec<i64>) -> sea_orm::sea_query::SimpleExpr {
    A::Id.in_subquery(
        Query::select()
            .column(activity_organizations::Column::ActivityId)
            .from(activity_organizations::Entity)
            .and_where(activity_organizations::Column::OrganizationId.is_in(orgs))
            .to_owned(),
    )
}

/// The SQL form of [`iurhub_domain::policy::may_see_activity`]: admins see
/// every activity, others those involving an organisation they manage or
/// supervise and those filed under an agreement they coordinate.
fn scope_condition(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Reader {
            coordinated_agreement_ids,
            ..
        } => {
            let overseen = scope.overseen_ids().unwrap_or_default();
            // Inside an AND: the list's filters are added to it.
            Condition::all().add(
                Condition::any()
                    .add(involving(overseen))
                    .add(A::AgreementId.is_in(coordinated_agreement_ids.iter().copied())),
            )
        }
    }
}

/// A refused step of an activity's life cycle: a CONFLICT with its state.
pub fn transition_conflict(from: ActivityStatus, to: ActivityStatus) -> StoreError {
    StoreError::Conflict {
        field: None,
        text: Message::new("activity.transition.not_allowed")
            .with("entity", "activity")
            .with("from", from)
            .with("to", to),
    }
}

impl Store {
    /// Records a PLANNED activity with its organisations and participants
    /// (names resolved).
    pub async fn create_activity(
        &self,
        fields: ActivityFields,
        participants: Vec<NewParticipant>,
        actor: i64,
    ) -> StoreResult<Activity> {
        let now = Utc::now();
        let txn = self.write().await?;
        let model = activities::ActiveModel {
            agreement_id: Set(fields.agreement_id),
            area: Set(fields.kind.area().as_str().to_owned()),
            kind: Set(fields.kind.as_str().to_owned()),
            title: Set(fields.title),
            description: Set(fields.description),
            status: Set(ActivityStatus::Planned.as_str().to_owned()),
            start_date: Set(fields.start_date),
            end_date: Set(fields.end_date),
            host_organization_id: Set(fields.host_organization_id),
            attendance: Set(fields.attendance),
            cancel_reason: Set(None),
            version: Set(1),
            created_by: Set(actor),
            created_at: Set(now),
            updated_at: Set(now),
            completed_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let orgs = rows::sorted(
            fields
                .organization_ids
                .into_iter()
                .chain([fields.host_organization_id])
                .collect(),
        );
        insert_organizations(&txn, model.id, &orgs).await?;
        for participant in participants {
            insert_participant(&txn, model.id, participant).await?;
        }
        let activity = load(&txn, model.id).await?;
        txn.commit().await?;
        Ok(activity)
    }

    pub async fn activity(&self, id: i64) -> StoreResult<Option<Activity>> {
        match load(&self.db, id).await {
            Ok(a) => Ok(Some(a)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The activity participant `participant_id` belongs to, if any.
    pub async fn activity_of_participant(&self, participant_id: i64) -> StoreResult<Option<i64>> {
        Ok(activity_participants::Entity::find_by_id(participant_id)
            .one(&self.db)
            .await?
            .map(|p| p.activity_id))
    }

    /// Activities by id, in no particular order (unknown ids left out).
    pub async fn activities_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Activity>> {
        let models = activities::Entity::find()
            .filter(A::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let mut parts = parts_of(&self.db, &ids).await?;
        models
            .into_iter()
            .map(|m| assemble(m, &mut parts))
            .collect()
    }

    /// Writes an edited activity whole (`fields`, checked against the
    /// activity at version `based_on`); a cancelled one is CONFLICT.
    pub async fn update_activity(
        &self,
        id: i64,
        fields: ActivityFields,
        expected_version: Option<i32>,
        based_on: i32,
    ) -> StoreResult<Activity> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version, Some(based_on)).await?;
        require_editable(&current)?;
        if current.fields() == fields {
            return Ok(current);
        }
        let update = activities::Entity::update_many()
            .col_expr(A::AgreementId, Expr::value(fields.agreement_id))
            .col_expr(A::Area, Expr::value(fields.kind.area().as_str()))
            .col_expr(A::Kind, Expr::value(fields.kind.as_str()))
            .col_expr(A::Title, Expr::value(fields.title))
            .col_expr(A::Description, Expr::value(fields.description))
            .col_expr(A::StartDate, Expr::value(fields.start_date))
            .col_expr(A::EndDate, Expr::value(fields.end_date))
            .col_expr(
                A::HostOrganizationId,
                Expr::value(fields.host_organization_id),
            )
            .col_expr(A::Attendance, Expr::value(fields.attendance));
        let orgs = rows::sorted(
            fields
                .organization_ids
                .into_iter()
                .chain([fields.host_organization_id])
                .collect(),
        );
        if orgs != current.organization_ids {
            activity_organizations::Entity::delete_many()
                .filter(activity_organizations::Column::ActivityId.eq(id))
                .exec(&txn)
                .await?;
            insert_organizations(&txn, id, &orgs).await?;
        }
        versioned::ACTIVITY
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        let activity = load(&txn, id).await?;
        txn.commit().await?;
        Ok(activity)
    }

    /// Moves an activity to `to` ([`ActivityStatus::transition`]).
    /// CANCELLED records `reason`; COMPLETED records the time and, when the
    /// end date is empty, ends it `today` (an activity not started by
    /// `today` cannot be completed).
    pub async fn move_activity(
        &self,
        id: i64,
        to: ActivityStatus,
        reason: Option<String>,
        today: NaiveDate,
        expected_version: Option<i32>,
    ) -> StoreResult<Activity> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version, None).await?;
        current
            .status
            .transition(to)
            .map_err(|_| transition_conflict(current.status, to))?;
        let mut update =
            activities::Entity::update_many().col_expr(A::Status, Expr::value(to.as_str()));
        match to {
            ActivityStatus::Completed => {
                if current.end_date.is_none() {
                    if today < current.start_date {
                        return Err(StoreError::Conflict {
                            field: None,
                            text: Message::new("activity.complete.before_start")
                                .with("start", current.start_date),
                        });
                    }
                    update = update.col_expr(A::EndDate, Expr::value(today));
                }
                update = update.col_expr(A::CompletedAt, Expr::value(Utc::now()));
            }
            ActivityStatus::Cancelled => {
                update = update.col_expr(A::CancelReason, Expr::value(reason));
            }
            ActivityStatus::Planned | ActivityStatus::UnderWay => {}
        }
        versioned::ACTIVITY
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        let activity = load(&txn, id).await?;
        txn.commit().await?;
        Ok(activity)
    }

    /// Adds a participant (name resolved), keeping at most `max`
    /// participants; a cancelled activity is CONFLICT.
    pub async fn add_activity_participant(
        &self,
        id: i64,
        participant: NewParticipant,
        expected_version: Option<i32>,
        max: usize,
    ) -> StoreResult<Activity> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version, None).await?;
        require_editable(&current)?;
        if current.participants.len() >= max {
            return Err(StoreError::Domain(iurhub_domain::DomainError::keyed(
                "activityId",
                Message::new("activity.participants.too_many").with("max", max),
            )));
        }
        insert_participant(&txn, id, participant).await?;
        let update = activities::Entity::update_many();
        versioned::ACTIVITY
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        let activity = load(&txn, id).await?;
        txn.commit().await?;
        Ok(activity)
    }

    /// Removes participant `participant_id` of activity `id`; a cancelled
    /// activity is CONFLICT.
    pub async fn remove_activity_participant(
        &self,
        id: i64,
        participant_id: i64,
        expected_version: Option<i32>,
    ) -> StoreResult<Activity> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version, None).await?;
        require_editable(&current)?;
        if current.participant(participant_id).is_none() {
            return Err(StoreError::Domain(iurhub_domain::DomainError::keyed(
                "participantId",
                Message::new("activity.participant.unknown"),
            )));
        }
        activity_participants::Entity::delete_by_id(participant_id)
            .exec(&txn)
            .await?;
        let update = activities::Entity::update_many();
        versioned::ACTIVITY
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        let activity = load(&txn, id).await?;
        txn.commit().await?;
        Ok(activity)
    }

    /// The activities `scope` may see that pass `filter`, newest first
    /// (or oldest first), one page.
    pub async fn list_activities(
        &self,
        scope: &Scope,
        filter: &ActivityFilter,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Activity>> {
        let mut cond = scope_condition(scope);
        if !filter.areas.is_empty() {
            cond = cond.add(A::Area.is_in(filter.areas.iter().map(|a| a.as_str())));
        }
        if !filter.kinds.is_empty() {
            cond = cond.add(A::Kind.is_in(filter.kinds.iter().map(|k| k.as_str())));
        }
        if !filter.statuses.is_empty() {
            cond = cond.add(A::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
        }
        if let Some(agreement) = filter.agreement_id {
            cond = cond.add(A::AgreementId.eq(agreement));
        }
        if let Some(org) = filter.organization_id {
            cond = cond.add(involving(vec![org]));
        }
        if let Some(from) = filter.start_from {
            cond = cond.add(A::StartDate.gte(from));
        }
        if let Some(to) = filter.start_to {
            cond = cond.add(A::StartDate.lte(to));
        }
        let select = activities::Entity::find().filter(cond);
        let key_of: fn(&activities::Model) -> Key = |m| Key::new(m.id, m.id);
        let page = paginate(&self.db, select, A::Id, A::Id, descending, args, key_of).await?;
        let ids: Vec<i64> = page.items.iter().map(|(_, m)| m.id).collect();
        let mut parts = parts_of(&self.db, &ids).await?;
        page.try_map(|m| assemble(m, &mut parts))
    }
}
