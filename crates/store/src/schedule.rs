//! Scheduled work, once per cluster: a job runs on the server whose claim
//! takes its row (one `UPDATE`, so two servers never both take a run), and
//! reminders are recorded with the notices they send, so each is sent once.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use iurhub_domain::records::notifications::{NoticeSubject, Notices};
use iurhub_domain::records::projects::ChecklistItem;
use iurhub_domain::{CapabilityStatus, ChecklistStatus, NeedStatus, ProjectStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::capabilities::Capability;
use crate::entities::{
    checklist_items, cooperation_projects, instruments, qualifications, reminders,
    research_capabilities, scheduled_jobs, tech_needs,
};
use crate::needs::Need;
use crate::rows::Records;
use crate::{Store, StoreResult};

/// How a job stands, for `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobState {
    pub name: String,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_items: i64,
    pub runs: i64,
    pub failures: i64,
}

impl Store {
    /// Takes the run of job `name`, due when it never ran or last ran
    /// `every` ago (whatever interval was configured then), for `lease`,
    /// for `owner`; `false` when it is not due or another server runs it.
    pub async fn claim_job(
        &self,
        name: &str,
        owner: &str,
        now: DateTime<Utc>,
        every: TimeDelta,
        lease: TimeDelta,
    ) -> StoreResult<bool> {
        scheduled_jobs::Entity::insert(scheduled_jobs::ActiveModel {
            name: Set(name.to_owned()),
            next_run_at: Set(now),
            lease_until: Set(None),
            leased_by: Set(None),
            last_run_at: Set(None),
            last_items: Set(0),
            runs: Set(0),
            failures: Set(0),
            last_error: Set(None),
        })
        .on_conflict_do_nothing_on([scheduled_jobs::Column::Name])
        .exec(&self.db)
        .await?;
        use scheduled_jobs::Column as C;
        let taken = scheduled_jobs::Entity::update_many()
            .col_expr(C::LeaseUntil, Expr::value(now + lease))
            .col_expr(C::LeasedBy, Expr::value(owner))
            .filter(C::Name.eq(name))
            .filter(C::LastRunAt.is_null().or(C::LastRunAt.lte(now - every)))
            .filter(C::LeaseUntil.is_null().or(C::LeaseUntil.lt(now)))
            .exec(&self.db)
            .await?;
        Ok(taken.rows_affected == 1)
    }

    /// Records a run of `name`: its items, or its error; `next_run_at` is
    /// when it is due next (for operators: the claim reads `last_run_at`).
    pub async fn finish_job(
        &self,
        name: &str,
        now: DateTime<Utc>,
        next_run_at: DateTime<Utc>,
        outcome: Result<i64, String>,
    ) -> StoreResult<()> {
        use scheduled_jobs::Column as C;
        let mut update = scheduled_jobs::Entity::update_many()
            .col_expr(C::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(C::LeasedBy, Expr::value(Option::<String>::None))
            .col_expr(C::LastRunAt, Expr::value(now))
            .col_expr(C::NextRunAt, Expr::value(next_run_at))
            .col_expr(C::Runs, Expr::col(C::Runs).add(1));
        update = match outcome {
            Ok(items) => update
                .col_expr(C::LastItems, Expr::value(items))
                .col_expr(C::LastError, Expr::value(Option::<String>::None)),
            Err(error) => update
                .col_expr(C::Failures, Expr::col(C::Failures).add(1))
                .col_expr(
                    C::LastError,
                    Expr::value(error.chars().take(500).collect::<String>()),
                ),
        };
        update.filter(C::Name.eq(name)).exec(&self.db).await?;
        Ok(())
    }

    /// Every job's state.
    pub async fn job_states(&self) -> StoreResult<Vec<JobState>> {
        Ok(scheduled_jobs::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|j| JobState {
                name: j.name,
                last_run_at: j.last_run_at,
                last_items: j.last_items,
                runs: j.runs,
                failures: j.failures,
            })
            .collect())
    }

    /// Sends `notices` as the reminder `stage` of `subject` for the date
    /// `due`, unless it was sent already (one transaction: the reminder is
    /// recorded with its notifications). `true` when sent now.
    pub async fn remind(
        &self,
        subject: NoticeSubject,
        stage: &str,
        due: NaiveDate,
        notices: &mut Notices,
    ) -> StoreResult<bool> {
        let now = Utc::now();
        let txn = self.write().await?;
        let inserted = reminders::Entity::insert(reminders::ActiveModel {
            subject: Set(subject.key()),
            stage: Set(stage.to_owned()),
            due: Set(due.to_string()),
            sent_at: Set(now),
        })
        .on_conflict_do_nothing_on([
            reminders::Column::Subject,
            reminders::Column::Stage,
            reminders::Column::Due,
        ])
        .exec(&txn)
        .await?;
        if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
            return Ok(false);
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// PUBLISHED needs whose deadline is before `today`.
    pub async fn needs_past_deadline(&self, today: NaiveDate) -> StoreResult<Vec<Need>> {
        tech_needs::Entity::find()
            .filter(tech_needs::Column::Status.eq(NeedStatus::Published.as_str()))
            .filter(tech_needs::Column::Deadline.lt(today))
            .records(&self.db)
            .await
    }

    /// PUBLISHED needs and capabilities confirmed at or before `before`.
    pub async fn listings_unconfirmed(
        &self,
        before: DateTime<Utc>,
    ) -> StoreResult<(Vec<Need>, Vec<Capability>)> {
        let needs = tech_needs::Entity::find()
            .filter(tech_needs::Column::Status.eq(NeedStatus::Published.as_str()))
            .filter(tech_needs::Column::ConfirmedAt.lte(before))
            .records(&self.db)
            .await?;
        let capabilities = research_capabilities::Entity::find()
            .filter(research_capabilities::Column::Status.eq(CapabilityStatus::Published.as_str()))
            .filter(research_capabilities::Column::ConfirmedAt.lte(before))
            .records(&self.db)
            .await?;
        Ok((needs, capabilities))
    }

    /// When the reminder `stage` of `subject` for `due` was sent, if it was.
    pub async fn reminder_sent_at(
        &self,
        subject: NoticeSubject,
        stage: &str,
        due: NaiveDate,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(
            reminders::Entity::find_by_id((subject.key(), stage.to_owned(), due.to_string()))
                .one(&self.db)
                .await?
                .map(|r| r.sent_at),
        )
    }

    /// Qualifications not revoked that expire in `[from, until)`, with
    /// their instrument's name.
    pub async fn qualifications_expiring(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(crate::instruments::Qualification, String)>> {
        let rows = qualifications::Entity::find()
            .filter(qualifications::Column::RevokedAt.is_null())
            .filter(qualifications::Column::ExpiresAt.gte(from))
            .filter(qualifications::Column::ExpiresAt.lt(until))
            .find_also_related(instruments::Entity)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(q, i)| Some((q.into(), i?.name)))
            .collect())
    }

    /// Open checklist items due on or before `until`, of projects not
    /// ended, with their project's title and creator.
    pub async fn items_due(
        &self,
        until: NaiveDate,
    ) -> StoreResult<Vec<(ChecklistItem, String, i64)>> {
        let rows = checklist_items::Entity::find()
            .filter(checklist_items::Column::Status.ne(ChecklistStatus::Done.as_str()))
            .filter(checklist_items::Column::DueDate.lte(until))
            .find_also_related(cooperation_projects::Entity)
            .filter(cooperation_projects::Column::Status.is_in([
                ProjectStatus::Proposed.as_str(),
                ProjectStatus::Agreed.as_str(),
                ProjectStatus::InProgress.as_str(),
            ]))
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (item, project) in rows {
            let Some(project) = project else { continue };
            out.push((item.try_into()?, project.title, project.created_by));
        }
        Ok(out)
    }
}
