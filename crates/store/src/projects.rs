//! Cooperation projects (合作项目): parties, milestones, checklist items and
//! the event log. Every change writes its event in the same transaction, so
//! the log is complete; optimistic concurrency (`version`) guards edits.

use iurhub_domain::Message;
use iurhub_domain::records::notifications::{NoticeSubject, Notices};
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use iurhub_domain::records::consent::decide_move;
use iurhub_domain::{ChecklistStatus, DomainError, PartyConsent, ProjectEventKind, ProjectStatus};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::entities::{
    checklist_items, cooperation_projects, milestones, project_confirmations, project_events,
    project_parties, tech_needs,
};
use crate::error::unique_as;
use crate::page::{Key, Order, Page, PageArgs, paginate, paginate_records};
use crate::rows::{self, Records};
use crate::{Scope, Store, StoreError, StoreResult, parse_enum, parse_json, to_json, versioned};

pub use iurhub_domain::records::consent::{MoveConfirmation, MoveOutcome, ProjectParty};
pub use iurhub_domain::records::projects::{
    Change, ChecklistItem, ItemPatch, Milestone, NewItem, NewProject, Project, ProjectEvent,
    ProjectFilter, ProjectPatch, ProjectSort,
};

use cooperation_projects::Column as P;

/// What a project row is read with: its parties and their pending
/// confirmations.
#[derive(Default)]
struct Attached {
    parties: Vec<ProjectParty>,
    confirmations: Vec<MoveConfirmation>,
}

/// A project read from its row, its parties and confirmations.
fn project_from_model(m: cooperation_projects::Model, attached: Attached) -> StoreResult<Project> {
    let party_ids = attached.parties.iter().map(|p| p.organization_id).collect();
    Ok(Project {
        id: m.id,
        title: m.title,
        area: parse_enum(&m.area)?,
        status: parse_enum(&m.status)?,
        need_id: m.need_id,
        capability_id: m.capability_id,
        match_id: m.match_id,
        agreement_id: m.agreement_id,
        start_date: m.start_date,
        end_date: m.end_date,
        termination_reason: m.termination_reason,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        items_total: m.items_total,
        items_done: m.items_done,
        progress: m.progress,
        funding: m.funding,
        agreed_at: m.agreed_at,
        started_at: m.started_at,
        ended_at: m.ended_at,
        party_ids,
        parties: attached.parties,
        confirmations: attached.confirmations,
    })
}

impl From<milestones::Model> for Milestone {
    fn from(m: milestones::Model) -> Self {
        Milestone {
            id: m.id,
            project_id: m.project_id,
            title: m.title,
            due_date: m.due_date,
            position: m.position,
            version: m.version,
        }
    }
}

impl TryFrom<checklist_items::Model> for ChecklistItem {
    type Error = StoreError;
    fn try_from(m: checklist_items::Model) -> StoreResult<Self> {
        Ok(ChecklistItem {
            id: m.id,
            project_id: m.project_id,
            milestone_id: m.milestone_id,
            title: m.title,
            owner_user_id: m.owner_user_id,
            due_date: m.due_date,
            status: parse_enum(&m.status)?,
            note: m.note,
            position: m.position,
            version: m.version,
            updated_at: m.updated_at,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Detail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject_id: Option<i64>,
    changes: Vec<Change>,
}

impl TryFrom<project_events::Model> for ProjectEvent {
    type Error = StoreError;
    fn try_from(m: project_events::Model) -> StoreResult<Self> {
        let detail: Detail = parse_json(&m.detail)?;
        Ok(ProjectEvent {
            id: m.id,
            project_id: m.project_id,
            actor_user_id: m.actor_user_id,
            kind: parse_enum(&m.kind)?,
            subject_id: detail.subject_id,
            changes: detail.changes,
            created_at: m.created_at,
        })
    }
}

fn due_key(end: Option<NaiveDate>) -> i32 {
    end.map_or(99_991_231, |d| {
        d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32
    })
}

fn text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// What one write of a project records: its event in the project's log
/// (the kind, the milestone or checklist item it is about, the changed
/// fields). Every write of a project, in its one transaction, ends with one
/// [`ProjectChange::record`], so the log is complete and the project's
/// `updated_at` follows its last event.
struct ProjectChange {
    kind: ProjectEventKind,
    subject_id: Option<i64>,
    changes: Vec<Change>,
    at: DateTime<Utc>,
}

impl ProjectChange {
    fn new(kind: ProjectEventKind, changes: Vec<Change>) -> Self {
        ProjectChange {
            kind,
            subject_id: None,
            changes,
            at: Utc::now(),
        }
    }

    /// The milestone or checklist item the change is about.
    fn about(mut self, subject_id: i64) -> Self {
        self.subject_id = Some(subject_id);
        self
    }

    /// When the change happened (the instant the write stored), if not now.
    fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = at;
        self
    }

    /// Appends the event to the log of `project_id` and marks the project
    /// changed (UPDATED_AT ordering; no version bump), in `txn`.
    async fn record(
        self,
        txn: &DatabaseTransaction,
        project_id: i64,
        actor: i64,
    ) -> StoreResult<()> {
        project_events::ActiveModel {
            project_id: Set(project_id),
            actor_user_id: Set(Some(actor)),
            kind: Set(self.kind.as_str().to_owned()),
            detail: Set(to_json(&Detail {
                subject_id: self.subject_id,
                changes: self.changes,
            })),
            created_at: Set(self.at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        cooperation_projects::Entity::update_many()
            .col_expr(P::UpdatedAt, Expr::value(self.at))
            .filter(P::Id.eq(project_id))
            .exec(txn)
            .await?;
        Ok(())
    }
}

/// The parties (ascending) and the pending confirmations of each project.
async fn parties_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> StoreResult<HashMap<i64, Attached>> {
    let mut out: HashMap<i64, Attached> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = project_parties::Entity::find()
        .filter(project_parties::Column::ProjectId.is_in(ids.iter().copied()))
        .order_by_asc(project_parties::Column::OrganizationId)
        .all(db)
        .await?;
    for r in rows {
        out.entry(r.project_id)
            .or_default()
            .parties
            .push(ProjectParty {
                organization_id: r.organization_id,
                consent: parse_enum(&r.consent)?,
                responded_by: r.responded_by,
                responded_at: r.responded_at,
                decline_reason: r.decline_reason,
            });
    }
    let confirmations = project_confirmations::Entity::find()
        .filter(project_confirmations::Column::ProjectId.is_in(ids.iter().copied()))
        .order_by_asc(project_confirmations::Column::ConfirmedAt)
        .order_by_asc(project_confirmations::Column::OrganizationId)
        .all(db)
        .await?;
    for c in confirmations {
        out.entry(c.project_id)
            .or_default()
            .confirmations
            .push(MoveConfirmation {
                organization_id: c.organization_id,
                to: parse_enum(&c.to_status)?,
                confirmed_by: c.confirmed_by,
                confirmed_at: c.confirmed_at,
                reason: c.reason,
            });
    }
    Ok(out)
}

async fn load<C: ConnectionTrait>(db: &C, id: i64) -> StoreResult<Project> {
    let model = rows::get::<cooperation_projects::Entity, _>(db, id, "project").await?;
    let mut parties = parties_of(db, &[id]).await?;
    project_from_model(model, parties.remove(&id).unwrap_or_default())
}

/// Locks a project's row until the end of the transaction, so the writers of
/// one project's checklist and milestones take turns: the positions and the
/// kept counts they read afterwards include every committed write. On
/// PostgreSQL `SELECT … FOR UPDATE` (each later statement of a READ
/// COMMITTED transaction sees what was committed meanwhile); SQLite has no
/// row locks, and needs none: a write transaction holds the database.
async fn lock_project(txn: &DatabaseTransaction, project_id: i64) -> StoreResult<()> {
    rows::lock::<cooperation_projects::Entity, _>(txn, project_id, "project").await?;
    Ok(())
}

/// Recounts a project's checklist into its progress columns.
async fn recount<C: ConnectionTrait>(db: &C, project_id: i64) -> StoreResult<()> {
    let of_project = checklist_items::Column::ProjectId.eq(project_id);
    let total = checklist_items::Entity::find()
        .filter(of_project.clone())
        .count(db)
        .await? as i32;
    let done = checklist_items::Entity::find()
        .filter(of_project)
        .filter(checklist_items::Column::Status.eq(ChecklistStatus::Done.as_str()))
        .count(db)
        .await? as i32;
    let progress = if total == 0 { 0 } else { done * 100 / total };
    cooperation_projects::Entity::update_many()
        .col_expr(P::ItemsTotal, Expr::value(total))
        .col_expr(P::ItemsDone, Expr::value(done))
        .col_expr(P::Progress, Expr::value(progress))
        .filter(P::Id.eq(project_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves the linked need with its project: IN_COOPERATION while a project
/// is in progress, PUBLISHED again when the last one ends. A project whose
/// parties do not include the need's organisation never moves it.
async fn follow_need(
    txn: &DatabaseTransaction,
    project: &Project,
    to: ProjectStatus,
) -> StoreResult<()> {
    let Some(need_id) = project.need_id else {
        return Ok(());
    };
    let Some(need) = tech_needs::Entity::find_by_id(need_id)
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let Some(follow) = project.need_follow(need.organization_id, to) else {
        return Ok(());
    };
    if follow.unless_others_in_progress {
        // Other projects of the need's own organisation still running.
        let others = cooperation_projects::Entity::find()
            .filter(P::NeedId.eq(need_id))
            .filter(P::Id.ne(project.id))
            .filter(P::Status.eq(ProjectStatus::InProgress.as_str()))
            .filter(
                P::Id.in_subquery(
                    Query::select()
                        .column(project_parties::Column::ProjectId)
                        .from(project_parties::Entity)
                        .and_where(project_parties::Column::OrganizationId.eq(need.organization_id))
                        .to_owned(),
                ),
            )
            .count(txn)
            .await?;
        if others > 0 {
            return Ok(());
        }
    }
    let (from, next) = (follow.from, follow.to);
    if need.status != from.as_str() {
        return Ok(());
    }
    let update = tech_needs::Entity::update_many()
        .col_expr(tech_needs::Column::Status, Expr::value(next.as_str()));
    versioned::NEED
        .update(txn, update, need_id, None, need.version)
        .await?;
    Ok(())
}

/// Ids separated by commas, as the log keeps them.
fn joined(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Moves `current` to `to` in `txn` (checked by the caller): the status,
/// the first instant of record, the linked need, the log; the pending
/// confirmations of every move are cleared (a new stage asks anew).
async fn move_project(
    txn: &DatabaseTransaction,
    current: &Project,
    to: ProjectStatus,
    reason: Option<String>,
    expected_version: Option<i32>,
    actor: i64,
) -> StoreResult<()> {
    let id = current.id;
    let mut update = cooperation_projects::Entity::update_many()
        .col_expr(P::Status, Expr::value(to.as_str()))
        .col_expr(P::TerminationReason, Expr::value(reason.clone()));
    // The first time a project reaches a status is kept (a project may
    // not return to one, but the instant of record is the first).
    let now = Utc::now();
    let instant = match to {
        ProjectStatus::Agreed => current.agreed_at.is_none().then_some(P::AgreedAt),
        ProjectStatus::InProgress => current.started_at.is_none().then_some(P::StartedAt),
        ProjectStatus::Completed | ProjectStatus::Terminated => {
            current.ended_at.is_none().then_some(P::EndedAt)
        }
        ProjectStatus::Proposed => None,
    };
    if let Some(column) = instant {
        update = update.col_expr(column, Expr::value(now));
    }
    versioned::PROJECT
        .update(txn, update, id, expected_version, current.version)
        .await?;
    project_confirmations::Entity::delete_many()
        .filter(project_confirmations::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    follow_need(txn, current, to).await?;
    let mut changes = vec![Change::new(
        "status",
        Some(current.status.as_str().into()),
        Some(to.as_str().into()),
    )];
    if let Some(r) = reason {
        changes.push(Change::new("terminationReason", None, Some(r)));
    }
    ProjectChange::new(ProjectEventKind::StatusChanged, changes)
        .at(now)
        .record(txn, id, actor)
        .await?;
    Ok(())
}

impl Store {
    pub async fn create_project(
        &self,
        new: NewProject,
        actor: i64,
        notices: &mut Notices,
    ) -> StoreResult<Project> {
        let now = Utc::now();
        let txn = self.write().await?;
        let model = cooperation_projects::ActiveModel {
            title: Set(new.title.clone()),
            area: Set(new.area.as_str().to_owned()),
            status: Set(ProjectStatus::Proposed.as_str().to_owned()),
            need_id: Set(new.need_id),
            capability_id: Set(new.capability_id),
            match_id: Set(new.match_id),
            agreement_id: Set(new.agreement_id),
            start_date: Set(new.start_date),
            end_date: Set(new.end_date),
            termination_reason: Set(None),
            version: Set(1),
            created_by: Set(actor),
            created_at: Set(now),
            updated_at: Set(now),
            items_total: Set(0),
            items_done: Set(0),
            progress: Set(0),
            due_key: Set(due_key(new.end_date)),
            funding: Set(new.funding),
            ..Default::default()
        }
        .insert(&txn)
        .await
        // The only unique index of the table besides the key: one project
        // per match (migration 9), whatever the concurrency.
        .map_err(unique_as("matchId", "project.match.taken"))?;
        let mut parties = new.party_ids.clone();
        parties.sort_unstable();
        parties.dedup();
        for org in &parties {
            // The creator's own organisations accept at creation; the
            // others are invited and answer.
            let accepted = new.accepted_party_ids.contains(org);
            let consent = if accepted {
                PartyConsent::Accepted
            } else {
                PartyConsent::Invited
            };
            project_parties::ActiveModel {
                project_id: Set(model.id),
                organization_id: Set(*org),
                consent: Set(consent.as_str().to_owned()),
                responded_by: Set(accepted.then_some(actor)),
                responded_at: Set(accepted.then_some(now)),
                decline_reason: Set(None),
            }
            .insert(&txn)
            .await?;
        }
        let mut changes = vec![
            Change::new("title", None, Some(new.title)),
            Change::new("area", None, Some(new.area.to_string())),
            Change::new(
                "status",
                None,
                Some(ProjectStatus::Proposed.as_str().into()),
            ),
            Change::new(
                "parties",
                None,
                Some(
                    parties
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
        ];
        if let Some(d) = new.start_date {
            changes.push(Change::new("startDate", None, Some(d.to_string())));
        }
        if let Some(d) = new.end_date {
            changes.push(Change::new("endDate", None, Some(d.to_string())));
        }
        if let Some(m) = new.match_id {
            changes.push(Change::new("matchId", None, Some(m.to_string())));
        }
        if let Some(a) = new.agreement_id {
            changes.push(Change::new("agreementId", None, Some(a.to_string())));
        }
        ProjectChange::new(ProjectEventKind::ProjectCreated, changes)
            .at(now)
            .record(&txn, model.id, actor)
            .await?;
        let project = load(&txn, model.id).await?;
        let created = NoticeSubject::Project(model.id);
        crate::notifications::write_notices(&txn, notices, Some(created), now).await?;
        txn.commit().await?;
        Ok(project)
    }

    /// Edits title, area and dates; a stale `expected_version` is a CONFLICT.
    pub async fn update_project(
        &self,
        id: i64,
        patch: ProjectPatch,
        expected_version: Option<i32>,
        actor: i64,
    ) -> StoreResult<Project> {
        let txn = self.write().await?;
        let current = load(&txn, id).await?;
        let mut changes = Vec::new();
        let mut update = cooperation_projects::Entity::update_many();
        if let Some(title) = patch.title.filter(|t| *t != current.title) {
            changes.push(Change::new(
                "title",
                Some(current.title.clone()),
                Some(title.clone()),
            ));
            update = update.col_expr(P::Title, Expr::value(title));
        }
        if let Some(area) = patch.area.filter(|a| *a != current.area) {
            changes.push(Change::new(
                "area",
                Some(current.area.to_string()),
                Some(area.to_string()),
            ));
            update = update.col_expr(P::Area, Expr::value(area.as_str()));
        }
        if let Some(start) = patch.start_date.filter(|d| *d != current.start_date) {
            changes.push(Change::new(
                "startDate",
                text(current.start_date),
                text(start),
            ));
            update = update.col_expr(P::StartDate, Expr::value(start));
        }
        if let Some(end) = patch.end_date.filter(|d| *d != current.end_date) {
            changes.push(Change::new("endDate", text(current.end_date), text(end)));
            update = update
                .col_expr(P::EndDate, Expr::value(end))
                .col_expr(P::DueKey, Expr::value(due_key(end)));
        }
        if let Some(funding) = patch.funding.filter(|f| *f != current.funding) {
            changes.push(Change::new("funding", text(current.funding), text(funding)));
            update = update.col_expr(P::Funding, Expr::value(funding));
        }
        if let Some(agreement) = patch.agreement_id.filter(|a| *a != current.agreement_id) {
            changes.push(Change::new(
                "agreementId",
                text(current.agreement_id),
                text(agreement),
            ));
            update = update.col_expr(P::AgreementId, Expr::value(agreement));
        }
        versioned::PROJECT.check(expected_version, current.version)?;
        if changes.is_empty() {
            return Ok(current);
        }
        versioned::PROJECT
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        ProjectChange::new(ProjectEventKind::ProjectUpdated, changes)
            .record(&txn, id, actor)
            .await?;
        let project = load(&txn, id).await?;
        txn.commit().await?;
        Ok(project)
    }

    /// Moves a project through its life cycle (the caller checked the
    /// transition and the parties' consent); the linked need follows.
    pub async fn set_project_status(
        &self,
        id: i64,
        to: ProjectStatus,
        reason: Option<String>,
        expected_version: Option<i32>,
        actor: i64,
        notices: &mut Notices,
    ) -> StoreResult<Project> {
        let txn = self.write().await?;
        let current = load(&txn, id).await?;
        versioned::PROJECT.check(expected_version, current.version)?;
        current.status.transition(to)?;
        move_project(&txn, &current, to, reason, expected_version, actor).await?;
        let project = load(&txn, id).await?;
        crate::notifications::write_notices(&txn, notices, None, Utc::now()).await?;
        txn.commit().await?;
        Ok(project)
    }

    /// A binding move (or a start) of project `id` to `to`, called for the
    /// parties `organization_ids` (those the caller confirms for; `alone`:
    /// a caller who moves without the parties). Under the project's row
    /// lock, [`iurhub_domain::records::consent::decide_move`] decides from
    /// the confirmations committed so far: the project moves now (its
    /// pending confirmations cleared), or the new confirmations are
    /// recorded and the project waits. Two parties confirming at once take
    /// turns, so the last one's call moves the project exactly once.
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_project_move(
        &self,
        id: i64,
        to: ProjectStatus,
        organization_ids: &[i64],
        alone: bool,
        reason: Option<String>,
        expected_version: Option<i32>,
        actor: i64,
        notices: &mut Notices,
    ) -> StoreResult<(Project, MoveOutcome)> {
        let txn = self.write().await?;
        lock_project(&txn, id).await?;
        let current = load(&txn, id).await?;
        versioned::PROJECT.check(expected_version, current.version)?;
        current.status.transition(to)?;
        let outcome = decide_move(&current, to, organization_ids, alone)?;
        if outcome == MoveOutcome::Moves {
            move_project(&txn, &current, to, reason, expected_version, actor).await?;
            // The notices tell of the move: only when it happens.
            crate::notifications::write_notices(&txn, notices, None, Utc::now()).await?;
        } else {
            notices.pending.clear();
            let already = current.confirmed_for(to);
            let fresh: Vec<i64> = organization_ids
                .iter()
                .copied()
                .filter(|org| !already.contains(org))
                .collect();
            if fresh.is_empty() {
                // Confirmed before: nothing changes.
                return Ok((current, outcome));
            }
            let now = Utc::now();
            for org in &fresh {
                project_confirmations::ActiveModel {
                    project_id: Set(id),
                    organization_id: Set(*org),
                    to_status: Set(to.as_str().to_owned()),
                    confirmed_by: Set(actor),
                    confirmed_at: Set(now),
                    reason: Set(reason.clone()),
                }
                .insert(&txn)
                .await?;
            }
            let mut changes = vec![
                Change::new("move", None, Some(to.as_str().into())),
                Change::new("confirmedFor", None, Some(joined(&fresh))),
            ];
            if let Some(r) = reason {
                changes.push(Change::new("reason", None, Some(r)));
            }
            ProjectChange::new(ProjectEventKind::MoveConfirmation, changes)
                .at(now)
                .record(&txn, id, actor)
                .await?;
        }
        let project = load(&txn, id).await?;
        txn.commit().await?;
        Ok((project, outcome))
    }

    /// Withdraws the pending confirmations of `organization_ids` for moving
    /// project `id` to `to`; none to withdraw is BAD_USER_INPUT.
    pub async fn withdraw_project_confirmation(
        &self,
        id: i64,
        to: ProjectStatus,
        organization_ids: &[i64],
        actor: i64,
    ) -> StoreResult<Project> {
        let txn = self.write().await?;
        lock_project(&txn, id).await?;
        let current = load(&txn, id).await?;
        let withdrawn: Vec<i64> = current
            .confirmations
            .iter()
            .filter(|c| c.to == to && organization_ids.contains(&c.organization_id))
            .map(|c| c.organization_id)
            .collect();
        if withdrawn.is_empty() {
            return Err(DomainError::keyed("to", Message::new("project.confirmation.none")).into());
        }
        project_confirmations::Entity::delete_many()
            .filter(project_confirmations::Column::ProjectId.eq(id))
            .filter(project_confirmations::Column::ToStatus.eq(to.as_str()))
            .filter(project_confirmations::Column::OrganizationId.is_in(withdrawn.iter().copied()))
            .exec(&txn)
            .await?;
        ProjectChange::new(
            ProjectEventKind::MoveConfirmation,
            vec![
                Change::new("move", None, Some(to.as_str().into())),
                Change::new("withdrawnFor", None, Some(joined(&withdrawn))),
            ],
        )
        .record(&txn, id, actor)
        .await?;
        let project = load(&txn, id).await?;
        txn.commit().await?;
        Ok(project)
    }

    /// Answers the open invitations of the parties `organization_ids` of
    /// project `id` (ACCEPTED or DECLINED, with the reason of a decline).
    /// A project that ended, or no open invitation among them, is
    /// BAD_USER_INPUT.
    pub async fn answer_project_invitation(
        &self,
        id: i64,
        organization_ids: &[i64],
        consent: PartyConsent,
        reason: Option<String>,
        actor: i64,
    ) -> StoreResult<Project> {
        let txn = self.write().await?;
        lock_project(&txn, id).await?;
        let current = load(&txn, id).await?;
        if matches!(
            current.status,
            ProjectStatus::Completed | ProjectStatus::Terminated
        ) {
            return Err(DomainError::keyed(
                "id",
                Message::new("project.consent.closed").with("status", current.status),
            )
            .into());
        }
        let answered: Vec<i64> = current
            .parties
            .iter()
            .filter(|p| {
                p.consent == PartyConsent::Invited && organization_ids.contains(&p.organization_id)
            })
            .map(|p| p.organization_id)
            .collect();
        if answered.is_empty() {
            return Err(
                DomainError::keyed("id", Message::new("project.consent.no_invitation")).into(),
            );
        }
        let now = Utc::now();
        let reason = reason.filter(|_| consent == PartyConsent::Declined);
        project_parties::Entity::update_many()
            .col_expr(
                project_parties::Column::Consent,
                Expr::value(consent.as_str()),
            )
            .col_expr(project_parties::Column::RespondedBy, Expr::value(actor))
            .col_expr(project_parties::Column::RespondedAt, Expr::value(now))
            .col_expr(
                project_parties::Column::DeclineReason,
                Expr::value(reason.clone()),
            )
            .filter(project_parties::Column::ProjectId.eq(id))
            .filter(project_parties::Column::OrganizationId.is_in(answered.iter().copied()))
            .filter(project_parties::Column::Consent.eq(PartyConsent::Invited.as_str()))
            .exec(&txn)
            .await?;
        let mut changes = vec![
            Change::new(
                "consent",
                Some(PartyConsent::Invited.as_str().into()),
                Some(consent.as_str().into()),
            ),
            Change::new("parties", None, Some(joined(&answered))),
        ];
        if let Some(r) = reason {
            changes.push(Change::new("reason", None, Some(r)));
        }
        ProjectChange::new(ProjectEventKind::PartyResponded, changes)
            .at(now)
            .record(&txn, id, actor)
            .await?;
        let project = load(&txn, id).await?;
        txn.commit().await?;
        Ok(project)
    }

    pub async fn project(&self, id: i64) -> StoreResult<Option<Project>> {
        match load(&self.db, id).await {
            Ok(p) => Ok(Some(p)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The project started from a match, if any.
    pub async fn project_of_match(&self, match_id: i64) -> StoreResult<Option<i64>> {
        Ok(cooperation_projects::Entity::find()
            .filter(P::MatchId.eq(match_id))
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    pub async fn projects_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Project>> {
        let models = cooperation_projects::Entity::find()
            .filter(P::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let mut parties = parties_of(&self.db, ids).await?;
        models
            .into_iter()
            .map(|m| {
                let p = parties.remove(&m.id).unwrap_or_default();
                project_from_model(m, p)
            })
            .collect()
    }

    pub async fn add_milestone(
        &self,
        project_id: i64,
        title: String,
        due_date: Option<NaiveDate>,
        actor: i64,
    ) -> StoreResult<Milestone> {
        let txn = self.write().await?;
        lock_project(&txn, project_id).await?;
        let position = milestones::Entity::find()
            .filter(milestones::Column::ProjectId.eq(project_id))
            .count(&txn)
            .await? as i32;
        let now = Utc::now();
        let model = milestones::ActiveModel {
            project_id: Set(project_id),
            title: Set(title.clone()),
            due_date: Set(due_date),
            position: Set(position),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut changes = vec![Change::new("title", None, Some(title))];
        if let Some(d) = due_date {
            changes.push(Change::new("dueDate", None, Some(d.to_string())));
        }
        ProjectChange::new(ProjectEventKind::MilestoneAdded, changes)
            .about(model.id)
            .record(&txn, project_id, actor)
            .await?;
        txn.commit().await?;
        Ok(model.into())
    }

    pub async fn milestone(&self, id: i64) -> StoreResult<Option<Milestone>> {
        Ok(milestones::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    pub async fn update_milestone(
        &self,
        id: i64,
        title: Option<String>,
        due_date: Option<Option<NaiveDate>>,
        actor: i64,
    ) -> StoreResult<Milestone> {
        let txn = self.write().await?;
        let current: Milestone = rows::get::<milestones::Entity, _>(&txn, id, "milestone")
            .await?
            .into();
        lock_project(&txn, current.project_id).await?;
        let mut changes = Vec::new();
        let mut update = milestones::Entity::update_many();
        if let Some(t) = title.filter(|t| *t != current.title) {
            changes.push(Change::new(
                "title",
                Some(current.title.clone()),
                Some(t.clone()),
            ));
            update = update.col_expr(milestones::Column::Title, Expr::value(t));
        }
        if let Some(d) = due_date.filter(|d| *d != current.due_date) {
            changes.push(Change::new("dueDate", text(current.due_date), text(d)));
            update = update.col_expr(milestones::Column::DueDate, Expr::value(d));
        }
        if changes.is_empty() {
            return Ok(current);
        }
        versioned::MILESTONE
            .update(&txn, update, id, None, current.version)
            .await?;
        ProjectChange::new(ProjectEventKind::MilestoneUpdated, changes)
            .about(id)
            .record(&txn, current.project_id, actor)
            .await?;
        let updated = rows::get::<milestones::Entity, _>(&txn, id, "milestone")
            .await?
            .into();
        txn.commit().await?;
        Ok(updated)
    }

    pub async fn milestones_of(&self, project_ids: &[i64]) -> StoreResult<Vec<Milestone>> {
        Ok(milestones::Entity::find()
            .filter(milestones::Column::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_asc(milestones::Column::Position)
            .order_by_asc(milestones::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn add_item(
        &self,
        project_id: i64,
        new: NewItem,
        actor: i64,
        notices: &mut Notices,
    ) -> StoreResult<ChecklistItem> {
        let txn = self.write().await?;
        lock_project(&txn, project_id).await?;
        let position = checklist_items::Entity::find()
            .filter(checklist_items::Column::ProjectId.eq(project_id))
            .count(&txn)
            .await? as i32;
        let now = Utc::now();
        let model = checklist_items::ActiveModel {
            project_id: Set(project_id),
            milestone_id: Set(new.milestone_id),
            title: Set(new.title.clone()),
            owner_user_id: Set(new.owner_user_id),
            due_date: Set(new.due_date),
            status: Set(ChecklistStatus::Open.as_str().to_owned()),
            note: Set(None),
            position: Set(position),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut changes = vec![Change::new("title", None, Some(new.title))];
        if let Some(o) = new.owner_user_id {
            changes.push(Change::new("ownerUserId", None, Some(o.to_string())));
        }
        if let Some(d) = new.due_date {
            changes.push(Change::new("dueDate", None, Some(d.to_string())));
        }
        if let Some(m) = new.milestone_id {
            changes.push(Change::new("milestoneId", None, Some(m.to_string())));
        }
        ProjectChange::new(ProjectEventKind::ItemAdded, changes)
            .about(model.id)
            .record(&txn, project_id, actor)
            .await?;
        recount(&txn, project_id).await?;
        let created = NoticeSubject::ChecklistItem(model.id);
        crate::notifications::write_notices(&txn, notices, Some(created), now).await?;
        txn.commit().await?;
        model.try_into()
    }

    pub async fn item(&self, id: i64) -> StoreResult<Option<ChecklistItem>> {
        rows::by_id::<checklist_items::Entity, _, _>(&self.db, id).await
    }

    /// Edits an item, or sets its status (with a note); a stale
    /// `expected_version` is a CONFLICT.
    pub async fn update_item(
        &self,
        id: i64,
        patch: ItemPatch,
        status: Option<ChecklistStatus>,
        expected_version: Option<i32>,
        actor: i64,
        notices: &mut Notices,
    ) -> StoreResult<ChecklistItem> {
        use checklist_items::Column as C;
        let txn = self.write().await?;
        let current: ChecklistItem =
            rows::get::<checklist_items::Entity, _>(&txn, id, "checklist item")
                .await?
                .try_into()?;
        lock_project(&txn, current.project_id).await?;
        versioned::CHECKLIST_ITEM.check(expected_version, current.version)?;
        let mut changes = Vec::new();
        let mut update = checklist_items::Entity::update_many();
        if let Some(t) = patch.title.filter(|t| *t != current.title) {
            changes.push(Change::new(
                "title",
                Some(current.title.clone()),
                Some(t.clone()),
            ));
            update = update.col_expr(C::Title, Expr::value(t));
        }
        if let Some(m) = patch.milestone_id.filter(|m| *m != current.milestone_id) {
            changes.push(Change::new(
                "milestoneId",
                text(current.milestone_id),
                text(m),
            ));
            update = update.col_expr(C::MilestoneId, Expr::value(m));
        }
        if let Some(o) = patch.owner_user_id.filter(|o| *o != current.owner_user_id) {
            changes.push(Change::new(
                "ownerUserId",
                text(current.owner_user_id),
                text(o),
            ));
            update = update.col_expr(C::OwnerUserId, Expr::value(o));
        }
        if let Some(d) = patch.due_date.filter(|d| *d != current.due_date) {
            changes.push(Change::new("dueDate", text(current.due_date), text(d)));
            update = update.col_expr(C::DueDate, Expr::value(d));
        }
        if let Some(n) = patch.note.filter(|n| *n != current.note) {
            changes.push(Change::new("note", current.note.clone(), n.clone()));
            update = update.col_expr(C::Note, Expr::value(n));
        }
        let kind = match status.filter(|s| *s != current.status) {
            Some(s) => {
                changes.insert(
                    0,
                    Change::new(
                        "status",
                        Some(current.status.as_str().into()),
                        Some(s.as_str().into()),
                    ),
                );
                update = update.col_expr(C::Status, Expr::value(s.as_str()));
                ProjectEventKind::ItemStatusChanged
            }
            None => ProjectEventKind::ItemUpdated,
        };
        if changes.is_empty() {
            return Ok(current);
        }
        versioned::CHECKLIST_ITEM
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        ProjectChange::new(kind, changes)
            .about(id)
            .record(&txn, current.project_id, actor)
            .await?;
        recount(&txn, current.project_id).await?;
        let item = rows::get::<checklist_items::Entity, _>(&txn, id, "checklist item")
            .await?
            .try_into()?;
        crate::notifications::write_notices(&txn, notices, None, Utc::now()).await?;
        txn.commit().await?;
        Ok(item)
    }

    /// Deletes a checklist item (a stale `expected_version` is a CONFLICT);
    /// the items after it move up, the project's progress is recounted and
    /// the log keeps the item's title.
    pub async fn delete_item(
        &self,
        id: i64,
        expected_version: Option<i32>,
        actor: i64,
    ) -> StoreResult<ChecklistItem> {
        use checklist_items::Column as C;
        let txn = self.write().await?;
        let current: ChecklistItem =
            rows::get::<checklist_items::Entity, _>(&txn, id, "checklist item")
                .await?
                .try_into()?;
        lock_project(&txn, current.project_id).await?;
        versioned::CHECKLIST_ITEM.check(expected_version, current.version)?;
        let res = checklist_items::Entity::delete_many()
            .filter(C::Id.eq(id))
            .filter(C::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(versioned::CHECKLIST_ITEM.stale(expected_version));
        }
        checklist_items::Entity::update_many()
            .col_expr(
                C::Position,
                sea_orm::sea_query::ExprTrait::sub(Expr::col(C::Position), 1),
            )
            .filter(C::ProjectId.eq(current.project_id))
            .filter(C::Position.gt(current.position))
            .exec(&txn)
            .await?;
        ProjectChange::new(
            ProjectEventKind::ItemDeleted,
            vec![
                Change::new("title", Some(current.title.clone()), None),
                Change::new("status", Some(current.status.as_str().into()), None),
            ],
        )
        .about(id)
        .record(&txn, current.project_id, actor)
        .await?;
        recount(&txn, current.project_id).await?;
        txn.commit().await?;
        Ok(current)
    }

    /// Deletes a milestone (a stale `expected_version` is a CONFLICT). Its
    /// checklist items stay in the checklist, without a milestone; the log
    /// keeps the milestone's title.
    pub async fn delete_milestone(
        &self,
        id: i64,
        expected_version: Option<i32>,
        actor: i64,
    ) -> StoreResult<Milestone> {
        use milestones::Column as M;
        let txn = self.write().await?;
        let current: Milestone = rows::get::<milestones::Entity, _>(&txn, id, "milestone")
            .await?
            .into();
        lock_project(&txn, current.project_id).await?;
        versioned::MILESTONE.check(expected_version, current.version)?;
        checklist_items::Entity::update_many()
            .col_expr(
                checklist_items::Column::MilestoneId,
                Expr::value(Option::<i64>::None),
            )
            .filter(checklist_items::Column::MilestoneId.eq(id))
            .exec(&txn)
            .await?;
        let res = milestones::Entity::delete_many()
            .filter(M::Id.eq(id))
            .filter(M::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(versioned::MILESTONE.stale(expected_version));
        }
        milestones::Entity::update_many()
            .col_expr(
                M::Position,
                sea_orm::sea_query::ExprTrait::sub(Expr::col(M::Position), 1),
            )
            .filter(M::ProjectId.eq(current.project_id))
            .filter(M::Position.gt(current.position))
            .exec(&txn)
            .await?;
        ProjectChange::new(
            ProjectEventKind::MilestoneDeleted,
            vec![Change::new("title", Some(current.title.clone()), None)],
        )
        .about(id)
        .record(&txn, current.project_id, actor)
        .await?;
        txn.commit().await?;
        Ok(current)
    }

    /// Puts the project's items in the order of `ids` (every item, once).
    pub async fn reorder_items(
        &self,
        project_id: i64,
        ids: &[i64],
        actor: i64,
    ) -> StoreResult<Vec<ChecklistItem>> {
        use checklist_items::Column as C;
        let txn = self.write().await?;
        lock_project(&txn, project_id).await?;
        let current = checklist_items::Entity::find()
            .filter(C::ProjectId.eq(project_id))
            .order_by_asc(C::Position)
            .order_by_asc(C::Id)
            .all(&txn)
            .await?;
        let mut given = ids.to_vec();
        given.sort_unstable();
        let mut existing: Vec<i64> = current.iter().map(|m| m.id).collect();
        let before = existing.clone();
        existing.sort_unstable();
        if given != existing {
            return Err(StoreError::Domain(iurhub_domain::DomainError::keyed(
                "itemIds",
                Message::new("checklist.order.incomplete"),
            )));
        }
        for (position, id) in ids.iter().enumerate() {
            checklist_items::Entity::update_many()
                .col_expr(C::Position, Expr::value(position as i32))
                .filter(C::Id.eq(*id))
                .exec(&txn)
                .await?;
        }
        let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        if before != ids {
            ProjectChange::new(
                ProjectEventKind::ChecklistReordered,
                vec![Change::new("order", Some(join(&before)), Some(join(ids)))],
            )
            .record(&txn, project_id, actor)
            .await?;
        }
        txn.commit().await?;
        self.items_of(&[project_id]).await
    }

    /// Checklist items of projects, in their order.
    pub async fn items_of(&self, project_ids: &[i64]) -> StoreResult<Vec<ChecklistItem>> {
        use checklist_items::Column as C;
        checklist_items::Entity::find()
            .filter(C::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_asc(C::ProjectId)
            .order_by_asc(C::Position)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// A project's events, oldest first.
    pub async fn project_events(
        &self,
        project_id: i64,
        args: PageArgs,
    ) -> StoreResult<Page<ProjectEvent>> {
        use project_events::Column as E;
        let select = project_events::Entity::find().filter(E::ProjectId.eq(project_id));
        let order: Order<project_events::Entity> = (E::Id, |m| Key::new(m.id, m.id));
        paginate_records(&self.db, select, order, E::Id, false, args).await
    }

    /// Events of a project after event `after_id`, oldest first (at most `limit`).
    pub async fn project_events_after(
        &self,
        project_id: i64,
        after_id: i64,
        limit: u64,
    ) -> StoreResult<Vec<ProjectEvent>> {
        use project_events::Column as E;
        use sea_orm::QuerySelect;
        project_events::Entity::find()
            .filter(E::ProjectId.eq(project_id))
            .filter(E::Id.gt(after_id))
            .order_by_asc(E::Id)
            .limit(limit)
            .records(&self.db)
            .await
    }

    pub async fn project_event(&self, id: i64) -> StoreResult<Option<ProjectEvent>> {
        rows::by_id::<project_events::Entity, _, _>(&self.db, id).await
    }

    /// The latest event of a project (what a write just logged).
    pub async fn last_project_event(&self, project_id: i64) -> StoreResult<Option<ProjectEvent>> {
        use project_events::Column as E;
        project_events::Entity::find()
            .filter(E::ProjectId.eq(project_id))
            .order_by_desc(E::Id)
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    pub async fn list_projects(
        &self,
        scope: &Scope,
        filter: &ProjectFilter,
        sort: ProjectSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Project>> {
        let mut cond = Condition::all();
        let parties = |orgs: Vec<i64>| {
            Query::select()
                .column(project_parties::Column::ProjectId)
                .from(project_parties::Entity)
                .and_where(project_parties::Column::OrganizationId.is_in(orgs))
                .to_owned()
        };
        // The SQL form of [`iurhub_domain::policy::may_see_project`].
        if let (
            Some(overseen),
            Scope::Reader {
                coordinated_agreement_ids,
                ..
            },
        ) = (scope.overseen_ids(), scope)
        {
            cond = cond.add(
                Condition::any()
                    .add(P::Id.in_subquery(parties(overseen)))
                    .add(P::AgreementId.is_in(coordinated_agreement_ids.iter().copied())),
            );
        }
        if let Some(agreement) = filter.agreement_id {
            cond = cond.add(P::AgreementId.eq(agreement));
        }
        if let Some(org) = filter.party_organization_id {
            cond = cond.add(P::Id.in_subquery(parties(vec![org])));
        }
        if !filter.statuses.is_empty() {
            cond = cond.add(P::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
        }
        if !filter.areas.is_empty() {
            cond = cond.add(P::Area.is_in(filter.areas.iter().map(|a| a.as_str())));
        }
        if let Some(before) = filter.due_before {
            cond = cond.add(P::EndDate.lt(before));
        }
        if let Some(overdue) = filter.overdue {
            use checklist_items::Column as C;
            let today = filter.today.unwrap_or_else(|| Utc::now().date_naive());
            let late = Query::select()
                .column(C::ProjectId)
                .from(checklist_items::Entity)
                .and_where(C::Status.ne(ChecklistStatus::Done.as_str()))
                .and_where(C::DueDate.lt(today))
                .to_owned();
            cond = cond.add(if overdue {
                P::Id.in_subquery(late)
            } else {
                P::Id.not_in_subquery(late)
            });
        }
        let select = cooperation_projects::Entity::find().filter(cond);
        let (column, key_of): (P, fn(&cooperation_projects::Model) -> Key) = match sort {
            ProjectSort::DueDate => (P::DueKey, |m| Key::new(i64::from(m.due_key), m.id)),
            ProjectSort::UpdatedAt => (P::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
            ProjectSort::Progress => (P::Progress, |m| Key::new(i64::from(m.progress), m.id)),
        };
        let page = paginate(&self.db, select, column, P::Id, descending, args, key_of).await?;
        let ids: Vec<i64> = page.items.iter().map(|(_, m)| m.id).collect();
        let mut parties = parties_of(&self.db, &ids).await?;
        page.try_map(|m| {
            let p = parties.remove(&m.id).unwrap_or_default();
            project_from_model(m, p)
        })
    }

    /// Ids of the projects an organisation takes part in.
    pub async fn project_ids_of_organizations(&self, orgs: &[i64]) -> StoreResult<Vec<i64>> {
        let rows = project_parties::Entity::find()
            .filter(project_parties::Column::OrganizationId.is_in(orgs.iter().copied()))
            .all(&self.db)
            .await?;
        let mut ids: Vec<i64> = rows.into_iter().map(|r| r.project_id).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}
