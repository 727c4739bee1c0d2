//! Docking: both sides of a match decide.
//!
//! A match is a (need, capability) pair. Its overall status keeps the need
//! side's steps (SUGGESTED → SHORTLISTED → CONTACTED) and ends ACCEPTED or
//! DECLINED; beside it each side — the need's organisation and the
//! capability's organisation — records its own decision:
//!
//! - SHORTLIST and CONTACT are the need side's steps, taken before it
//!   decides ([`MatchStatus::transition`]).
//! - The capability side accepts (by `acceptMatch` or `expressInterest`)
//!   from any open status; the need side accepts from SHORTLISTED or
//!   CONTACTED, or from SUGGESTED once the capability side has accepted
//!   (its interest is the contact).
//! - The match is ACCEPTED when both sides have accepted, not before.
//! - Either side declines while the match is open (also after accepting):
//!   the match is DECLINED for both, and the declining side is recorded.
//! - ACCEPTED and DECLINED are final; a side decides once.

use crate::policy::group_of;
use crate::{ConflictOfInterest, DomainError, MatchSide, MatchStatus, Message, SideDecision};

/// How `candidate_org` is related to `need_org` (`parent_of` walks the
/// organisation tree): the same organisation, another of the same group,
/// or none. A capability so related is not suggested as an external match
/// unless asked for; a talent so related is flagged.
pub fn conflict_of_interest(
    need_org: i64,
    candidate_org: i64,
    parent_of: impl Fn(i64) -> Option<i64>,
) -> Option<ConflictOfInterest> {
    if need_org == candidate_org {
        Some(ConflictOfInterest::SameOrganization)
    } else if group_of(need_org, &parent_of) == group_of(candidate_org, &parent_of) {
        Some(ConflictOfInterest::SameGroup)
    } else {
        None
    }
}

/// Where a match stands: its status and each side's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Docking {
    pub status: MatchStatus,
    pub need: Option<SideDecision>,
    pub capability: Option<SideDecision>,
}

impl Default for Docking {
    fn default() -> Self {
        Docking::suggested()
    }
}

impl Docking {
    /// A pair nobody has decided on.
    pub const fn suggested() -> Docking {
        Docking {
            status: MatchStatus::Suggested,
            need: None,
            capability: None,
        }
    }

    /// The decision of one side.
    pub fn decision(self, side: MatchSide) -> Option<SideDecision> {
        match side {
            MatchSide::Need => self.need,
            MatchSide::Capability => self.capability,
        }
    }

    fn with(mut self, side: MatchSide, decision: SideDecision) -> Docking {
        match side {
            MatchSide::Need => self.need = Some(decision),
            MatchSide::Capability => self.capability = Some(decision),
        }
        self
    }

    /// The sides that still have to decide: none once the match is
    /// ACCEPTED or DECLINED.
    pub fn waiting_for(self) -> Vec<MatchSide> {
        if self.status.is_decided() {
            return Vec::new();
        }
        MatchSide::ALL
            .iter()
            .copied()
            .filter(|side| self.decision(*side).is_none())
            .collect()
    }

    /// The side that declined, for a DECLINED match.
    pub fn declined_by(self) -> Option<MatchSide> {
        MatchSide::ALL
            .iter()
            .copied()
            .find(|side| self.decision(*side) == Some(SideDecision::Declined))
    }

    /// `side` moves the match to `to` (SHORTLISTED, CONTACTED, ACCEPTED,
    /// DECLINED): the new state, or why not (see the module's rules).
    pub fn step(self, side: MatchSide, to: MatchStatus) -> Result<Docking, DomainError> {
        use MatchStatus::*;
        if self.status.is_decided() || to == Suggested {
            // The life cycle's own refusal (final states, no way back).
            self.status.transition(to)?;
            return Err(illegal(self.status, to));
        }
        match (to, side) {
            (Shortlisted | Contacted, MatchSide::Capability) => Err(DomainError::keyed(
                "id",
                Message::new("match.side.need_steps_only"),
            )),
            (Shortlisted | Contacted, MatchSide::Need) => {
                if self.need.is_some() {
                    return Err(already(side));
                }
                Ok(Docking {
                    status: self.status.transition(to)?,
                    ..self
                })
            }
            (Accepted, _) => {
                if self.decision(side).is_some() {
                    return Err(already(side));
                }
                let other = match side {
                    MatchSide::Need => self.capability,
                    MatchSide::Capability => self.need,
                };
                let other_accepted = other == Some(SideDecision::Accepted);
                if side == MatchSide::Need && !other_accepted {
                    // Shortlist or contact first, unless the research side
                    // has already said yes.
                    self.status.transition(Accepted)?;
                }
                let next = self.with(side, SideDecision::Accepted);
                Ok(Docking {
                    status: if other_accepted {
                        Accepted
                    } else {
                        self.status
                    },
                    ..next
                })
            }
            (Declined, _) => {
                let next = self.with(side, SideDecision::Declined);
                Ok(Docking {
                    status: Declined,
                    ..next
                })
            }
            (Suggested, _) => Err(illegal(self.status, to)),
        }
    }

    /// The steps `side` may take now, in life-cycle order.
    pub fn next_steps(self, side: MatchSide) -> Vec<MatchStatus> {
        use MatchStatus::*;
        [Shortlisted, Contacted, Accepted, Declined]
            .into_iter()
            .filter(|to| self.step(side, *to).is_ok())
            .collect()
    }
}

fn illegal(from: MatchStatus, to: MatchStatus) -> DomainError {
    DomainError::IllegalTransition {
        entity: "match",
        from: from.as_str(),
        to: to.as_str(),
    }
}

fn already(side: MatchSide) -> DomainError {
    DomainError::keyed(
        "id",
        Message::new("match.side.already_decided").with("side", side),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use MatchSide::{Capability, Need};
    use MatchStatus::*;

    fn run(steps: &[(MatchSide, MatchStatus)]) -> Result<Docking, DomainError> {
        steps
            .iter()
            .try_fold(Docking::suggested(), |d, (side, to)| d.step(*side, *to))
    }

    #[test]
    fn the_same_organisation_and_group_are_conflicts() {
        let parents = std::collections::HashMap::from([(2, 1), (3, 1), (4, 3), (6, 5)]);
        let parent = |id| parents.get(&id).copied();
        assert_eq!(
            conflict_of_interest(2, 2, parent),
            Some(ConflictOfInterest::SameOrganization)
        );
        assert_eq!(
            conflict_of_interest(2, 4, parent),
            Some(ConflictOfInterest::SameGroup)
        );
        assert_eq!(
            conflict_of_interest(1, 4, parent),
            Some(ConflictOfInterest::SameGroup)
        );
        assert_eq!(conflict_of_interest(2, 6, parent), None);
    }

    #[test]
    fn accepted_only_when_both_sides_accepted() {
        let d = run(&[(Need, Shortlisted), (Need, Accepted)]).unwrap();
        assert_eq!(d.status, Shortlisted);
        assert_eq!(d.need, Some(SideDecision::Accepted));
        assert_eq!(d.waiting_for(), vec![Capability]);
        let d = d.step(Capability, Accepted).unwrap();
        assert_eq!(d.status, Accepted);
        assert!(d.waiting_for().is_empty());

        let d = run(&[(Capability, Accepted)]).unwrap();
        assert_eq!(d.status, Suggested);
        assert_eq!(d.waiting_for(), vec![Need]);
        // The research side's yes lets the need side accept at once.
        assert_eq!(d.step(Need, Accepted).unwrap().status, Accepted);
    }

    #[test]
    fn the_need_side_shortlists_or_contacts_before_accepting_alone() {
        assert!(run(&[(Need, Accepted)]).is_err());
        assert!(run(&[(Need, Contacted), (Need, Accepted)]).is_ok());
        assert!(run(&[(Capability, Shortlisted)]).is_err());
        assert!(run(&[(Capability, Contacted)]).is_err());
        // No more steps once the need side has decided.
        assert!(run(&[(Need, Shortlisted), (Need, Accepted), (Need, Contacted)]).is_err());
    }

    #[test]
    fn either_side_declines_for_both_and_is_recorded() {
        for side in [Need, Capability] {
            let d = run(&[(side, Declined)]).unwrap();
            assert_eq!(d.status, Declined);
            assert_eq!(d.declined_by(), Some(side));
            assert!(d.waiting_for().is_empty());
            assert!(d.next_steps(Need).is_empty() && d.next_steps(Capability).is_empty());
        }
        // A side that accepted may still decline while the other has not.
        let d = run(&[(Capability, Accepted), (Capability, Declined)]).unwrap();
        assert_eq!(d.declined_by(), Some(Capability));
    }

    #[test]
    fn final_states_and_double_decisions_are_refused() {
        let accepted = run(&[(Capability, Accepted), (Need, Accepted)]).unwrap();
        for side in [Need, Capability] {
            for to in [Shortlisted, Contacted, Accepted, Declined, Suggested] {
                assert!(accepted.step(side, to).is_err(), "{side} {to}");
            }
        }
        assert!(run(&[(Capability, Accepted), (Capability, Accepted)]).is_err());
        assert_eq!(
            Docking::suggested().next_steps(Capability),
            vec![Accepted, Declined]
        );
        assert_eq!(
            Docking::suggested().next_steps(Need),
            vec![Shortlisted, Contacted, Declined]
        );
    }
}
