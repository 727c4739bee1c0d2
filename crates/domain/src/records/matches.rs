//! Match rows (the life cycle of a suggested pair) and the texts the search
//! index holds.

use chrono::{DateTime, Utc};

use crate::docking::Docking;
use crate::{DeclineReason, InterestStatus, MatchSide, MatchStatus, SideDecision};

/// The texts of a need, capability or talent that the search index holds,
/// read without the rest of the row (the index is rebuilt from these at
/// every start).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexText {
    pub id: i64,
    pub organization_id: i64,
    pub title: String,
    /// A talent's academic title; `None` for needs and capabilities.
    pub subtitle: Option<String>,
    pub body: String,
    pub keywords: Vec<String>,
    /// Whether every signed-in user may see the object (see
    /// [`Need::is_shared`](super::needs::Need::is_shared),
    /// [`Capability::is_shared`](super::capabilities::Capability::is_shared);
    /// talents always are).
    pub shared: bool,
}

/// The stored state of one (need, capability) pair.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchRow {
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    pub status: MatchStatus,
    pub score: f64,
    /// The explanation at the last decision, as JSON.
    pub factors: String,
    pub matched_terms: String,
    pub decline_reason: Option<DeclineReason>,
    pub decline_comment: Option<String>,
    pub decided_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
    /// The need side's decision, who took it and when.
    pub need_side: SideState,
    /// The capability side's decision, who took it and when.
    pub capability_side: SideState,
}

/// One side's decision on a pair: none yet, or ACCEPTED / DECLINED by a
/// user at an instant (the user is unknown for the capability side of pairs
/// accepted before both sides decided).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SideState {
    pub decision: Option<SideDecision>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl MatchRow {
    /// Where the pair stands, for the docking rules.
    pub fn docking(&self) -> Docking {
        Docking {
            status: self.status,
            need: self.need_side.decision,
            capability: self.capability_side.decision,
        }
    }

    /// One side's decision.
    pub fn side(&self, side: MatchSide) -> &SideState {
        match side {
            MatchSide::Need => &self.need_side,
            MatchSide::Capability => &self.capability_side,
        }
    }
}

/// A decision on a pair: `side` moved it to `docking`.
#[derive(Debug, Clone)]
pub struct MatchDecision {
    /// The side that decided.
    pub side: MatchSide,
    /// The new state (status and both sides' decisions).
    pub docking: Docking,
    pub score: f64,
    pub factors: String,
    pub matched_terms: String,
    pub decline_reason: Option<DeclineReason>,
    pub decline_comment: Option<String>,
    pub decided_by: i64,
}

/// An interest of the research side in a need: for a capability (its
/// match carries the decisions) or for a talent profile (the need's side
/// reviews it here).
#[derive(Debug, Clone, PartialEq)]
pub struct Interest {
    pub id: i64,
    pub need_id: i64,
    pub capability_id: Option<i64>,
    pub talent_id: Option<i64>,
    /// 1–2000 characters.
    pub message: String,
    /// The review of a talent's interest; PENDING for a capability's (its
    /// match says where it stands).
    pub status: InterestStatus,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<DeclineReason>,
}

/// What an interest is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterestTarget {
    Capability(i64),
    Talent(i64),
}

impl Interest {
    pub fn target(&self) -> InterestTarget {
        match (self.capability_id, self.talent_id) {
            (Some(c), _) => InterestTarget::Capability(c),
            (None, Some(t)) => InterestTarget::Talent(t),
            // The table holds one of both (the application writes it so).
            (None, None) => InterestTarget::Talent(0),
        }
    }
}

/// The longest interest message.
pub const MAX_INTEREST_MESSAGE: usize = 2000;
