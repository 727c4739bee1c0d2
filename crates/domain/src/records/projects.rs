//! Cooperation projects (合作项目): parties, milestones, checklist items and
//! the event log.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::consent::{MoveConfirmation, ProjectParty};
use super::scope::Scope;
use crate::{ChecklistStatus, NeedStatus, ProjectArea, ProjectEventKind, ProjectStatus, policy};

/// A project with its parties.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: i64,
    pub title: String,
    pub area: ProjectArea,
    pub status: ProjectStatus,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub match_id: Option<i64>,
    /// The framework agreement the project belongs to, if any.
    pub agreement_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub items_total: i32,
    pub items_done: i32,
    /// Percentage of checklist items done, 0–100.
    pub progress: i32,
    /// The cooperation funding contracted (合同经费), in fen.
    pub funding: Option<i64>,
    /// When the project became AGREED, IN_PROGRESS, and COMPLETED or
    /// TERMINATED (the first time; the annual plans count these).
    pub agreed_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Organisation ids, ascending (every party named, whatever its
    /// answer).
    pub party_ids: Vec<i64>,
    /// The parties with their answers, in the order of `party_ids`.
    pub parties: Vec<ProjectParty>,
    /// The pending confirmations of binding moves.
    pub confirmations: Vec<MoveConfirmation>,
}

impl Project {
    /// Admins see every project, others those of their organisations and
    /// of the organisations they coordinate or supervise (see
    /// [`policy::may_see_project`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_project(scope, self)
    }
}

/// A milestone of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    pub position: i32,
    /// Bumped by every edit (optimistic concurrency).
    pub version: i32,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub id: i64,
    pub project_id: i64,
    pub milestone_id: Option<i64>,
    pub title: String,
    pub owner_user_id: Option<i64>,
    pub due_date: Option<NaiveDate>,
    pub status: ChecklistStatus,
    pub note: Option<String>,
    pub position: i32,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl ChecklistItem {
    /// Not done and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != ChecklistStatus::Done && self.due_date.is_some_and(|d| d < today)
    }
}

/// One changed value, as text (dates ISO, enums in their API spelling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Change {
    /// The change of `field` from `from` to `to`.
    pub fn new(field: &str, from: Option<String>, to: Option<String>) -> Change {
        Change {
            field: field.to_owned(),
            from,
            to,
        }
    }
}

/// One entry of a project's log.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectEvent {
    pub id: i64,
    pub project_id: i64,
    pub actor_user_id: Option<i64>,
    pub kind: ProjectEventKind,
    /// The milestone or checklist item concerned, if any.
    pub subject_id: Option<i64>,
    pub changes: Vec<Change>,
    pub created_at: DateTime<Utc>,
}

/// A new project.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub title: String,
    pub area: ProjectArea,
    pub party_ids: Vec<i64>,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub match_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// The cooperation funding contracted, in fen.
    pub funding: Option<i64>,
    /// The parties that accept at creation: those the creator manages
    /// (the others are invited).
    pub accepted_party_ids: Vec<i64>,
}

/// Changed fields of a project; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub title: Option<String>,
    pub area: Option<ProjectArea>,
    pub start_date: Option<Option<NaiveDate>>,
    pub end_date: Option<Option<NaiveDate>>,
    /// `Some(None)` takes the project out of its agreement.
    pub agreement_id: Option<Option<i64>>,
    /// The cooperation funding contracted, in fen; `Some(None)` clears it.
    pub funding: Option<Option<i64>>,
}

/// A new checklist item.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub milestone_id: Option<i64>,
    pub title: String,
    pub owner_user_id: Option<i64>,
    pub due_date: Option<NaiveDate>,
}

/// Changed fields of a checklist item; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct ItemPatch {
    pub title: Option<String>,
    pub milestone_id: Option<Option<i64>>,
    pub owner_user_id: Option<Option<i64>>,
    pub due_date: Option<Option<NaiveDate>>,
    pub note: Option<Option<String>>,
}

/// Filters of the project list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub statuses: Vec<ProjectStatus>,
    pub areas: Vec<ProjectArea>,
    pub party_organization_id: Option<i64>,
    /// Only projects that belong to this agreement.
    pub agreement_id: Option<i64>,
    /// With (or without) a checklist item not done and past due on `today`.
    pub overdue: Option<bool>,
    /// Ending before this date.
    pub due_before: Option<NaiveDate>,
    /// "Today" for `overdue`.
    pub today: Option<NaiveDate>,
}

/// Orderings of the project list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectSort {
    /// End date; projects without one last.
    #[default]
    DueDate,
    UpdatedAt,
    Progress,
}

/// How a project's linked need follows the project: the need's status it
/// must be in, and the one it moves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedFollow {
    pub from: NeedStatus,
    pub to: NeedStatus,
    /// Only when no other project of the need's organisation on this need is
    /// still in progress (the need stays in cooperation while one is).
    pub unless_others_in_progress: bool,
}

impl Project {
    /// What moving this project to `to` does to its linked need, whose
    /// organisation is `need_organization_id`: IN_COOPERATION while a project
    /// is in progress, PUBLISHED again when the last one ends. A project whose
    /// parties leave out the need's organisation never moves it.
    pub fn need_follow(&self, need_organization_id: i64, to: ProjectStatus) -> Option<NeedFollow> {
        if !self.party_ids.contains(&need_organization_id) {
            return None;
        }
        match to {
            ProjectStatus::InProgress => Some(NeedFollow {
                from: NeedStatus::Published,
                to: NeedStatus::InCooperation,
                unless_others_in_progress: false,
            }),
            ProjectStatus::Completed | ProjectStatus::Terminated
                if self.status == ProjectStatus::InProgress =>
            {
                Some(NeedFollow {
                    from: NeedStatus::InCooperation,
                    to: NeedStatus::Published,
                    unless_others_in_progress: true,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(status: ProjectStatus, parties: &[i64]) -> Project {
        Project {
            title: "t".into(),
            area: ProjectArea::JointResearchPlatform,
            need_id: Some(7),
            ..crate::records::examples::project(status, parties)
        }
    }

    #[test]
    fn the_need_follows_its_project_only_when_its_organisation_is_a_party() {
        let started = project(ProjectStatus::Agreed, &[10, 20]);
        assert_eq!(
            started.need_follow(10, ProjectStatus::InProgress),
            Some(NeedFollow {
                from: NeedStatus::Published,
                to: NeedStatus::InCooperation,
                unless_others_in_progress: false,
            })
        );
        assert_eq!(started.need_follow(30, ProjectStatus::InProgress), None);
        let running = project(ProjectStatus::InProgress, &[10, 20]);
        for end in [ProjectStatus::Completed, ProjectStatus::Terminated] {
            assert_eq!(
                running.need_follow(10, end),
                Some(NeedFollow {
                    from: NeedStatus::InCooperation,
                    to: NeedStatus::Published,
                    unless_others_in_progress: true,
                })
            );
        }
        // A project that never ran leaves the need as it is.
        assert_eq!(started.need_follow(10, ProjectStatus::Terminated), None);
    }
}
