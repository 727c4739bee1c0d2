//! Dashboard figures with a scope and a period, and the annual review of a
//! framework agreement — its plan's progress and its figures for one year,
//! over GraphQL and as the CSV a cooperation office hands to the parties'
//! leadership. The database counts; this module decides whose records a
//! caller may have counted.
//!
//! - No scope: the whole platform for platform staff (ADMIN, COORDINATOR);
//!   for supervisors the organisations in their scope; FORBIDDEN to anyone
//!   else (who names an organisation or an agreement).
//! - An organisation: its subtree, for whoever oversees it (members,
//!   ORG_ADMINs above it, coordinators and supervisors in scope) and
//!   platform staff; FORBIDDEN otherwise.
//! - An agreement: its records, for whoever sees it; NOT_FOUND otherwise.

use iurhub_domain::records::plans::{Progress, YEARS};
use iurhub_domain::records::stats::{Period, Stats, StatsScope};
use iurhub_domain::{Message, MetricUnit};
use iurhub_store::agreements::Agreement;

use crate::App;
use crate::agreements::{today, visible};
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// Whose figures a caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeChoice {
    Organization(i64),
    Agreement(i64),
}

/// The organisations below the agreement's parties (the parties included),
/// ascending.
async fn party_subtrees(app: &App, agreement: &Agreement) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for party in agreement.party_ids() {
        ids.extend(app.store.organization_subtree_ids(party).await?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The scope the caller's choice names, if the caller may have it counted.
async fn resolve(app: &App, caller: &Caller, choice: Option<ScopeChoice>) -> AppResult<StatsScope> {
    let forbidden = || AppError::denied(Message::new("stats.read.forbidden"));
    match choice {
        None if caller.is_staff() => Ok(StatsScope::Platform),
        None => match caller.scope().overseen_ids() {
            Some(ids) if caller.reads_figures() => Ok(StatsScope::Organizations(ids)),
            _ => Err(forbidden()),
        },
        Some(ScopeChoice::Organization(id)) => {
            if !caller.is_staff() && !caller.scope().oversees(id) {
                return Err(forbidden());
            }
            let ids = app.store.organization_subtree_ids(id).await?;
            if ids.is_empty() {
                return Err(AppError::NotFound("organization"));
            }
            Ok(StatsScope::Organizations(ids))
        }
        Some(ScopeChoice::Agreement(id)) => {
            let agreement = visible(app, &caller.identity(), id).await?;
            Ok(StatsScope::Agreement {
                agreement_id: id,
                organization_ids: party_subtrees(app, &agreement).await?,
            })
        }
    }
}

/// A period must not end before it starts.
fn check_period(period: &Period) -> AppResult<()> {
    match (period.from, period.to) {
        (Some(from), Some(to)) if to < from => Err(AppError::invalid(
            "period.to",
            Message::new("stats.period.reversed"),
        )),
        _ => Ok(()),
    }
}

/// The figures of the chosen scope in `period`.
pub async fn stats(
    app: &App,
    caller: &Caller,
    choice: Option<ScopeChoice>,
    period: Period,
) -> AppResult<Stats> {
    check_period(&period)?;
    let scope = resolve(app, caller, choice).await?;
    Ok(app.store.stats(&scope, &period, today()).await?)
}

/// An agreement's annual review: the plan's progress in the year and the
/// agreement's figures for that year.
#[derive(Debug, Clone)]
pub struct Review {
    pub agreement: Agreement,
    pub year: i32,
    pub progress: Vec<Progress>,
    pub stats: Stats,
    /// Names of the organisations of `stats.by_organization`, by id.
    pub organization_names: Vec<(i64, String)>,
}

/// One line of the review as a table: what, where, and the numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewLine {
    /// PLAN (a metric of the plan), ORGANIZATION or MONTH (the figures).
    pub section: &'static str,
    /// The area (PLAN), the organisation's name, or the month `YYYY-MM`.
    pub key: String,
    /// The metric (PLAN) or the figure counted.
    pub metric: &'static str,
    pub unit: MetricUnit,
    pub target: Option<i64>,
    pub actual: f64,
    pub percent: Option<f64>,
}

impl Review {
    /// The review as one long table (a row per number), the order of the
    /// GraphQL answer: the plan's metrics, then the figures by organisation
    /// and by month.
    pub fn lines(&self) -> Vec<ReviewLine> {
        let mut out = Vec::new();
        for p in &self.progress {
            out.push(ReviewLine {
                section: "PLAN",
                key: p.area.as_str().to_owned(),
                metric: p.metric.as_str(),
                unit: p.metric.unit(),
                target: p.target,
                actual: p.actual,
                percent: p.percent,
            });
        }
        let count = |section, key: String, metric, n: u64| ReviewLine {
            section,
            key,
            metric,
            unit: MetricUnit::Count,
            target: None,
            actual: n as f64,
            percent: None,
        };
        for o in &self.stats.by_organization {
            let name = self
                .organization_names
                .iter()
                .find(|(id, _)| *id == o.organization_id)
                .map_or_else(|| o.organization_id.to_string(), |(_, n)| n.clone());
            for (metric, n) in [
                ("NEEDS", o.needs),
                ("CAPABILITIES", o.capabilities),
                ("PROJECTS", o.projects),
                ("MATCHES_ACCEPTED", o.matches_accepted),
            ] {
                out.push(count("ORGANIZATION", name.clone(), metric, n));
            }
        }
        for m in &self.stats.by_month {
            for (metric, n) in [
                ("NEEDS", m.needs),
                ("CAPABILITIES", m.capabilities),
                ("MATCHES_ACCEPTED", m.matches_accepted),
                ("PROJECTS_CREATED", m.projects_created),
                ("PROJECTS_STARTED", m.projects_started),
                ("PROJECTS_COMPLETED", m.projects_completed),
            ] {
                out.push(count("MONTH", m.month.clone(), metric, n));
            }
        }
        out
    }
}

/// The annual review of agreement `id` for `year`, for whoever sees the
/// agreement (else NOT_FOUND).
pub async fn review(app: &App, caller: &Caller, id: i64, year: i32) -> AppResult<Review> {
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(
            "year",
            Message::new("value.out_of_range")
                .with("min", YEARS.start())
                .with("max", YEARS.end()),
        ));
    }
    let who = caller.identity();
    let agreement = visible(app, &who, id).await?;
    let progress = crate::plans::progress(app, &who, id, year, None).await?;
    let scope = StatsScope::Agreement {
        agreement_id: id,
        organization_ids: party_subtrees(app, &agreement).await?,
    };
    let stats = app
        .store
        .stats(&scope, &Period::year(year), today())
        .await?;
    let ids: Vec<i64> = stats
        .by_organization
        .iter()
        .map(|o| o.organization_id)
        .collect();
    let organization_names = app
        .store
        .organizations_by_ids(&ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(Review {
        agreement,
        year,
        progress,
        stats,
        organization_names,
    })
}
