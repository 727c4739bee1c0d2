//! Dashboard figures for coordinators.

use crate::{CapabilityStatus, MatchStatus, NeedStatus, ProjectArea, ProjectStatus};

/// The dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub needs_by_status: Vec<(NeedStatus, u64)>,
    pub capabilities_by_status: Vec<(CapabilityStatus, u64)>,
    pub matches_by_status: Vec<(MatchStatus, u64)>,
    /// ACCEPTED / (ACCEPTED + DECLINED); `None` before any such decision.
    pub acceptance_rate: Option<f64>,
    pub projects_by_area: Vec<(ProjectArea, u64)>,
    pub projects_by_status: Vec<(ProjectStatus, u64)>,
    /// Checklist items not done and past due.
    pub overdue_checklist_items: u64,
    /// Median days from a need's publication to a project for it.
    pub median_days_need_to_project: Option<f64>,
}
