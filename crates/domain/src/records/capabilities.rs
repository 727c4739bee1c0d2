//! Research capabilities (科研能力 / 成果).

use chrono::{DateTime, Utc};

use super::scope::Scope;
use crate::validate::Achievement;
use crate::{CapabilityStatus, policy};

/// A research capability as stored (codes and talents are loaded separately).
#[derive(Debug, Clone, PartialEq)]
pub struct Capability {
    pub id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub trl: Option<i32>,
    pub achievements: Vec<Achievement>,
    pub status: CapabilityStatus,
    pub version: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When its owners last confirmed it current (confirming, editing or
    /// publishing it): a PUBLISHED listing unconfirmed for long leaves the
    /// public lists ([`crate::records::freshness`]).
    pub confirmed_at: DateTime<Utc>,
}

impl Capability {
    /// Whether every signed-in user may see this capability (published): the
    /// shared documents of the search index.
    pub fn is_shared(&self) -> bool {
        policy::capability_is_shared(self.status)
    }

    /// Published capabilities are visible to everyone; drafts and archived
    /// ones to their organisation and coordinators (see
    /// [`policy::may_see_capability`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_capability(scope, self)
    }
}

/// Filters of the capability list.
#[derive(Debug, Clone, Default)]
pub struct CapabilityFilter {
    pub organization_id: Option<i64>,
    pub statuses: Vec<CapabilityStatus>,
    pub keyword: Option<String>,
    pub discipline_code: Option<String>,
    pub talent_id: Option<i64>,
}

/// Orderings of the capability list.
pub type CapabilitySort = super::page::ListSort;

/// A capability written in bulk by the data generators
/// (`Store::insert_capabilities` in `iurhub-store`), with discipline codes
/// the taxonomy has.
#[derive(Debug, Clone)]
pub struct NewCapability {
    pub organization_id: i64,
    pub created_by: i64,
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub trl: Option<i32>,
    pub status: CapabilityStatus,
    pub discipline_codes: Vec<String>,
}
