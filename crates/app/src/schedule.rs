//! Scheduled work inside the server, once per cluster: every replica runs
//! the scheduler, and each run of a job is taken by one of them
//! ([`iurhub_store::Store::claim_job`]). The jobs:
//! - `need_expiry`: a PUBLISHED need whose deadline has passed (Asia/Shanghai)
//!   is closed — it leaves the lists and matching — and its organisation's
//!   members are told (`NEED_EXPIRED`), in one transaction;
//! - `checklist_reminders`: an open checklist item of a project not ended
//!   that is due within `due_days` tells its owner (the project's creator
//!   when it has none) once (`CHECKLIST_ITEM_DUE`), and once more when it is
//!   overdue (`CHECKLIST_ITEM_OVERDUE`); moving its due date reminds again;
//! - `qualification_reminders`: a qualification for an instrument that
//!   expires within 14 days tells its holder once (`QUALIFICATION_EXPIRING`;
//!   a new expiry date reminds again);
//! - `opportunity_ranking`: the published needs never ranked for the
//!   opportunity queue, or changed since (or whose kept candidates changed
//!   their text), are ranked, up to 500 per run
//!   ([`crate::opportunities::rank_waiting`]);
//! - `listing_freshness`: a PUBLISHED need or capability not confirmed
//!   (nor edited, nor published) for `listing_confirm_days` tells its
//!   organisation's members once per confirmation (`LISTING_UNCONFIRMED`);
//!   30 days later, and at least 30 days after that warning, it leaves the
//!   public lists — a need is withdrawn, a capability archived — and they
//!   are told (`LISTING_WITHDRAWN`), in one transaction
//!   ([`iurhub_domain::records::freshness`]);
//! - `digests`: each user with `DIGEST` notifications waiting, whose
//!   period passed since their last digest, gets one e-mail listing them
//!   ([`crate::digests`]);
//! - `saved_searches`: every saved search runs as its user and tells them
//!   once of each object published since its last run that fits it
//!   (`SAVED_SEARCH_MATCHED`; [`crate::saved_searches`]), before the
//!   digests go out;
//! - `waitlist_offers`: a window offered to the next user of an
//!   instrument's waiting list whose hold ran out passes to the next in
//!   line, who is told (`WAITLIST_SLOT_OFFERED`), in one transaction
//!   ([`crate::waitlist::pass_lapsed`]).
//!
//! Each run's outcome is kept in `scheduled_jobs` and shown by every replica
//! in `/metrics`.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::{NeedStatus, NotificationKind};

use crate::App;

/// How the scheduler runs.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// How often each job runs.
    pub every: Duration,
    /// How many days before its due date a checklist item reminds.
    pub due_days: u32,
    /// How many days a published listing stays unconfirmed before its
    /// organisation is told.
    pub listing_confirm_days: u32,
}

/// The jobs, by the name they are kept and reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    NeedExpiry,
    ChecklistReminders,
    QualificationReminders,
    OpportunityRanking,
    ListingFreshness,
    Digests,
    SavedSearches,
    WaitlistOffers,
}

impl Job {
    pub const ALL: [Job; 8] = [
        Job::NeedExpiry,
        Job::ChecklistReminders,
        Job::QualificationReminders,
        Job::OpportunityRanking,
        Job::ListingFreshness,
        Job::SavedSearches,
        Job::Digests,
        Job::WaitlistOffers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::NeedExpiry => "need_expiry",
            Job::ChecklistReminders => "checklist_reminders",
            Job::QualificationReminders => "qualification_reminders",
            Job::OpportunityRanking => "opportunity_ranking",
            Job::ListingFreshness => "listing_freshness",
            Job::Digests => "digests",
            Job::SavedSearches => "saved_searches",
            Job::WaitlistOffers => "waitlist_offers",
        }
    }
}

/// How many days before it expires a qualification reminds its holder.
pub const QUALIFICATION_NOTICE_DAYS: i64 = 14;

/// Tells the holders of the qualifications expiring within
/// [`QUALIFICATION_NOTICE_DAYS`], once per qualification and expiry date;
/// how many were told.
pub async fn remind_qualifications(app: &App) -> anyhow::Result<i64> {
    let now = Utc::now();
    let until = now + TimeDelta::days(QUALIFICATION_NOTICE_DAYS);
    let mut sent = 0;
    for (q, instrument) in app.store.qualifications_expiring(now, until).await? {
        let Some(expires) = q.expires_at else {
            continue;
        };
        let due = iurhub_domain::validate::today_in_china(expires);
        let mut notices = Notices::of(vec![
            NewNotice::new(
                NotificationKind::QualificationExpiring,
                Recipients::Users(vec![q.user_id]),
            )
            .about(NoticeSubject::Instrument(q.instrument_id))
            .with("instrument", &instrument)
            .with("due", due),
        ]);
        let subject = NoticeSubject::Instrument(q.instrument_id);
        let stage = format!("QUALIFICATION:{}", q.user_id);
        if app.store.remind(subject, &stage, due, &mut notices).await? {
            crate::notifications::written(app, &notices);
            sent += 1;
        }
    }
    Ok(sent)
}

/// Closes the published needs past their deadline, telling their
/// organisations; how many.
pub async fn expire_needs(app: &App) -> anyhow::Result<i64> {
    let today = iurhub_domain::validate::today_in_china(Utc::now());
    let mut closed = 0;
    for need in app.store.needs_past_deadline(today).await? {
        let mut notices = Notices::of(vec![
            NewNotice::new(
                NotificationKind::NeedExpired,
                Recipients::MembersOf(vec![need.organization_id]),
            )
            .about(NoticeSubject::Need(need.id))
            .with("need", &need.title)
            .with(
                "due",
                need.deadline.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ]);
        // A need changed meanwhile (withdrawn, in cooperation) is left.
        match app
            .store
            .set_need_status(
                need.id,
                NeedStatus::Published,
                NeedStatus::Closed,
                &mut notices,
            )
            .await
        {
            Ok(need) => {
                app.needs_written(std::slice::from_ref(&need)).await;
                crate::notifications::written(app, &notices);
                closed += 1;
            }
            Err(iurhub_store::StoreError::Conflict { .. }) => {}
            Err(err) => return Err(err.into()),
        }
    }
    Ok(closed)
}

/// Sends the checklist reminders due today; how many were sent.
pub async fn remind_checklists(app: &App, due_days: u32) -> anyhow::Result<i64> {
    let today = iurhub_domain::validate::today_in_china(Utc::now());
    let until = today + TimeDelta::days(i64::from(due_days));
    let mut sent = 0;
    for (item, project, creator) in app.store.items_due(until).await? {
        let Some(due) = item.due_date else { continue };
        let (kind, stage) = if due < today {
            (NotificationKind::ChecklistItemOverdue, "OVERDUE")
        } else {
            (NotificationKind::ChecklistItemDue, "DUE")
        };
        let to = item.owner_user_id.unwrap_or(creator);
        let mut notices = Notices::of(vec![
            NewNotice::new(kind, Recipients::Users(vec![to]))
                .about(NoticeSubject::ChecklistItem(item.id))
                .with("item", &item.title)
                .with("project", &project)
                .with("due", due),
        ]);
        if app
            .store
            .remind(
                NoticeSubject::ChecklistItem(item.id),
                stage,
                due,
                &mut notices,
            )
            .await?
        {
            crate::notifications::written(app, &notices);
            sent += 1;
        }
    }
    Ok(sent)
}

/// Runs `job` once.
pub async fn run(app: &App, job: Job, schedule: &Schedule) -> anyhow::Result<i64> {
    match job {
        Job::NeedExpiry => expire_needs(app).await,
        Job::ChecklistReminders => remind_checklists(app, schedule.due_days).await,
        Job::QualificationReminders => remind_qualifications(app).await,
        Job::OpportunityRanking => {
            let ranked =
                crate::opportunities::rank_waiting(app, crate::opportunities::RANKING_BATCH)
                    .await
                    .map_err(|e| match e {
                        crate::error::AppError::Internal(err) => err,
                        other => anyhow::anyhow!(other.message()),
                    })?;
            Ok(ranked as i64)
        }
        Job::ListingFreshness => {
            crate::freshness::check_listings(app, schedule.listing_confirm_days).await
        }
        Job::Digests => crate::digests::send_digests(app).await,
        Job::SavedSearches => crate::saved_searches::check_all(app).await,
        Job::WaitlistOffers => crate::waitlist::pass_lapsed(app).await,
    }
}

/// How long a run is left to the server that took it.
const LEASE: TimeDelta = TimeDelta::minutes(10);

/// Runs the due jobs every minute (or every `schedule.every`, when
/// shorter) until `closing` turns `true`.
pub fn spawn(app: &App, schedule: Schedule, mut closing: tokio::sync::watch::Receiver<bool>) {
    let app = app.clone();
    let owner = iurhub_store::db::application_name().to_owned();
    tokio::spawn(async move {
        let tick = schedule.every.min(Duration::from_secs(60));
        let mut every = tokio::time::interval(tick);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let interval = TimeDelta::from_std(schedule.every).unwrap_or(TimeDelta::hours(1));
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = closing.changed() => return,
            }
            if *closing.borrow() {
                return;
            }
            for job in Job::ALL {
                let now = Utc::now();
                match app
                    .store
                    .claim_job(job.name(), &owner, now, interval, LEASE)
                    .await
                {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(err) => {
                        tracing::warn!(job = job.name(), error = %err, "claiming a scheduled job failed");
                        continue;
                    }
                }
                let outcome = run(&app, job, &schedule).await;
                match &outcome {
                    Ok(items) => tracing::info!(job = job.name(), items, "scheduled job ran"),
                    Err(err) => {
                        tracing::warn!(
                            job = job.name(),
                            error = format!("{err:#}"),
                            "scheduled job failed"
                        )
                    }
                }
                let outcome = outcome.map_err(|e| format!("{e:#}"));
                if let Err(err) = app
                    .store
                    .finish_job(job.name(), Utc::now(), now + interval, outcome)
                    .await
                {
                    tracing::warn!(job = job.name(), error = %err, "recording a scheduled job failed");
                }
            }
            publish_metrics(&app).await;
        }
    });
}

/// Every job's last run, items and failures (cluster-wide, from the
/// database) as gauges.
async fn publish_metrics(app: &App) {
    match app.store.job_states().await {
        Ok(states) => {
            for s in states {
                let job = s.name.clone();
                if let Some(at) = s.last_run_at {
                    metrics::gauge!("iurhub_job_last_run_timestamp_seconds", "job" => job.clone())
                        .set(at.timestamp() as f64);
                }
                metrics::gauge!("iurhub_job_last_items", "job" => job.clone())
                    .set(s.last_items as f64);
                metrics::gauge!("iurhub_job_runs", "job" => job.clone()).set(s.runs as f64);
                metrics::gauge!("iurhub_job_failures", "job" => job).set(s.failures as f64);
            }
        }
        Err(err) => tracing::debug!(error = %err, "reading the scheduled jobs failed"),
    }
}
