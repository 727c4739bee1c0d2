//! Organisations: a tree of groups, institutes, departments, universities,
//! colleges and labs.

use chrono::{DateTime, Utc};

use crate::OrgKind;
use crate::validate::Region;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: OrgKind,
    pub region: Region,
    /// A legal entity (法人单位): the organisations below it belong to it
    /// unless they are one themselves.
    pub legal_entity: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters of the organisation list.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    /// Only direct children of this organisation.
    pub parent_id: Option<i64>,
    /// Only organisations without a parent.
    pub roots_only: bool,
    pub kind: Option<OrgKind>,
    pub keyword: Option<String>,
}

/// Orderings of the organisation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrganizationSort {
    #[default]
    CreatedAt,
    Name,
}

/// A top-level organisation written in bulk by the data generators
/// (`Store::insert_organizations` in `iurhub-store`).
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub kind: OrgKind,
    pub province: String,
    pub city: String,
}
