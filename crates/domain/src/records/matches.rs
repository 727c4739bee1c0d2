//! Match rows (the life cycle of a suggested pair) and the texts the search
//! index holds.

use chrono::{DateTime, Utc};

use crate::{DeclineReason, MatchStatus};

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
}

/// A decision on a pair.
#[derive(Debug, Clone)]
pub struct MatchDecision {
    pub status: MatchStatus,
    pub score: f64,
    pub factors: String,
    pub matched_terms: String,
    pub decline_reason: Option<DeclineReason>,
    pub decline_comment: Option<String>,
    pub decided_by: i64,
}
