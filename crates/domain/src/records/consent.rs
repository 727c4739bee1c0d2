//! Every party of a project consents: each organisation named in a project
//! is invited (the creator's own organisations accept at creation) and
//! accepts or declines; the binding moves of its life cycle (agree,
//! complete, terminate) wait for every party's confirmation, unless a
//! coordinator of the project's agreement or an admin moves alone. The pure
//! rule deciding whether a move happens now is [`decide_move`].

use chrono::{DateTime, Utc};

use super::projects::Project;
use crate::{DomainError, Message, PartyConsent, ProjectStatus};

/// One organisation named in a project, with its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectParty {
    pub organization_id: i64,
    pub consent: PartyConsent,
    /// Who accepted or declined for the organisation (the creator for the
    /// organisations they manage); `None` while invited, and for the
    /// parties of projects named before consent was asked.
    pub responded_by: Option<i64>,
    pub responded_at: Option<DateTime<Utc>>,
    /// Why the party declined, if it said.
    pub decline_reason: Option<String>,
}

/// A party's confirmation of one binding move of a project, still pending
/// (confirmations are cleared when the project moves).
#[derive(Debug, Clone, PartialEq)]
pub struct MoveConfirmation {
    pub organization_id: i64,
    /// The status the party confirmed moving to.
    pub to: ProjectStatus,
    pub confirmed_by: i64,
    pub confirmed_at: DateTime<Utc>,
    /// The reason given with a confirmation to terminate.
    pub reason: Option<String>,
}

/// What a call of a binding move does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveOutcome {
    /// The project moves now.
    Moves,
    /// The confirmations are recorded; these parties are still awaited.
    Waits { awaited: Vec<i64> },
}

impl Project {
    /// The parties whose answer is `consent`, ascending.
    pub fn parties_in(&self, consent: PartyConsent) -> Vec<i64> {
        self.parties
            .iter()
            .filter(|p| p.consent == consent)
            .map(|p| p.organization_id)
            .collect()
    }

    /// The parties whose members a caller may list or name (as checklist
    /// owners): those that accepted the project, and those the caller
    /// manages. An invited or declining party's people are its own: naming
    /// an organisation as a party must not tell who works there.
    pub fn parties_open_to(&self, manages: impl Fn(i64) -> bool) -> Vec<i64> {
        self.parties
            .iter()
            .filter(|p| p.consent == PartyConsent::Accepted || manages(p.organization_id))
            .map(|p| p.organization_id)
            .collect()
    }

    /// The parties that must confirm moving to `to`: every party to agree
    /// (all must have accepted first), the parties that accepted to
    /// complete or terminate (an invited or declined party is not bound).
    pub fn parties_bound_by(&self, to: ProjectStatus) -> Vec<i64> {
        match to {
            ProjectStatus::Agreed => self.party_ids.clone(),
            _ => self.parties_in(PartyConsent::Accepted),
        }
    }

    /// The parties that confirmed moving to `to` (a confirmation of another
    /// move does not count).
    pub fn confirmed_for(&self, to: ProjectStatus) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .confirmations
            .iter()
            .filter(|c| c.to == to)
            .map(|c| c.organization_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The parties still awaited for moving to `to`.
    pub fn awaited_for(&self, to: ProjectStatus) -> Vec<i64> {
        let confirmed = self.confirmed_for(to);
        self.parties_bound_by(to)
            .into_iter()
            .filter(|org| !confirmed.contains(org))
            .collect()
    }
}

/// Whether moving `project` to `to` happens now, when the parties
/// `confirming` confirm it with this call (`alone`: a coordinator of the
/// project's agreement or an admin, who moves without the parties).
///
/// - A move that is not binding (start) happens at once.
/// - Agreeing needs every invitation ACCEPTED: a declined party blocks it
///   while it is named, and one still invited is awaited (a coordinator
///   cannot agree for it).
/// - Otherwise the move happens when every party bound by it
///   ([`Project::parties_bound_by`]) confirmed it, now or before.
pub fn decide_move(
    project: &Project,
    to: ProjectStatus,
    confirming: &[i64],
    alone: bool,
) -> Result<MoveOutcome, DomainError> {
    if !to.is_binding() {
        return Ok(MoveOutcome::Moves);
    }
    if to == ProjectStatus::Agreed {
        if !project.parties_in(PartyConsent::Declined).is_empty() {
            return Err(DomainError::keyed(
                "id",
                Message::new("project.consent.party_declined"),
            ));
        }
        if alone && !project.parties_in(PartyConsent::Invited).is_empty() {
            return Err(DomainError::keyed(
                "id",
                Message::new("project.consent.invitations_open"),
            ));
        }
    }
    if alone {
        return Ok(MoveOutcome::Moves);
    }
    let awaited: Vec<i64> = project
        .awaited_for(to)
        .into_iter()
        .filter(|org| !confirming.contains(org))
        .collect();
    if awaited.is_empty() {
        Ok(MoveOutcome::Moves)
    } else {
        Ok(MoveOutcome::Waits { awaited })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(org: i64, consent: PartyConsent) -> ProjectParty {
        ProjectParty {
            organization_id: org,
            consent,
            responded_by: None,
            responded_at: None,
            decline_reason: None,
        }
    }

    fn project(status: ProjectStatus, parties: &[(i64, PartyConsent)]) -> Project {
        let ids: Vec<i64> = parties.iter().map(|(o, _)| *o).collect();
        let mut p = crate::records::examples::project(status, &ids);
        p.parties = parties.iter().map(|(o, c)| party(*o, *c)).collect();
        p
    }

    fn confirm(p: &mut Project, org: i64, to: ProjectStatus) {
        p.confirmations.push(MoveConfirmation {
            organization_id: org,
            to,
            confirmed_by: 1,
            confirmed_at: Utc::now(),
            reason: None,
        });
    }

    use PartyConsent::{Accepted, Declined, Invited};
    use ProjectStatus::{Agreed, Completed, InProgress, Proposed, Terminated};

    #[test]
    fn agreeing_waits_for_the_last_party() {
        let mut p = project(Proposed, &[(10, Accepted), (20, Accepted), (30, Accepted)]);
        assert_eq!(
            decide_move(&p, Agreed, &[10], false),
            Ok(MoveOutcome::Waits {
                awaited: vec![20, 30]
            })
        );
        confirm(&mut p, 10, Agreed);
        confirm(&mut p, 30, Agreed);
        assert_eq!(
            decide_move(&p, Agreed, &[], false),
            Ok(MoveOutcome::Waits { awaited: vec![20] })
        );
        assert_eq!(
            decide_move(&p, Agreed, &[20], false),
            Ok(MoveOutcome::Moves)
        );
        // Confirming again changes nothing.
        assert_eq!(
            decide_move(&p, Agreed, &[10], false),
            Ok(MoveOutcome::Waits { awaited: vec![20] })
        );
    }

    #[test]
    fn a_confirmation_of_one_move_does_not_count_for_another() {
        let mut p = project(InProgress, &[(10, Accepted), (20, Accepted)]);
        confirm(&mut p, 20, Terminated);
        assert_eq!(
            decide_move(&p, Completed, &[10], false),
            Ok(MoveOutcome::Waits { awaited: vec![20] })
        );
        assert_eq!(
            decide_move(&p, Terminated, &[10], false),
            Ok(MoveOutcome::Moves)
        );
    }

    #[test]
    fn agreeing_needs_every_invitation_accepted() {
        let p = project(Proposed, &[(10, Accepted), (20, Invited)]);
        // The invited party is awaited; a coordinator cannot agree for it.
        assert_eq!(
            decide_move(&p, Agreed, &[10], false),
            Ok(MoveOutcome::Waits { awaited: vec![20] })
        );
        let open = decide_move(&p, Agreed, &[], true).unwrap_err();
        assert_eq!(
            open,
            DomainError::keyed("id", Message::new("project.consent.invitations_open"))
        );
        let declined = project(Proposed, &[(10, Accepted), (20, Declined)]);
        for alone in [false, true] {
            assert_eq!(
                decide_move(&declined, Agreed, &[10], alone).unwrap_err(),
                DomainError::keyed("id", Message::new("project.consent.party_declined"))
            );
        }
    }

    #[test]
    fn only_the_parties_that_accepted_are_bound_to_end_a_project() {
        // The creator side ends a project another party declined.
        let p = project(Proposed, &[(10, Accepted), (20, Declined), (30, Invited)]);
        assert_eq!(p.parties_bound_by(Terminated), vec![10]);
        assert_eq!(p.parties_bound_by(Agreed), vec![10, 20, 30]);
        assert_eq!(
            decide_move(&p, Terminated, &[10], false),
            Ok(MoveOutcome::Moves)
        );
    }

    #[test]
    fn a_coordinator_moves_alone_and_starting_binds_nobody() {
        let p = project(InProgress, &[(10, Accepted), (20, Accepted)]);
        assert_eq!(
            decide_move(&p, Completed, &[], true),
            Ok(MoveOutcome::Moves)
        );
        assert_eq!(
            decide_move(&p, Terminated, &[], true),
            Ok(MoveOutcome::Moves)
        );
        let agreed = project(Agreed, &[(10, Accepted), (20, Accepted)]);
        assert_eq!(
            decide_move(&agreed, InProgress, &[10], false),
            Ok(MoveOutcome::Moves)
        );
        assert!(!InProgress.is_binding() && !Proposed.is_binding());
        assert!(Agreed.is_binding() && Completed.is_binding() && Terminated.is_binding());
    }
}
