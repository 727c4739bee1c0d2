//! Talent (expertise) profiles (人才).

use chrono::{DateTime, Utc};

use super::scope::Scope;
use crate::{CooperationMode, policy};

/// A talent profile as stored (codes are loaded separately).
#[derive(Debug, Clone, PartialEq)]
pub struct Talent {
    pub id: i64,
    pub organization_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub title: Option<String>,
    pub bio: String,
    pub keywords: Vec<String>,
    pub availability: Vec<CooperationMode>,
    /// Bumped by every edit (optimistic concurrency).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Talent {
    /// Every signed-in user sees every talent profile (see
    /// [`policy::may_see_talent`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_talent(scope, self)
    }
}

/// Filters of the talent list.
#[derive(Debug, Clone, Default)]
pub struct TalentFilter {
    pub organization_id: Option<i64>,
    pub keyword: Option<String>,
    pub discipline_code: Option<String>,
    pub available_for: Option<CooperationMode>,
}

/// Orderings of the talent list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TalentSort {
    #[default]
    CreatedAt,
    UpdatedAt,
    Name,
}
