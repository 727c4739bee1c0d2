//! Framework agreements (合作框架协议): the standing cooperation between two
//! or more organisations — its term, the areas it covers, the people
//! responsible on each side — that projects and needs belong to.

use chrono::{DateTime, NaiveDate, Utc};

use super::scope::Scope;
use crate::{AgreementStatus, PlatformRole, ProjectArea, policy};

/// The fewest parties an agreement has.
pub const MIN_PARTIES: usize = 2;

/// One party organisation of an agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementParty {
    pub organization_id: i64,
    /// Who confirmed the draft for this party (an ORG_ADMIN of it, or a
    /// platform ADMIN), and when; cleared when the draft changes.
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The people responsible for the agreement on this side, by user id,
    /// ascending.
    pub responsible_user_ids: Vec<i64>,
}

/// An agreement with its areas and parties.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: i64,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    /// The stored status: DRAFT, ACTIVE or TERMINATED (see
    /// [`Agreement::status_on`] for the one readers see).
    pub status: AgreementStatus,
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Ascending, without repeats.
    pub areas: Vec<ProjectArea>,
    /// By organisation id, ascending.
    pub parties: Vec<AgreementParty>,
}

impl Agreement {
    /// The status on `today`: an ACTIVE agreement whose term ended before
    /// `today` is EXPIRED; every other status is the stored one. EXPIRED is
    /// derived, never written, so it holds from the first day after the
    /// term without any job running.
    pub fn status_on(&self, today: NaiveDate) -> AgreementStatus {
        effective_status(self.status, self.term_end, today)
    }

    /// The organisations taking part, ascending.
    pub fn party_ids(&self) -> Vec<i64> {
        self.parties.iter().map(|p| p.organization_id).collect()
    }

    pub fn party(&self, organization_id: i64) -> Option<&AgreementParty> {
        self.parties
            .iter()
            .find(|p| p.organization_id == organization_id)
    }

    /// Whether every party confirmed the draft.
    pub fn confirmed_by_every_party(&self) -> bool {
        !self.parties.is_empty() && self.parties.iter().all(|p| p.confirmed_by.is_some())
    }

    /// Who sees the agreement ([`policy::may_see_agreement`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_agreement(scope, self)
    }
}

/// The status readers see of an agreement stored as `stored` whose term
/// ends on `term_end`: ACTIVE past its term is EXPIRED.
pub fn effective_status(
    stored: AgreementStatus,
    term_end: NaiveDate,
    today: NaiveDate,
) -> AgreementStatus {
    if stored == AgreementStatus::Active && term_end < today {
        AgreementStatus::Expired
    } else {
        stored
    }
}

/// Who a caller is, as far as agreements are concerned: the platform role,
/// the organisations they manage (member of, or below one they
/// administer), those they administer (ORG_ADMIN, with descendants) and
/// the agreements they coordinate (agreement COORDINATOR grants).
#[derive(Debug, Clone, Copy)]
pub struct AgreementActor<'a> {
    pub platform_role: Option<PlatformRole>,
    pub managed_org_ids: &'a [i64],
    pub administered_org_ids: &'a [i64],
    pub coordinated_agreement_ids: &'a [i64],
}

/// A grant of COORDINATOR over one agreement to a user: the agreement and
/// the needs, projects and activities filed under it, as a party's member
/// does (CONFIDENTIAL needs included), and nothing else of the parties.
/// Revoked, never deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementCoordinatorGrant {
    pub id: i64,
    pub user_id: i64,
    pub agreement_id: i64,
    pub granted_by: Option<i64>,
    pub granted_at: DateTime<Utc>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AgreementCoordinatorGrant {
    /// Not revoked.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A new agreement (a DRAFT).
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub areas: Vec<ProjectArea>,
    pub party_ids: Vec<i64>,
}

/// Changed fields of a draft; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct AgreementPatch {
    pub title: Option<String>,
    pub signed_on: Option<Option<NaiveDate>>,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub areas: Option<Vec<ProjectArea>>,
}

impl AgreementPatch {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.signed_on.is_none()
            && self.term_start.is_none()
            && self.term_end.is_none()
            && self.areas.is_none()
    }
}

/// Filters of the agreement list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    /// Statuses as readers see them (EXPIRED included), judged on `today`.
    pub statuses: Vec<AgreementStatus>,
    /// Covering at least one of these areas.
    pub areas: Vec<ProjectArea>,
    pub party_organization_id: Option<i64>,
    /// "Today" for the statuses.
    pub today: Option<NaiveDate>,
}

/// Orderings of the agreement list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgreementSort {
    /// Creation (newest first by default).
    #[default]
    CreatedAt,
    /// Last change.
    UpdatedAt,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    #[test]
    fn an_active_agreement_expires_the_day_after_its_term() {
        let end = day("2027-09-14");
        let active = AgreementStatus::Active;
        assert_eq!(
            effective_status(active, end, day("2027-09-14")),
            AgreementStatus::Active
        );
        assert_eq!(
            effective_status(active, end, day("2027-09-15")),
            AgreementStatus::Expired
        );
        // Drafts and terminated agreements keep their status.
        for stored in [AgreementStatus::Draft, AgreementStatus::Terminated] {
            assert_eq!(effective_status(stored, end, day("2030-01-01")), stored);
        }
    }
}
