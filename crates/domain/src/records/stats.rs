//! Dashboard figures: what they count (a scope and a period) and what they
//! are.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::{CapabilityStatus, MatchStatus, NeedStatus, ProjectArea, ProjectStatus};

/// Whose records the figures count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsScope {
    /// Every record of the platform.
    Platform,
    /// The records of these organisations (a subtree, or the union of a
    /// reader's scope): their needs and capabilities, the matches of
    /// either, the projects one of them is a party to.
    Organizations(Vec<i64>),
    /// The records of a framework agreement: the needs and projects filed
    /// under it, the matches of its needs, and the capabilities of its
    /// parties' organisations (`organization_ids`, the parties' subtrees).
    Agreement {
        agreement_id: i64,
        organization_ids: Vec<i64>,
    },
}

/// The days the figures count, both inclusive, in China Standard Time; an
/// open end counts from the first record or up to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// The calendar year `year`.
    pub fn year(year: i32) -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1),
            to: NaiveDate::from_ymd_opt(year, 12, 31),
        }
    }

    /// The first instant of the period, if bounded.
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.from.map(china_midnight)
    }

    /// The first instant after the period, if bounded.
    pub fn end(&self) -> Option<DateTime<Utc>> {
        self.to.and_then(|d| d.succ_opt()).map(china_midnight)
    }
}

/// 00:00 of `day` in China Standard Time, as an instant.
fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    offset
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("a fixed offset has one midnight")
        .with_timezone(&Utc)
}

/// The figures of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrganizationFigures {
    pub organization_id: i64,
    /// Needs it posted in the period.
    pub needs: u64,
    /// Capabilities it registered in the period.
    pub capabilities: u64,
    /// Projects created in the period it is a party to.
    pub projects: u64,
    /// Matches of its needs accepted in the period.
    pub matches_accepted: u64,
}

/// The figures of one month (China Standard Time).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub needs: u64,
    pub capabilities: u64,
    pub matches_accepted: u64,
    pub projects_created: u64,
    pub projects_started: u64,
    pub projects_completed: u64,
}

/// The dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Needs created in the period, by their status now.
    pub needs_by_status: Vec<(NeedStatus, u64)>,
    pub capabilities_by_status: Vec<(CapabilityStatus, u64)>,
    pub matches_by_status: Vec<(MatchStatus, u64)>,
    /// ACCEPTED / (ACCEPTED + DECLINED); `None` before any such decision.
    pub acceptance_rate: Option<f64>,
    pub projects_by_area: Vec<(ProjectArea, u64)>,
    pub projects_by_status: Vec<(ProjectStatus, u64)>,
    /// Checklist items not done and past due, of the projects counted.
    pub overdue_checklist_items: u64,
    /// Median days from a need's publication to a project for it.
    pub median_days_need_to_project: Option<f64>,
    /// By organisation, ascending id; organisations with nothing left out.
    pub by_organization: Vec<OrganizationFigures>,
    /// By month, ascending; months with nothing left out.
    pub by_month: Vec<MonthFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_runs_from_midnight_to_midnight_in_china() {
        let p = Period::year(2026);
        assert_eq!(p.start().unwrap().to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(p.end().unwrap().to_rfc3339(), "2026-12-31T16:00:00+00:00");
        assert_eq!(Period::default().start(), None);
    }
}
