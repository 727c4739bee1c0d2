//! The coordinators' opportunity queue (机会队列): the best pairs of a
//! published need and a published capability that nobody has acted on,
//! across every need a coordinator looks after, and their hand-over to a
//! broker (技术经纪人) with a due date and a note.
//!
//! A pair is *acted on* once either side decided on it (accepted,
//! declined, shortlisted), once interest was expressed in it, or once it
//! was assigned to a broker. The queue lists the pairs not acted on;
//! assigned ones are listed apart (`assigned`), until a side acts.

use chrono::{DateTime, NaiveDate, Utc};

use crate::validate::Validator;
use crate::{DomainError, Message};

/// How many candidates of each need are kept in the queue: a need's best,
/// as the matching engine ranks them (`Need.matches` lists them all).
pub const CANDIDATES_PER_NEED: usize = 20;

/// The lowest score kept: weaker pairs are not opportunities.
pub const MIN_KEPT_SCORE: f64 = 0.1;

/// Longest note of an assignment, in characters.
pub const NOTE_MAX_CHARS: usize = 2_000;

/// Most days `unactionedDays` and `staleNeeds(days:)` look back.
pub const MAX_DAYS: u32 = 3_650;

/// Filters of the queue; every given one must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpportunityFilter {
    /// Only pairs scoring at least this (0–1).
    pub min_score: Option<f64>,
    /// A discipline code: only pairs whose need or capability is classified
    /// under it or under a narrower discipline.
    pub area: Option<String>,
    /// Only pairs whose need or capability belongs to this organisation or
    /// one below it (resolved to the organisation ids by the application).
    pub organization_ids: Option<Vec<i64>>,
    /// Only pairs whose need is filed under this agreement.
    pub agreement_id: Option<i64>,
    /// Only pairs waiting at least this many days: found (or, assigned
    /// ones, assigned) that long ago and not acted on since.
    pub unactioned_days: Option<u32>,
    /// `false` (the default): pairs nobody has taken up; `true`: pairs
    /// assigned to a broker that no side has acted on yet.
    pub assigned: bool,
    /// Only pairs assigned to this user (implies `assigned`).
    pub broker_id: Option<i64>,
}

impl OpportunityFilter {
    /// Checks the bounds of the filter (a score between 0 and 1, at most
    /// [`MAX_DAYS`] days), naming each bad field.
    pub fn validate(self) -> Result<Self, DomainError> {
        let mut v = Validator::new();
        if let Some(score) = self.min_score {
            check_score(&mut v, "filter.minScore", score);
        }
        if let Some(days) = self.unactioned_days {
            check_days(&mut v, "filter.unactionedDays", days);
        }
        v.finish()?;
        Ok(self)
    }

    /// Whether only assigned pairs are wanted.
    pub fn wants_assigned(&self) -> bool {
        self.assigned || self.broker_id.is_some()
    }
}

/// A score bound must lie between 0 and 1.
pub fn check_score(v: &mut Validator, field: &str, score: f64) {
    if !(0.0..=1.0).contains(&score) {
        v.fail(
            field,
            Message::new("value.out_of_range")
                .with("min", 0)
                .with("max", 1),
        );
    }
}

/// A number of days looked back must be at most [`MAX_DAYS`].
pub fn check_days(v: &mut Validator, field: &str, days: u32) {
    if days > MAX_DAYS {
        v.fail(
            field,
            Message::new("value.out_of_range")
                .with("min", 0)
                .with("max", MAX_DAYS),
        );
    }
}

/// A pair handed to a broker.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    /// Who follows the pair up.
    pub broker_id: i64,
    pub assigned_by: i64,
    pub due_on: Option<NaiveDate>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One pair of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    pub need_id: i64,
    pub capability_id: i64,
    /// The matching engine's score when the need was last ranked (0–1).
    pub score: f64,
    /// When the pair was first ranked among the need's best.
    pub found_at: DateTime<Utc>,
    pub assignment: Option<Assignment>,
}

/// What a coordinator hands over with a pair.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssignment {
    pub need_id: i64,
    pub capability_id: i64,
    pub broker_id: i64,
    pub due_on: Option<NaiveDate>,
    pub note: String,
}

impl NewAssignment {
    /// Trims the note and checks it and the due date (today or later,
    /// `today` in China Standard Time), naming each bad field.
    pub fn validate(mut self, today: NaiveDate) -> Result<Self, DomainError> {
        let mut v = Validator::new();
        self.note = v.text("input.note", &self.note, 0, NOTE_MAX_CHARS);
        if let Some(due) = self.due_on
            && due < today
        {
            v.fail(
                "input.dueOn",
                Message::new("opportunity.due.past").with("today", today.format("%Y-%m-%d")),
            );
        }
        v.finish()?;
        Ok(self)
    }
}
