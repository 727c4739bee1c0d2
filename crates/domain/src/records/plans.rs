//! Annual plans of framework agreements (年度工作计划): per agreement, year
//! and area, work items and numeric targets on named metrics; and the
//! rules that compute every metric's actual value from the records —
//! projects, matches, bookings, activities — so that no actual is ever
//! typed in.
//!
//! The year of a record is the calendar year, in China Standard Time, of
//! the instant the metric looks at:
//!
//! | metric | records | counts in the year of | value |
//! | --- | --- | --- | --- |
//! | PROJECTS_STARTED | the agreement's projects of the area | the move to IN_PROGRESS | 1 |
//! | PROJECTS_COMPLETED | the same | the move to COMPLETED | 1 |
//! | FUNDING_CONTRACTED | the same | the move to AGREED | its funding, yuan |
//! | MATCHES_ACCEPTED | matches of the agreement's needs | the decision | 1 |
//! | NEEDS_DOCKED | the agreement's needs | their first accepted match | 1 |
//! | INSTRUMENT_HOURS | completed bookings of one party's instrument by another party | the booking's start | hours used |
//! | EXPERTS_EXCHANGED | talent-sharing activities | the activity ([`Activity::counts_on`]) | its experts |
//! | EXPERT_HOURS | the same | the same | its experts' hours |
//! | TRAINEES_PLACED | joint-training activities | the same | its trainees |
//! | COURSES_RUN | vocational courses | the same | 1 |
//! | STUDIES_COMPLETED | vocational studies, completed | their completion | 1 |
//! | PAIRING_ACTIVITIES | pairings and joint party activities | the activity | 1 |
//! | ACTIVITIES_HELD | activities of the area | the activity | 1 |

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::activities::Activity;
use super::agreements::Agreement;
use crate::validate::Validator;
use crate::{
    ActivityKind, ActivityStatus, DomainError, MatchStatus, Message, MetricUnit, ParticipantRole,
    PlanMetric, ProjectArea, ProjectStatus, WorkItemStatus,
};

/// The earliest and latest year a plan may be made for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A numeric target of an agreement's plan for one year, area and metric.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTarget {
    pub id: i64,
    pub agreement_id: i64,
    pub year: i32,
    pub area: ProjectArea,
    pub metric: PlanMetric,
    /// In the metric's unit ([`PlanMetric::unit`]).
    pub target: i64,
    pub note: Option<String>,
    pub version: i32,
    pub updated_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A work item of an agreement's plan for one year and area.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanWorkItem {
    pub id: i64,
    pub agreement_id: i64,
    pub year: i32,
    pub area: ProjectArea,
    pub title: String,
    pub details: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub responsible_organization_id: Option<i64>,
    pub status: WorkItemStatus,
    pub done_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A target to set (created, or changed when the agreement, year, area and
/// metric already have one).
#[derive(Debug, Clone)]
pub struct TargetInput {
    pub agreement_id: i64,
    pub year: i32,
    pub area: ProjectArea,
    pub metric: PlanMetric,
    pub target: i64,
    pub note: Option<String>,
}

/// A new work item.
#[derive(Debug, Clone)]
pub struct NewWorkItem {
    pub agreement_id: i64,
    pub year: i32,
    pub area: ProjectArea,
    pub title: String,
    pub details: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub responsible_organization_id: Option<i64>,
}

/// Changed fields of a work item; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct WorkItemPatch {
    pub title: Option<String>,
    pub details: Option<Option<String>>,
    pub due_date: Option<Option<NaiveDate>>,
    pub responsible_organization_id: Option<Option<i64>>,
    pub status: Option<WorkItemStatus>,
}

/// The fields of a plan entry for `year` and `area` (with `metric`, for a
/// target) that `agreement` refuses: a year outside its term, an area it
/// does not cover, a metric not counted in the area, a responsible
/// organisation that is not a party. Every bad field is named.
pub fn check_entry(
    agreement: &Agreement,
    year: i32,
    area: ProjectArea,
    metric: Option<PlanMetric>,
    responsible_organization_id: Option<i64>,
) -> Result<(), DomainError> {
    let mut v = Validator::new();
    let (start, end) = (agreement.term_start, agreement.term_end);
    if !(start.year()..=end.year()).contains(&year) {
        v.fail(
            "year",
            Message::new("plan.year.outside_term")
                .with("year", year)
                .with("start", start)
                .with("end", end),
        );
    }
    if !agreement.areas.contains(&area) {
        v.fail(
            "area",
            Message::new("plan.area.not_covered").with("area", area),
        );
    }
    if let Some(metric) = metric.filter(|m| !m.areas().contains(&area)) {
        v.fail(
            "metric",
            Message::new("plan.metric.wrong_area")
                .with("metric", metric)
                .with("area", area),
        );
    }
    if responsible_organization_id.is_some_and(|o| agreement.party(o).is_none()) {
        v.fail(
            "responsibleOrganizationId",
            Message::new("plan.responsible.not_party"),
        );
    }
    v.finish()
}

/// The day of an instant in China Standard Time.
pub fn china_day(at: DateTime<Utc>) -> NaiveDate {
    crate::validate::today_in_china(at)
}

/// What the plan metrics read of a project of the agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFact {
    pub id: i64,
    pub area: ProjectArea,
    pub status: ProjectStatus,
    /// Funding contracted, in fen.
    pub funding: Option<i64>,
    pub agreed_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    /// When it became COMPLETED or TERMINATED.
    pub ended_at: Option<DateTime<Utc>>,
}

/// What the plan metrics read of a match of one of the agreement's needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchFact {
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    pub status: MatchStatus,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A completed booking of an instrument of one party by another party
/// (the store selects those; see [`crate::records::plans`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BookingFact {
    pub id: i64,
    pub start_at: DateTime<Utc>,
    /// Minutes used (the actual times when recorded, else the booked ones).
    pub minutes: i64,
}

/// The records of an agreement the metrics are computed from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub projects: Vec<ProjectFact>,
    pub matches: Vec<MatchFact>,
    pub bookings: Vec<BookingFact>,
    /// The activities filed under the agreement.
    pub activities: Vec<Activity>,
}

/// A record a metric counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    Project(i64),
    /// A match, by its need and capability.
    Match {
        need_id: i64,
        capability_id: i64,
    },
    Need(i64),
    Booking(i64),
    Activity(i64),
}

/// One record's part in a metric's actual value.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub record: RecordRef,
    /// In the metric's unit.
    pub value: f64,
    /// The day it counts on.
    pub on: NaiveDate,
}

/// A metric's target against its actual value.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub area: ProjectArea,
    pub metric: PlanMetric,
    /// `None` where the plan sets no target and the records give a value.
    pub target: Option<i64>,
    pub actual: f64,
    /// `actual / target × 100`, one decimal; `None` without a positive
    /// target.
    pub percent: Option<f64>,
    /// The records behind `actual`, by day.
    pub contributions: Vec<Contribution>,
}

fn in_year(day: Option<NaiveDate>, year: i32) -> Option<NaiveDate> {
    day.filter(|d| d.year() == year)
}

fn instant_in_year(at: Option<DateTime<Utc>>, year: i32) -> Option<NaiveDate> {
    in_year(at.map(china_day), year)
}

/// Rounds to one decimal (hours), so sums of minutes read cleanly.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The records behind `metric` for `area` in `year`.
pub fn contributions(
    facts: &Facts,
    year: i32,
    area: ProjectArea,
    metric: PlanMetric,
) -> Vec<Contribution> {
    use PlanMetric::*;
    let one = |record, on| Contribution {
        record,
        value: 1.0,
        on,
    };
    let projects = facts.projects.iter().filter(|p| p.area == area);
    let activities = facts
        .activities
        .iter()
        .filter(|a| a.area == area)
        .filter_map(|a| Some((a, in_year(a.counts_on(), year)?)));
    let mut out: Vec<Contribution> = match metric {
        ProjectsStarted => projects
            .filter_map(|p| {
                Some(one(
                    RecordRef::Project(p.id),
                    instant_in_year(p.started_at, year)?,
                ))
            })
            .collect(),
        ProjectsCompleted => projects
            .filter(|p| p.status == ProjectStatus::Completed)
            .filter_map(|p| {
                Some(one(
                    RecordRef::Project(p.id),
                    instant_in_year(p.ended_at, year)?,
                ))
            })
            .collect(),
        FundingContracted => projects
            .filter_map(|p| {
                Some(Contribution {
                    record: RecordRef::Project(p.id),
                    value: p.funding? as f64 / 100.0,
                    on: instant_in_year(p.agreed_at, year)?,
                })
            })
            .collect(),
        MatchesAccepted if area == ProjectArea::JointResearchPlatform => facts
            .matches
            .iter()
            .filter(|m| m.status == MatchStatus::Accepted)
            .filter_map(|m| {
                let record = RecordRef::Match {
                    need_id: m.need_id,
                    capability_id: m.capability_id,
                };
                Some(one(record, instant_in_year(m.decided_at, year)?))
            })
            .collect(),
        NeedsDocked if area == ProjectArea::JointResearchPlatform => {
            let mut first: std::collections::BTreeMap<i64, NaiveDate> = Default::default();
            for m in &facts.matches {
                if m.status != MatchStatus::Accepted {
                    continue;
                }
                if let Some(day) = m.decided_at.map(china_day) {
                    let e = first.entry(m.need_id).or_insert(day);
                    *e = (*e).min(day);
                }
            }
            first
                .into_iter()
                .filter(|(_, day)| day.year() == year)
                .map(|(need, day)| one(RecordRef::Need(need), day))
                .collect()
        }
        InstrumentHours if area == ProjectArea::TestingCenter => facts
            .bookings
            .iter()
            .filter_map(|b| {
                Some(Contribution {
                    record: RecordRef::Booking(b.id),
                    value: tenth(b.minutes as f64 / 60.0),
                    on: instant_in_year(Some(b.start_at), year)?,
                })
            })
            .collect(),
        ExpertsExchanged => activities
            .map(|(a, on)| Contribution {
                record: RecordRef::Activity(a.id),
                value: a.hours_of(ParticipantRole::Expert).count() as f64,
                on,
            })
            .filter(|c| c.value > 0.0)
            .collect(),
        ExpertHours => activities
            .map(|(a, on)| Contribution {
                record: RecordRef::Activity(a.id),
                value: a
                    .hours_of(ParticipantRole::Expert)
                    .fold(0.0, |sum, h| sum + f64::from(h.unwrap_or(0))),
                on,
            })
            .filter(|c| c.value > 0.0)
            .collect(),
        TraineesPlaced => activities
            .map(|(a, on)| Contribution {
                record: RecordRef::Activity(a.id),
                value: a.hours_of(ParticipantRole::Trainee).count() as f64,
                on,
            })
            .filter(|c| c.value > 0.0)
            .collect(),
        CoursesRun => activities
            .filter(|(a, _)| a.kind == ActivityKind::VocationalCourse)
            .map(|(a, on)| one(RecordRef::Activity(a.id), on))
            .collect(),
        StudiesCompleted => activities
            .filter(|(a, _)| {
                a.kind == ActivityKind::VocationalStudy && a.status == ActivityStatus::Completed
            })
            .map(|(a, on)| one(RecordRef::Activity(a.id), on))
            .collect(),
        PairingActivities => activities
            .filter(|(a, _)| {
                matches!(
                    a.kind,
                    ActivityKind::PartyPairing | ActivityKind::JointPartyActivity
                )
            })
            .map(|(a, on)| one(RecordRef::Activity(a.id), on))
            .collect(),
        ActivitiesHeld => activities
            .map(|(a, on)| one(RecordRef::Activity(a.id), on))
            .collect(),
        // A metric outside the areas it fits counts nothing.
        MatchesAccepted | NeedsDocked | InstrumentHours => Vec::new(),
    };
    out.sort_by(|a, b| a.on.cmp(&b.on).then(a.record.cmp(&b.record)));
    out
}

/// The plan's progress in `year`: every target of `targets` (those of that
/// year) against its actual, and — without a target — every metric of the
/// covered `areas` whose records give a value; by area, then metric, in
/// the vocabularies' order.
pub fn progress(
    facts: &Facts,
    year: i32,
    areas: &[ProjectArea],
    targets: &[PlanTarget],
) -> Vec<Progress> {
    let mut rows = Vec::new();
    for area in ProjectArea::ALL {
        let covered = areas.contains(area);
        for metric in PlanMetric::ALL {
            if !metric.areas().contains(area) {
                continue;
            }
            let target = targets
                .iter()
                .find(|t| t.year == year && t.area == *area && t.metric == *metric)
                .map(|t| t.target);
            if target.is_none() && !covered {
                continue;
            }
            let contributions = contributions(facts, year, *area, *metric);
            if target.is_none() && contributions.is_empty() {
                continue;
            }
            // A fold from +0.0: an empty sum is 0, not the -0.0 of `Sum`.
            let actual = contributions.iter().fold(0.0, |sum, c| sum + c.value);
            let actual = match metric.unit() {
                MetricUnit::Count => actual,
                MetricUnit::Hours => tenth(actual),
                MetricUnit::Yuan => (actual * 100.0).round() / 100.0,
            };
            let percent = target
                .filter(|t| *t > 0)
                .map(|t| tenth(actual / t as f64 * 100.0));
            rows.push(Progress {
                area: *area,
                metric: *metric,
                target,
                actual,
                percent,
                contributions,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::activities::ActivityParticipant;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn project(id: i64, started: &str) -> ProjectFact {
        ProjectFact {
            id,
            area: ProjectArea::JointResearchPlatform,
            status: ProjectStatus::InProgress,
            funding: Some(50_000_000),
            agreed_at: Some(at(started)),
            started_at: Some(at(started)),
            ended_at: None,
        }
    }

    fn target(year: i32, area: ProjectArea, metric: PlanMetric, value: i64) -> PlanTarget {
        PlanTarget {
            id: 1,
            agreement_id: 1,
            year,
            area,
            metric,
            target: value,
            note: None,
            version: 1,
            updated_by: 1,
            created_at: at("2025-01-01T00:00:00Z"),
            updated_at: at("2025-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn a_record_counts_in_the_china_year_of_its_instant() {
        // 2025-12-31 17:00 UTC is 2026-01-01 01:00 in China.
        let facts = Facts {
            projects: vec![
                project(1, "2025-12-31T15:00:00Z"),
                project(2, "2025-12-31T17:00:00Z"),
                project(3, "2026-06-01T00:00:00Z"),
            ],
            ..Facts::default()
        };
        let rows = progress(
            &facts,
            2026,
            &[ProjectArea::JointResearchPlatform],
            &[target(
                2026,
                ProjectArea::JointResearchPlatform,
                PlanMetric::ProjectsStarted,
                4,
            )],
        );
        let started = rows
            .iter()
            .find(|r| r.metric == PlanMetric::ProjectsStarted)
            .unwrap();
        assert_eq!(started.target, Some(4));
        assert_eq!(started.actual, 2.0);
        assert_eq!(started.percent, Some(50.0));
        assert_eq!(
            started
                .contributions
                .iter()
                .map(|c| c.record)
                .collect::<Vec<_>>(),
            vec![RecordRef::Project(2), RecordRef::Project(3)]
        );
        // Funding of the two projects agreed in 2026, in yuan.
        let funding = rows
            .iter()
            .find(|r| r.metric == PlanMetric::FundingContracted)
            .unwrap();
        assert_eq!((funding.target, funding.actual), (None, 1_000_000.0));
    }

    #[test]
    fn a_need_is_docked_once_in_the_year_of_its_first_accepted_match() {
        let m = |id, need, status, decided: &str| MatchFact {
            id,
            need_id: need,
            capability_id: 100 + id,
            status,
            decided_at: Some(at(decided)),
        };
        let facts = Facts {
            matches: vec![
                m(1, 10, MatchStatus::Accepted, "2025-03-01T00:00:00Z"),
                m(2, 10, MatchStatus::Accepted, "2026-03-01T00:00:00Z"),
                m(3, 11, MatchStatus::Accepted, "2026-04-01T00:00:00Z"),
                m(4, 12, MatchStatus::Declined, "2026-04-01T00:00:00Z"),
            ],
            ..Facts::default()
        };
        let area = ProjectArea::JointResearchPlatform;
        let docked = contributions(&facts, 2026, area, PlanMetric::NeedsDocked);
        assert_eq!(
            docked.iter().map(|c| c.record).collect::<Vec<_>>(),
            vec![RecordRef::Need(11)]
        );
        let accepted = contributions(&facts, 2026, area, PlanMetric::MatchesAccepted);
        assert_eq!(accepted.len(), 2);
        // Outside the area it fits, a metric counts nothing.
        assert!(
            contributions(
                &facts,
                2026,
                ProjectArea::TestingCenter,
                PlanMetric::MatchesAccepted
            )
            .is_empty()
        );
    }

    #[test]
    fn activities_count_people_hours_and_events_by_their_day() {
        let a = |id,
                 kind: ActivityKind,
                 status,
                 start: &str,
                 end: Option<&str>,
                 people: Vec<(ParticipantRole, Option<i32>)>| Activity {
            id,
            agreement_id: Some(1),
            area: kind.area(),
            kind,
            title: String::new(),
            description: None,
            status,
            start_date: day(start),
            end_date: end.map(day),
            host_organization_id: 1,
            organization_ids: vec![1],
            attendance: None,
            cancel_reason: None,
            version: 1,
            created_by: 1,
            created_at: at("2025-01-01T00:00:00Z"),
            updated_at: at("2025-01-01T00:00:00Z"),
            completed_at: None,
            participants: people
                .into_iter()
                .enumerate()
                .map(|(k, (role, hours))| ActivityParticipant {
                    id: k as i64 + 1,
                    activity_id: id,
                    role,
                    talent_id: None,
                    name: format!("P{k}"),
                    organization_id: None,
                    hours,
                    created_at: at("2025-01-01T00:00:00Z"),
                })
                .collect(),
        };
        use ParticipantRole::*;
        let facts = Facts {
            activities: vec![
                a(
                    1,
                    ActivityKind::ExpertConsultation,
                    ActivityStatus::Completed,
                    "2025-12-20",
                    Some("2026-01-05"),
                    vec![(Expert, Some(6)), (Expert, Some(4)), (Participant, Some(9))],
                ),
                a(
                    2,
                    ActivityKind::Secondment,
                    ActivityStatus::Cancelled,
                    "2026-02-01",
                    None,
                    vec![(Expert, Some(100))],
                ),
                a(
                    3,
                    ActivityKind::Internship,
                    ActivityStatus::UnderWay,
                    "2026-07-01",
                    None,
                    vec![(Trainee, None), (Trainee, None), (Supervisor, Some(20))],
                ),
                a(
                    4,
                    ActivityKind::VocationalStudy,
                    ActivityStatus::UnderWay,
                    "2026-03-01",
                    None,
                    vec![],
                ),
            ],
            ..Facts::default()
        };
        let sum = |area, metric| {
            contributions(&facts, 2026, area, metric)
                .iter()
                .map(|c| c.value)
                .sum::<f64>()
        };
        use PlanMetric::*;
        use ProjectArea::*;
        // Completed in 2026 (its end), cancelled never counts.
        assert_eq!(sum(TalentSharing, ExpertsExchanged), 2.0);
        assert_eq!(sum(TalentSharing, ExpertHours), 10.0);
        assert_eq!(sum(TalentSharing, ActivitiesHeld), 1.0);
        assert_eq!(sum(JointTraining, TraineesPlaced), 2.0);
        // A study under way is held, not completed.
        assert_eq!(sum(VocationalEducation, StudiesCompleted), 0.0);
        assert_eq!(sum(VocationalEducation, ActivitiesHeld), 1.0);
        // Nothing in 2025: the consultation ended in 2026.
        assert!(contributions(&facts, 2025, TalentSharing, ExpertsExchanged).is_empty());
    }

    #[test]
    fn booked_minutes_are_hours_to_a_tenth() {
        let facts = Facts {
            bookings: vec![
                BookingFact {
                    id: 1,
                    start_at: at("2026-05-01T01:00:00Z"),
                    minutes: 90,
                },
                BookingFact {
                    id: 2,
                    start_at: at("2026-05-02T01:00:00Z"),
                    minutes: 20,
                },
            ],
            ..Facts::default()
        };
        let rows = progress(
            &facts,
            2026,
            &[ProjectArea::TestingCenter],
            &[target(
                2026,
                ProjectArea::TestingCenter,
                PlanMetric::InstrumentHours,
                4,
            )],
        );
        let hours = rows
            .iter()
            .find(|r| r.metric == PlanMetric::InstrumentHours)
            .unwrap();
        assert_eq!(hours.actual, 1.8);
        assert_eq!(hours.percent, Some(45.0));
        // A covered area's metrics without records or targets are left out.
        assert_eq!(rows.len(), 1);
    }
}
