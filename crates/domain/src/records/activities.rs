//! Cooperation activities (合作活动): the work of the four areas of a
//! framework agreement that are neither projects nor the testing center —
//! an expert consulted, a secondment, a training programme, an internship,
//! a student trained or a graduate supervised together, a vocational
//! education study or course, a pairing of party organisations and their
//! joint activities. Each has a host organisation, every organisation
//! involved, the people taking part (with the hours they gave) and may
//! belong to one agreement.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::scope::Scope;
use crate::validate::Validator;
use crate::{ActivityKind, ActivityStatus, Message, ParticipantRole, ProjectArea, policy};

/// Longest title.
pub const MAX_TITLE: usize = 200;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 5_000;
/// Longest name of a participant.
pub const MAX_NAME: usize = 100;
/// Longest cancellation reason.
pub const MAX_REASON: usize = 2_000;
/// Most hours one participant contributes to one activity.
pub const MAX_HOURS: i32 = 10_000;
/// Most people counted as attending an event.
pub const MAX_ATTENDANCE: i32 = 100_000;
/// Most participants of one activity.
pub const MAX_PARTICIPANTS: usize = 200;

/// One person taking part in an activity.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityParticipant {
    pub id: i64,
    pub activity_id: i64,
    pub role: ParticipantRole,
    /// The talent profile of the person, if they have one.
    pub talent_id: Option<i64>,
    /// The person's name (for a talent, the profile's unless given).
    pub name: String,
    pub organization_id: Option<i64>,
    /// Hours contributed.
    pub hours: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// An activity with its organisations and participants.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub agreement_id: Option<i64>,
    /// Always `kind.area()`.
    pub area: ProjectArea,
    pub kind: ActivityKind,
    pub title: String,
    pub description: Option<String>,
    pub status: ActivityStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// The host (a department, a college, a party branch).
    pub host_organization_id: i64,
    /// Every organisation involved, the host included, ascending.
    pub organization_ids: Vec<i64>,
    /// People attending, for events whose participants are not named.
    pub attendance: Option<i32>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// In the order they were added.
    pub participants: Vec<ActivityParticipant>,
}

impl Activity {
    /// Who sees the activity ([`policy::may_see_activity`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_activity(scope, self)
    }

    /// What the activity is, as an edit starts from.
    pub fn fields(&self) -> ActivityFields {
        ActivityFields {
            agreement_id: self.agreement_id,
            kind: self.kind,
            title: self.title.clone(),
            description: self.description.clone(),
            start_date: self.start_date,
            end_date: self.end_date,
            host_organization_id: self.host_organization_id,
            organization_ids: self.organization_ids.clone(),
            attendance: self.attendance,
        }
    }

    pub fn participant(&self, id: i64) -> Option<&ActivityParticipant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The day the activity counts on in the figures (the annual plans'
    /// metrics): the end of a COMPLETED one (its start if no end was
    /// recorded), the start of one UNDER_WAY; none while it is only PLANNED
    /// (it has not happened) or when it was CANCELLED.
    pub fn counts_on(&self) -> Option<NaiveDate> {
        match self.status {
            ActivityStatus::Planned | ActivityStatus::Cancelled => None,
            ActivityStatus::Completed => Some(self.end_date.unwrap_or(self.start_date)),
            ActivityStatus::UnderWay => Some(self.start_date),
        }
    }

    /// Whether the activity counts in the figures of `year`
    /// ([`Activity::counts_on`]).
    pub fn counts_in_year(&self, year: i32) -> bool {
        self.counts_on().is_some_and(|day| day.year() == year)
    }

    /// The hours of the participants in `role`, one entry each (none when
    /// not recorded).
    pub fn hours_of(&self, role: ParticipantRole) -> impl Iterator<Item = Option<i32>> + '_ {
        self.participants
            .iter()
            .filter(move |p| p.role == role)
            .map(|p| p.hours)
    }
}

/// A participant to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewParticipant {
    pub role: ParticipantRole,
    pub talent_id: Option<i64>,
    /// Required unless a talent is given.
    pub name: Option<String>,
    pub organization_id: Option<i64>,
    pub hours: Option<i32>,
}

/// What an activity is, whole: a new one (PLANNED) or an edited one.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFields {
    pub agreement_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub description: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub host_organization_id: i64,
    /// The host included, ascending, without repeats.
    pub organization_ids: Vec<i64>,
    pub attendance: Option<i32>,
}

/// Changed fields of an activity; `None` keeps the value, `Some(None)`
/// clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct ActivityPatch {
    pub kind: Option<ActivityKind>,
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<Option<NaiveDate>>,
    pub host_organization_id: Option<i64>,
    /// The organisations involved besides the host (the host is always
    /// added).
    pub organization_ids: Option<Vec<i64>>,
    pub attendance: Option<Option<i32>>,
    pub agreement_id: Option<Option<i64>>,
}

impl ActivityPatch {
    /// `current` with the patch's changes; a new host stays involved, and
    /// new organisations replace the others (the host is always kept).
    pub fn apply(self, current: ActivityFields) -> ActivityFields {
        let host = self
            .host_organization_id
            .unwrap_or(current.host_organization_id);
        let others = self.organization_ids.unwrap_or(current.organization_ids);
        ActivityFields {
            agreement_id: self.agreement_id.unwrap_or(current.agreement_id),
            kind: self.kind.unwrap_or(current.kind),
            title: self.title.unwrap_or(current.title),
            description: self.description.unwrap_or(current.description),
            start_date: self.start_date.unwrap_or(current.start_date),
            end_date: self.end_date.unwrap_or(current.end_date),
            host_organization_id: host,
            organization_ids: involved(host, &others),
            attendance: self.attendance.unwrap_or(current.attendance),
        }
    }
}

/// Filters of the activity list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub areas: Vec<ProjectArea>,
    pub kinds: Vec<ActivityKind>,
    pub statuses: Vec<ActivityStatus>,
    pub agreement_id: Option<i64>,
    /// Involving this organisation.
    pub organization_id: Option<i64>,
    /// Starting on or after.
    pub start_from: Option<NaiveDate>,
    /// Starting on or before.
    pub start_to: Option<NaiveDate>,
}

/// The organisations involved: the host and the others, ascending, without
/// repeats.
pub fn involved(host: i64, others: &[i64]) -> Vec<i64> {
    let mut ids: Vec<i64> = others.iter().copied().chain([host]).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Checks an activity's own fields (every bad one is recorded in `v`):
/// title 1..=200 characters, description at most 5,000, the end not before
/// the start, attendance 0..=100,000. Returns the trimmed title and
/// description.
pub fn check_fields(
    v: &mut Validator,
    title: &str,
    description: Option<&str>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    attendance: Option<i32>,
) -> (String, Option<String>) {
    let title = v.text("title", title, 1, MAX_TITLE);
    let description = v.optional_text("description", description, MAX_DESCRIPTION);
    if end.is_some_and(|e| e < start) {
        v.fail("endDate", Message::new("activity.end_before_start"));
    }
    v.range("attendance", attendance, 0, MAX_ATTENDANCE);
    (title, description)
}

/// Checks one participant's fields under `field` (`participants[2]`): a
/// name unless a talent is given (at most 100 characters), hours
/// 0..=10,000. Returns the trimmed name, if any.
pub fn check_participant(
    v: &mut Validator,
    field: &str,
    participant: &NewParticipant,
) -> Option<String> {
    let name = participant
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let name = match name {
        Some(n) => Some(v.text(&format!("{field}.name"), n, 1, MAX_NAME)),
        None if participant.talent_id.is_none() => {
            v.fail(
                &format!("{field}.name"),
                Message::new("activity.participant.name_required"),
            );
            None
        }
        None => None,
    };
    v.range(&format!("{field}.hours"), participant.hours, 0, MAX_HOURS);
    name
}

/// Checks the number of participants (`count` of at most 200).
pub fn check_participant_count(v: &mut Validator, field: &str, count: usize) {
    if count > MAX_PARTICIPANTS {
        v.fail(
            field,
            Message::new("activity.participants.too_many").with("max", MAX_PARTICIPANTS),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn activity(status: ActivityStatus, start: &str, end: Option<&str>) -> Activity {
        Activity {
            id: 1,
            agreement_id: None,
            area: ProjectArea::TalentSharing,
            kind: ActivityKind::ExpertConsultation,
            title: String::new(),
            description: None,
            status,
            start_date: day(start),
            end_date: end.map(day),
            host_organization_id: 10,
            organization_ids: vec![10],
            attendance: None,
            cancel_reason: None,
            version: 1,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            completed_at: None,
            participants: Vec::new(),
        }
    }

    #[test]
    fn an_activity_counts_in_the_year_it_ends_once_completed_from_its_start_while_under_way() {
        use ActivityStatus::*;
        let done = activity(Completed, "2026-12-20", Some("2027-01-10"));
        assert!(done.counts_in_year(2027) && !done.counts_in_year(2026));
        // Completed without an end date (not written by the API): its start.
        assert!(activity(Completed, "2026-12-20", None).counts_in_year(2026));
        let under_way = activity(UnderWay, "2026-12-20", Some("2027-01-10"));
        assert!(under_way.counts_in_year(2026) && !under_way.counts_in_year(2027));
        // Planned: it has not happened yet.
        let planned = activity(Planned, "2026-12-20", Some("2026-12-20"));
        assert!(!planned.counts_in_year(2026) && !planned.counts_in_year(2027));
        let cancelled = activity(Cancelled, "2026-12-20", Some("2026-12-20"));
        assert!(!cancelled.counts_in_year(2026) && !cancelled.counts_in_year(2027));
    }

    #[test]
    fn the_host_is_always_involved() {
        assert_eq!(involved(20, &[30, 10, 30]), [10, 20, 30]);
        assert_eq!(involved(20, &[]), [20]);
        let current = ActivityFields {
            organization_ids: vec![10, 20],
            host_organization_id: 10,
            ..activity(ActivityStatus::Planned, "2027-01-01", None).fields()
        };
        // A new host joins the organisations kept.
        let moved = ActivityPatch {
            host_organization_id: Some(30),
            ..ActivityPatch::default()
        }
        .apply(current.clone());
        assert_eq!(moved.organization_ids, [10, 20, 30]);
        // New organisations replace the others; the host stays.
        let replaced = ActivityPatch {
            organization_ids: Some(vec![40]),
            end_date: Some(Some(day("2027-01-05"))),
            ..ActivityPatch::default()
        }
        .apply(current.clone());
        assert_eq!(replaced.organization_ids, [10, 40]);
        assert_eq!(replaced.end_date, Some(day("2027-01-05")));
        assert_eq!(replaced.title, current.title);
        assert_eq!(ActivityPatch::default().apply(current.clone()), current);
    }

    #[test]
    fn bad_fields_are_all_named() {
        let mut v = Validator::new();
        let (title, description) = check_fields(
            &mut v,
            " ",
            Some(&"x".repeat(MAX_DESCRIPTION + 1)),
            day("2027-01-02"),
            Some(day("2027-01-01")),
            Some(-1),
        );
        assert_eq!(title, "");
        assert!(description.is_some());
        for field in ["title", "description", "endDate", "attendance"] {
            assert!(v.has_error(field), "{field}");
        }
        let mut v = Validator::new();
        check_fields(
            &mut v,
            "专家咨询",
            None,
            day("2027-01-01"),
            Some(day("2027-01-01")),
            Some(MAX_ATTENDANCE),
        );
        assert!(v.finish().is_ok());

        let mut v = Validator::new();
        let nameless = NewParticipant {
            role: ParticipantRole::Expert,
            talent_id: None,
            name: Some("  ".into()),
            organization_id: None,
            hours: Some(MAX_HOURS + 1),
        };
        assert_eq!(
            check_participant(&mut v, "participants[0]", &nameless),
            None
        );
        assert!(v.has_error("participants[0].name"));
        assert!(v.has_error("participants[0].hours"));
        // A talent brings its name; zero hours are hours.
        let talent = NewParticipant {
            talent_id: Some(7),
            hours: Some(0),
            ..nameless
        };
        let mut v = Validator::new();
        assert_eq!(check_participant(&mut v, "participants[1]", &talent), None);
        check_participant_count(&mut v, "participants", MAX_PARTICIPANTS);
        assert!(v.finish().is_ok());
        let mut v = Validator::new();
        check_participant_count(&mut v, "participants", MAX_PARTICIPANTS + 1);
        assert!(v.has_error("participants"));
    }
}
