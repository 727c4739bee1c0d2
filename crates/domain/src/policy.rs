//! Who may see and who may change what: the access rules of iurhub as pure
//! functions of the reader's [`Scope`] (or role) and the record. The record
//! methods (`Need::visible_to`, …) and the API call these; the store's list
//! queries express the same visibility rules in SQL, and a store test checks
//! that both forms agree.

use crate::records::activities::Activity;
use crate::records::agreements::{Agreement, AgreementActor};
use crate::records::capabilities::Capability;
use crate::records::instruments::Instrument;
use crate::records::needs::Need;
use crate::records::projects::Project;
use crate::records::scope::Scope;
use crate::records::talents::Talent;
use crate::records::threads::ThreadParties;
use crate::{
    CapabilityStatus, FieldError, Message, NeedStatus, PlatformRole, ProjectArea, Visibility,
};

/// Whether a reader with `scope` may change the objects of
/// `organization_id`: admins ([`Scope::All`]) everywhere, others in the
/// organisations they are a member of and every organisation below those
/// they administer (ORG_ADMIN) or coordinate (a COORDINATOR grant); the
/// store computes that list. Supervising gives no right to change.
pub fn may_manage(scope: &Scope, organization_id: i64) -> bool {
    scope.manages(organization_id)
}

/// Whether the reader coordinates the agreement `agreement_id` (an
/// agreement COORDINATOR grant, or an admin): filed under an agreement the
/// reader coordinates, a need, project or activity is the reader's to see
/// and (but for a need's text) to change as a party's member does. Work
/// filed under no agreement is nobody's by this rule.
pub fn coordinates_agreement(scope: &Scope, agreement_id: Option<i64>) -> bool {
    scope.coordinates(agreement_id)
}

/// Whether every signed-in user may see a need in `status` with
/// `visibility`: released (neither a draft nor withdrawn) and PUBLIC or
/// PLATFORM. These are the shared documents of the search index.
pub fn need_is_shared(status: NeedStatus, visibility: Visibility) -> bool {
    status.is_released() && visibility.is_shared()
}

/// Who sees a need: its organisation's managers (with the coordinators
/// whose scope includes it) and the coordinators of the agreement it is
/// filed under always (CONFIDENTIAL ones and drafts too); anyone else only
/// once it is released (neither a draft nor withdrawn), and then everybody
/// if it is PUBLIC, signed-in users if it is PLATFORM, nobody if it is
/// CONFIDENTIAL.
pub fn may_see_need(scope: &Scope, need: &Need) -> bool {
    if may_manage(scope, need.organization_id) || coordinates_agreement(scope, need.agreement_id) {
        return true;
    }
    need.status.is_released()
        && match need.visibility {
            Visibility::Public => true,
            Visibility::Platform => scope.signed_in(),
            Visibility::Confidential => false,
        }
}

/// Who looks after a pair of the opportunity queue (sees it there and
/// hands it to a broker): who manages the need's organisation or
/// coordinates the agreement it is filed under, and who manages the
/// capability's organisation while the need is theirs to see.
pub fn may_broker_pair(scope: &Scope, need: &Need, capability: &Capability) -> bool {
    may_manage(scope, need.organization_id)
        || coordinates_agreement(scope, need.agreement_id)
        || (may_manage(scope, capability.organization_id) && may_see_need(scope, need))
}

/// To whom an assigner with `scope` may hand a pair: admins to anyone,
/// others to the people of the organisations they manage (whoever manages
/// one of them, `broker_managed_ids` being the broker's). Whether the broker
/// may see the pair is checked apart.
pub fn may_assign_to(scope: &Scope, broker_managed_ids: &[i64]) -> bool {
    match scope {
        Scope::All => true,
        Scope::Reader { .. } => broker_managed_ids.iter().any(|id| scope.manages(*id)),
    }
}

/// Whether every signed-in user may see a capability in `status`
/// (published): the shared documents of the search index.
pub fn capability_is_shared(status: CapabilityStatus) -> bool {
    status == CapabilityStatus::Published
}

/// Who sees a capability: everybody once it is published; drafts and
/// archived ones only its organisation's managers and coordinators.
pub fn may_see_capability(scope: &Scope, capability: &Capability) -> bool {
    capability.status == CapabilityStatus::Published
        || may_manage(scope, capability.organization_id)
}

/// Who sees a talent profile: every signed-in user (anonymous readers see
/// none; the API asks them to sign in).
pub fn may_see_talent(scope: &Scope, _talent: &Talent) -> bool {
    scope.signed_in()
}

/// Who sees a project: admins every project (even one left without
/// parties), others those one of whose parties they manage (as members,
/// ORG_ADMINs above it or coordinators in scope) or supervise, and the
/// coordinators of the agreement it is filed under.
pub fn may_see_project(scope: &Scope, project: &Project) -> bool {
    matches!(scope, Scope::All)
        || project.party_ids.iter().any(|org| scope.oversees(*org))
        || coordinates_agreement(scope, project.agreement_id)
}

/// Who sees a conversation (a match's or a project's thread), reads and
/// writes in it and downloads its attachments: admins, the managers of one
/// of its parties (members, ORG_ADMINs above it, coordinators whose scope
/// includes it) and the coordinators of the agreement its subject is filed
/// under. A match's parties are its need's and its capability's
/// organisations, so both sides of the match talk in it — once the
/// capability's side reads the need (it is shared, or disclosed to that
/// side; [`ThreadParties::need_side_only`]). Supervisors
/// read projects, not the parties' conversations.
pub fn may_see_thread(scope: &Scope, parties: &ThreadParties) -> bool {
    let party = match parties.need_side_only {
        Some(need_org) => scope.manages(need_org),
        None => parties.party_ids.iter().any(|org| scope.manages(*org)),
    };
    matches!(scope, Scope::All) || party || coordinates_agreement(scope, parties.agreement_id)
}

/// Who changes a project (its fields, life cycle, checklist, milestones):
/// the managers of one of its parties (members, ORG_ADMINs above it,
/// coordinators whose scope includes it) and the coordinators of the
/// agreement it is filed under. Supervising gives no right to change.
pub fn may_edit_project(scope: &Scope, project: &Project) -> bool {
    project.party_ids.iter().any(|org| scope.manages(*org))
        || coordinates_agreement(scope, project.agreement_id)
}

/// The parties of `project` a user who manages `managed_org_ids` (the
/// organisations they are a member of, with every organisation below those
/// they administer or coordinate) answers the invitation for: those still
/// INVITED, while the project is open. Consent is the organisation's own: an admin answers for none
/// but their own organisations.
pub fn project_invitations_answered_by(managed_org_ids: &[i64], project: &Project) -> Vec<i64> {
    if project.status.is_final() {
        return Vec::new();
    }
    project
        .parties
        .iter()
        .filter(|p| p.consent == crate::PartyConsent::Invited)
        .map(|p| p.organization_id)
        .filter(|org| managed_org_ids.contains(org))
        .collect()
}

/// The parties of `project` a user who manages `managed_org_ids` confirms
/// a binding move (agree, complete, terminate) for: the parties that
/// ACCEPTED among those they manage.
pub fn project_parties_confirmed_by(managed_org_ids: &[i64], project: &Project) -> Vec<i64> {
    project
        .parties
        .iter()
        .filter(|p| p.consent == crate::PartyConsent::Accepted)
        .map(|p| p.organization_id)
        .filter(|org| managed_org_ids.contains(org))
        .collect()
}

/// Who makes a binding move of a project without the parties'
/// confirmations: an admin, and the coordinators of the agreement the
/// project is filed under (the broker between the parties). A coordinator
/// whose organisation scope covers every party confirms for each of them
/// ([`project_parties_confirmed_by`]), which comes to the same.
pub fn moves_project_alone(scope: &Scope, project: &Project) -> bool {
    matches!(scope, Scope::All) || coordinates_agreement(scope, project.agreement_id)
}

/// Who sees a framework agreement: members of a party organisation (and
/// ORG_ADMINs of an organisation above one, coordinators whose scope
/// includes one, as [`Scope`] computes), supervisors whose scope includes
/// one, its own coordinators (an agreement COORDINATOR grant), and admins
/// ([`Scope::All`]). To anyone else it does not exist.
pub fn may_see_agreement(scope: &Scope, agreement: &Agreement) -> bool {
    matches!(scope, Scope::All)
        || coordinates_agreement(scope, Some(agreement.id))
        || agreement
            .parties
            .iter()
            .any(|p| scope.oversees(p.organization_id))
}

/// Who edits an agreement (its draft's terms, parties, the people
/// responsible, its plans): a platform ADMIN, a manager (member, or
/// ORG_ADMIN above, or a coordinator whose scope includes it) of one of its
/// parties, or its own coordinator (an agreement COORDINATOR grant). The
/// platform role COORDINATOR alone edits none.
pub fn may_edit_agreement(actor: AgreementActor<'_>, agreement: &Agreement) -> bool {
    actor.platform_role == Some(PlatformRole::Admin)
        || actor.coordinated_agreement_ids.contains(&agreement.id)
        || agreement
            .parties
            .iter()
            .any(|p| actor.managed_org_ids.contains(&p.organization_id))
}

/// Who creates an agreement between `party_ids`: a platform ADMIN, or a
/// manager of one of the parties.
pub fn may_create_agreement(actor: AgreementActor<'_>, party_ids: &[i64]) -> bool {
    actor.platform_role == Some(PlatformRole::Admin)
        || party_ids.iter().any(|o| actor.managed_org_ids.contains(o))
}

/// The parties of `agreement` the actor confirms (signs) for: every party
/// for a platform ADMIN, otherwise those it administers (ORG_ADMIN of the
/// party or of an organisation above it). Activation needs every party.
pub fn agreement_parties_confirmed_by(
    actor: AgreementActor<'_>,
    agreement: &Agreement,
) -> Vec<i64> {
    agreement
        .parties
        .iter()
        .map(|p| p.organization_id)
        .filter(|org| may_administer(actor.platform_role, actor.administered_org_ids, *org))
        .collect()
}

/// Who terminates an agreement: a platform ADMIN or an ORG_ADMIN of one of
/// its parties (any party may end the cooperation). Its coordinators do
/// not.
pub fn may_terminate_agreement(actor: AgreementActor<'_>, agreement: &Agreement) -> bool {
    !agreement_parties_confirmed_by(actor, agreement).is_empty()
}

/// Who grants and revokes the coordinators of an agreement: those who
/// confirm for one of its parties ([`agreement_parties_confirmed_by`]): a
/// platform ADMIN, or an ORG_ADMIN of a party or of an organisation above
/// one. A coordinator appoints no other.
pub fn may_grant_agreement_coordinators(actor: AgreementActor<'_>, agreement: &Agreement) -> bool {
    !agreement_parties_confirmed_by(actor, agreement).is_empty()
}

/// Who links a project or need to an agreement (besides managing that
/// object): a platform ADMIN, or a manager of one of the agreement's
/// parties — an organisation that is not a party cannot file its work
/// under another's agreement.
pub fn may_link_to_agreement(actor: AgreementActor<'_>, agreement: &Agreement) -> bool {
    may_edit_agreement(actor, agreement)
}

/// Who sees a cooperation activity: managers of an organisation involved
/// (members, ORG_ADMINs above it, coordinators whose scope includes it),
/// supervisors whose scope includes one, the coordinators of the agreement
/// it is filed under, and admins ([`Scope::All`]). To anyone else it does
/// not exist.
pub fn may_see_activity(scope: &Scope, activity: &Activity) -> bool {
    matches!(scope, Scope::All)
        || coordinates_agreement(scope, activity.agreement_id)
        || activity
            .organization_ids
            .iter()
            .any(|org| scope.oversees(*org))
}

/// Who records an activity involving `organization_ids` (the host
/// included) filed under `agreement_id`, or edits, moves and staffs one: an
/// admin, a manager of one of the organisations involved, or a coordinator
/// of the agreement. Supervising gives no right to change.
pub fn may_record_activity(
    scope: &Scope,
    organization_ids: &[i64],
    agreement_id: Option<i64>,
) -> bool {
    matches!(scope, Scope::All)
        || organization_ids.iter().any(|org| scope.manages(*org))
        || coordinates_agreement(scope, agreement_id)
}

/// Who edits, moves and staffs an existing activity
/// ([`may_record_activity`] over its organisations and agreement).
pub fn may_edit_activity(scope: &Scope, activity: &Activity) -> bool {
    may_record_activity(scope, &activity.organization_ids, activity.agreement_id)
}

/// Whether an activity of `area` involving `organization_ids` fits under
/// `agreement` (the caller's right to link to it is
/// [`may_link_to_agreement`]): the agreement covers the area, and every
/// organisation involved is a party or below one — `under_parties` are the
/// parties with every organisation below them, as the store computes them.
/// The problems, each on the field it concerns (none: it fits).
pub fn activity_fits_agreement(
    agreement: &Agreement,
    area: ProjectArea,
    organization_ids: &[i64],
    under_parties: &[i64],
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if !agreement.areas.contains(&area) {
        problems.push(FieldError::keyed(
            "agreementId",
            Message::new("activity.agreement.area_not_covered").with("area", area),
        ));
    }
    if organization_ids
        .iter()
        .any(|org| !under_parties.contains(org))
    {
        problems.push(FieldError::keyed(
            "organizationIds",
            Message::new("activity.agreement.not_a_party"),
        ));
    }
    problems
}

/// Who decides on a need's matches (shortlist, contact, accept, decline):
/// the managers of the need's organisation, coordinators (of it, or of the
/// agreement the need is filed under) and admins. An agreement's
/// coordinator decides on a need's matches but does not edit the need.
pub fn decides_matches_of(scope: &Scope, need: &Need) -> bool {
    may_manage(scope, need.organization_id) || coordinates_agreement(scope, need.agreement_id)
}

/// Who writes a need's teaser and grants or revokes its disclosures: the
/// managers of the need's organisation (and admins). Disclosing the text is
/// the owner's decision; an agreement's coordinator, who reads the need,
/// does not take it.
pub fn may_disclose(scope: &Scope, need: &Need) -> bool {
    may_manage(scope, need.organization_id)
}

/// Who sees a need's disclosures and their log: those who decide on its
/// matches ([`decides_matches_of`]).
pub fn oversees_disclosures(scope: &Scope, need: &Need) -> bool {
    decides_matches_of(scope, need)
}

/// Who accepts the non-disclosure agreement of a disclosure to
/// `organization_id`: a manager of that organisation. A platform admin does
/// not accept on an organisation's behalf.
pub fn may_accept_disclosure(scope: &Scope, organization_id: i64) -> bool {
    matches!(scope, Scope::Reader { .. }) && may_manage(scope, organization_id)
}

/// Who sees a disclosure of `need` to `organization_id`: those who oversee
/// the need's disclosures and the receiving organisation's managers (who
/// see the teaser until they accept).
pub fn may_see_disclosure(scope: &Scope, need: &Need, organization_id: i64) -> bool {
    oversees_disclosures(scope, need) || may_manage(scope, organization_id)
}

/// Whether a reader who may not see `need` by [`may_see_need`] reads it
/// through a disclosure in force to an organisation they manage: a released
/// CONFIDENTIAL need, disclosed to one of `in_force` (the receiving
/// organisations of the need's accepted disclosures). Every such read is
/// logged.
pub fn reads_by_disclosure(scope: &Scope, need: &Need, in_force: &[i64]) -> bool {
    need.visibility == Visibility::Confidential
        && need.status.is_released()
        && matches!(
            scope,
            Scope::Reader {
                signed_in: true,
                ..
            }
        )
        && in_force.iter().any(|org| may_manage(scope, *org))
        && !may_see_need(scope, need)
}

/// Whether a reader may see, from a capability's side, the matches of
/// `need` at least blind: the need itself ([`may_see_need`]), or a released
/// CONFIDENTIAL need for any signed-in reader, who is then shown its teaser
/// and the score only. The application layer adds what a blind match also
/// needs — a teaser written by the need's owner, a pair the matching ranked
/// or a side decided on — and shows the need in full through a disclosure
/// in force (`iurhub_app::matching::need_sight`).
pub fn may_see_match_of(scope: &Scope, need: &Need) -> bool {
    may_see_need(scope, need)
        || (need.visibility == Visibility::Confidential
            && need.status.is_released()
            && scope.signed_in())
}

/// Who decides for the capability side of a match (accepts, declines,
/// expresses interest): the managers of the capability's organisation
/// (members, ORG_ADMINs above it, coordinators whose scope includes it) and
/// admins. Whether they may see the match at all also depends on its need:
/// [`may_see_match_of`] and the application layer's `matching::need_sight`.
pub fn decides_for_capability(scope: &Scope, capability: &Capability) -> bool {
    may_manage(scope, capability.organization_id)
}

/// The top of an organisation's tree (its group): follows `parent_of`
/// upwards; an organisation without a parent is its own group. A loop
/// (never stored) ends where it closes.
pub fn group_of(organization_id: i64, parent_of: &impl Fn(i64) -> Option<i64>) -> i64 {
    *chain_of(organization_id, parent_of)
        .last()
        .unwrap_or(&organization_id)
}

/// An organisation and every one above it, nearest first (following
/// `parent_of`; a loop, never stored, ends where it closes).
pub fn chain_of(organization_id: i64, parent_of: &impl Fn(i64) -> Option<i64>) -> Vec<i64> {
    let mut chain = vec![organization_id];
    while let Some(parent) = parent_of(*chain.last().unwrap_or(&organization_id)) {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent);
    }
    chain
}

/// Whether a user may administer `organization_id` (add members, run its
/// instruments): a platform ADMIN, or an ORG_ADMIN of it or of an
/// organisation above it. `administered_org_ids` are the organisations the
/// user is ORG_ADMIN of, with all their descendants (as the store computes
/// them). A COORDINATOR administers nothing by that role alone.
pub fn may_administer(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    organization_id: i64,
) -> bool {
    platform_role == Some(PlatformRole::Admin) || administered_org_ids.contains(&organization_id)
}

/// Whether a user may change anything at all: everyone but a supervisor
/// (a user with an active SUPERVISOR grant), unless they are a platform
/// ADMIN. A supervisor's account is for reading: the figures and the
/// projects in scope, never a write, whatever else the account holds.
pub fn may_write(platform_role: Option<PlatformRole>, supervises: bool) -> bool {
    platform_role == Some(PlatformRole::Admin) || !supervises
}

/// Who may grant and revoke scoped roles (COORDINATOR, SUPERVISOR) over
/// `organization_id` and its descendants: a platform ADMIN, or an ORG_ADMIN
/// of it or of an organisation above it ([`may_administer`]).
pub fn may_grant_roles_over(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    organization_id: i64,
) -> bool {
    may_administer(platform_role, administered_org_ids, organization_id)
}

/// Testing-center staff of an instrument (who edits and retires it, blocks
/// maintenance, grants qualifications and approves, rejects and completes
/// its bookings): a platform ADMIN, or an ORG_ADMIN of the owning
/// organisation or of an organisation above it. Coordinators and plain
/// members are not staff.
pub fn staffs_instrument(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    instrument: &Instrument,
) -> bool {
    may_administer(
        platform_role,
        administered_org_ids,
        instrument.organization_id,
    )
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::{InstrumentStatus, ProjectStatus};

    const OWNER: i64 = 10;
    const OTHER: i64 = 20;

    fn anonymous() -> Scope {
        Scope::ANONYMOUS
    }
    fn stranger() -> Scope {
        Scope::member_of(vec![OTHER])
    }
    fn member() -> Scope {
        Scope::member_of(vec![OTHER, OWNER])
    }
    fn supervisor() -> Scope {
        Scope::Reader {
            signed_in: true,
            organization_ids: vec![OTHER],
            supervised_ids: vec![OWNER],
            coordinated_agreement_ids: Vec::new(),
        }
    }
    /// The coordinator of agreement `AGREEMENT` alone (no organisation).
    fn agreement_coordinator() -> Scope {
        Scope::Reader {
            signed_in: true,
            organization_ids: vec![OTHER],
            supervised_ids: Vec::new(),
            coordinated_agreement_ids: vec![AGREEMENT],
        }
    }
    const AGREEMENT: i64 = 7;

    #[test]
    fn threads_are_seen_by_either_party_and_the_agreement_coordinators() {
        const CAPABILITY_SIDE: i64 = 30;
        let parties = ThreadParties {
            party_ids: vec![OWNER, CAPABILITY_SIDE],
            agreement_id: Some(AGREEMENT),
            need_side_only: None,
        };
        assert!(may_see_thread(&Scope::All, &parties));
        assert!(may_see_thread(&member(), &parties));
        assert!(may_see_thread(
            &Scope::member_of(vec![CAPABILITY_SIDE]),
            &parties
        ));
        assert!(may_see_thread(&agreement_coordinator(), &parties));
        assert!(!may_see_thread(&stranger(), &parties));
        assert!(!may_see_thread(&anonymous(), &parties));
        // Supervising a party shows its projects, not its conversations.
        assert!(!may_see_thread(&supervisor(), &parties));
        let unfiled = ThreadParties {
            agreement_id: None,
            ..parties.clone()
        };
        assert!(!may_see_thread(&agreement_coordinator(), &unfiled));
        // A confidential need nobody decided on: its side alone (and its
        // agreement's coordinators, admins).
        let blind = ThreadParties {
            need_side_only: Some(OWNER),
            ..parties
        };
        assert!(may_see_thread(&member(), &blind));
        assert!(!may_see_thread(
            &Scope::member_of(vec![CAPABILITY_SIDE]),
            &blind
        ));
        assert!(may_see_thread(&agreement_coordinator(), &blind));
        assert!(may_see_thread(&Scope::All, &blind));
    }

    fn need(status: NeedStatus, visibility: Visibility) -> Need {
        crate::records::examples::need(OWNER, status, visibility)
    }

    fn capability(status: CapabilityStatus) -> Capability {
        Capability {
            id: 1,
            organization_id: OWNER,
            created_by: 1,
            title: String::new(),
            summary: String::new(),
            keywords: Vec::new(),
            trl: None,
            achievements: Vec::new(),
            status,
            version: 1,
            published_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            confirmed_at: Utc::now(),
        }
    }

    fn talent() -> Talent {
        Talent {
            id: 1,
            organization_id: OWNER,
            user_id: None,
            name: String::new(),
            title: None,
            bio: String::new(),
            keywords: Vec::new(),
            availability: Vec::new(),
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn project(party_ids: Vec<i64>) -> Project {
        crate::records::examples::project(ProjectStatus::ALL[0], &party_ids)
    }

    fn instrument() -> Instrument {
        Instrument {
            id: 1,
            organization_id: OWNER,
            name: String::new(),
            model: String::new(),
            category: String::new(),
            location: String::new(),
            rate_internal_cents: 0,
            rate_group_cents: 0,
            rate_external_cents: 0,
            requires_qualification: false,
            status: InstrumentStatus::ALL[0],
            description: String::new(),
            center_id: 1,
            original_value_cents: None,
            purchase_date: None,
            registration_number: String::new(),
            public: false,
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn managers_and_staff_see_every_need() {
        for status in NeedStatus::ALL {
            for visibility in Visibility::ALL {
                let n = need(*status, *visibility);
                assert!(may_see_need(&Scope::All, &n), "{status:?} {visibility:?}");
                assert!(may_see_need(&member(), &n), "{status:?} {visibility:?}");
            }
        }
    }

    #[test]
    fn outsiders_see_released_needs_as_far_as_their_visibility_allows() {
        for status in NeedStatus::ALL {
            let released = !matches!(status, NeedStatus::Draft | NeedStatus::Withdrawn);
            let n = |v| need(*status, v);
            assert_eq!(may_see_need(&anonymous(), &n(Visibility::Public)), released);
            assert!(!may_see_need(&anonymous(), &n(Visibility::Platform)));
            assert!(!may_see_need(&anonymous(), &n(Visibility::Confidential)));
            assert_eq!(may_see_need(&stranger(), &n(Visibility::Public)), released);
            assert_eq!(
                may_see_need(&stranger(), &n(Visibility::Platform)),
                released
            );
            assert!(!may_see_need(&stranger(), &n(Visibility::Confidential)));
        }
    }

    #[test]
    fn a_shared_need_is_what_a_signed_in_stranger_sees() {
        for status in NeedStatus::ALL {
            for visibility in Visibility::ALL {
                assert_eq!(
                    need_is_shared(*status, *visibility),
                    may_see_need(&stranger(), &need(*status, *visibility)),
                    "{status:?} {visibility:?}"
                );
            }
        }
    }

    #[test]
    fn published_capabilities_are_public_the_rest_is_the_owners() {
        for status in CapabilityStatus::ALL {
            let c = capability(*status);
            let published = *status == CapabilityStatus::Published;
            assert_eq!(may_see_capability(&anonymous(), &c), published);
            assert_eq!(may_see_capability(&stranger(), &c), published);
            assert!(may_see_capability(&member(), &c));
            assert!(may_see_capability(&Scope::All, &c));
            assert_eq!(capability_is_shared(*status), published);
            assert_eq!(
                capability_is_shared(*status),
                may_see_capability(&stranger(), &c)
            );
        }
    }

    #[test]
    fn talents_are_for_signed_in_users() {
        assert!(!may_see_talent(&anonymous(), &talent()));
        assert!(may_see_talent(&stranger(), &talent()));
        assert!(may_see_talent(&member(), &talent()));
        assert!(may_see_talent(&Scope::All, &talent()));
    }

    #[test]
    fn projects_are_their_parties_and_the_coordinators() {
        let p = project(vec![OWNER, 30]);
        assert!(!may_see_project(&anonymous(), &p));
        assert!(!may_see_project(&stranger(), &p));
        assert!(may_see_project(&member(), &p));
        assert!(may_see_project(&Scope::All, &p));
        // A project of nobody's is the coordinators' alone.
        assert!(!may_see_project(&member(), &project(Vec::new())));
        assert!(may_see_project(&Scope::All, &project(Vec::new())));
    }

    #[test]
    fn supervisors_see_projects_in_scope_and_manage_nothing_there() {
        let p = project(vec![OWNER, 30]);
        assert!(may_see_project(&supervisor(), &p));
        assert!(!may_see_project(&supervisor(), &project(vec![30])));
        assert!(!may_manage(&supervisor(), OWNER));
        assert!(!decides_matches_of(
            &supervisor(),
            &need(NeedStatus::Published, Visibility::Public)
        ));
        // Non-confidential released needs, as any signed-in user; never a
        // confidential one or a draft of the organisations supervised.
        for status in NeedStatus::ALL {
            for visibility in Visibility::ALL {
                let n = need(*status, *visibility);
                assert_eq!(
                    may_see_need(&supervisor(), &n),
                    may_see_need(&stranger(), &n),
                    "{status:?} {visibility:?}"
                );
            }
        }
        assert!(!may_see_need(
            &supervisor(),
            &need(NeedStatus::Published, Visibility::Confidential)
        ));
    }

    #[test]
    fn a_group_is_the_top_of_the_organisation_tree() {
        let parents = std::collections::HashMap::from([(2, 1), (3, 2), (5, 4)]);
        let parent = |id| parents.get(&id).copied();
        assert_eq!(group_of(3, &parent), 1);
        assert_eq!(group_of(1, &parent), 1);
        assert_eq!(group_of(5, &parent), 4);
        assert_eq!(group_of(9, &parent), 9);
        let looped = std::collections::HashMap::from([(1, 2), (2, 1)]);
        assert_eq!(group_of(1, &|id| looped.get(&id).copied()), 2);
    }

    #[test]
    fn the_needs_organisation_and_the_coordinators_decide_on_its_matches() {
        let n = need(NeedStatus::Published, Visibility::Public);
        assert!(!decides_matches_of(&anonymous(), &n));
        // Seeing a need is not deciding on it.
        assert!(may_see_need(&stranger(), &n));
        assert!(!decides_matches_of(&stranger(), &n));
        assert!(decides_matches_of(&member(), &n));
        assert!(decides_matches_of(&Scope::All, &n));
    }

    #[test]
    fn a_confidential_need_is_read_through_a_disclosure_in_force_only() {
        let mut need = need(NeedStatus::Published, Visibility::Confidential);
        let lab = Scope::member_of(vec![7]);
        assert!(!may_see_need(&lab, &need));
        assert!(reads_by_disclosure(&lab, &need, &[7]));
        assert!(
            !reads_by_disclosure(&lab, &need, &[8]),
            "disclosed to another"
        );
        assert!(!reads_by_disclosure(&lab, &need, &[]), "none in force");
        assert!(!reads_by_disclosure(&anonymous(), &need, &[7]));
        // The owners read it anyway: not through a disclosure, not logged.
        assert!(!reads_by_disclosure(&member(), &need, &[1]));
        need.status = NeedStatus::Withdrawn;
        assert!(!reads_by_disclosure(&lab, &need, &[7]));
        let mut public = self::need(NeedStatus::Published, Visibility::Public);
        public.organization_id = 99;
        assert!(
            !reads_by_disclosure(&lab, &public, &[7]),
            "nothing to disclose"
        );
    }

    #[test]
    fn the_owner_discloses_the_receiver_accepts() {
        let need = need(NeedStatus::Published, Visibility::Confidential);
        let lab = Scope::member_of(vec![7]);
        assert!(may_disclose(&member(), &need));
        assert!(!may_disclose(&lab, &need));
        assert!(!may_disclose(&agreement_coordinator(), &need));
        assert!(may_accept_disclosure(&lab, 7));
        assert!(!may_accept_disclosure(&member(), 7));
        assert!(
            !may_accept_disclosure(&Scope::All, 7),
            "an admin does not sign for others"
        );
        assert!(may_see_disclosure(&lab, &need, 7));
        assert!(may_see_disclosure(&member(), &need, 7));
        assert!(!may_see_disclosure(&stranger(), &need, 7));
    }

    #[test]
    fn managing_is_the_scope_s_organisations() {
        assert!(!may_manage(&anonymous(), OWNER));
        assert!(!may_manage(&stranger(), OWNER));
        assert!(may_manage(&stranger(), OTHER));
        assert!(may_manage(&member(), OWNER));
        assert!(may_manage(&Scope::All, OWNER));
    }

    fn agreement(parties: &[i64]) -> Agreement {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Agreement {
            id: 1,
            title: String::new(),
            signed_on: None,
            term_start: day,
            term_end: day,
            status: crate::AgreementStatus::Draft,
            termination_reason: None,
            version: 1,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            areas: Vec::new(),
            parties: parties
                .iter()
                .map(|o| crate::records::agreements::AgreementParty {
                    organization_id: *o,
                    confirmed_by: None,
                    confirmed_at: None,
                    responsible_user_ids: Vec::new(),
                })
                .collect(),
        }
    }

    fn actor<'a>(
        role: Option<PlatformRole>,
        managed: &'a [i64],
        administered: &'a [i64],
    ) -> AgreementActor<'a> {
        AgreementActor {
            platform_role: role,
            managed_org_ids: managed,
            administered_org_ids: administered,
            coordinated_agreement_ids: &[],
        }
    }

    #[test]
    fn agreements_are_their_parties_and_the_staff_s_to_see() {
        let a = agreement(&[OWNER, 30]);
        assert!(!may_see_agreement(&anonymous(), &a));
        assert!(!may_see_agreement(&stranger(), &a));
        assert!(may_see_agreement(&member(), &a));
        assert!(may_see_agreement(&Scope::All, &a));
    }

    #[test]
    fn members_edit_org_admins_confirm_and_terminate_coordinators_only_read() {
        let a = agreement(&[OWNER, 30]);
        let member = actor(None, &[OWNER], &[]);
        let org_admin = actor(None, &[OWNER], &[OWNER]);
        let both = actor(None, &[OWNER, 30], &[OWNER, 30]);
        let outsider = actor(None, &[OTHER], &[OTHER]);
        let coordinator = actor(Some(PlatformRole::Coordinator), &[], &[]);
        let admin = actor(Some(PlatformRole::Admin), &[], &[]);
        assert!(may_edit_agreement(member, &a) && may_link_to_agreement(member, &a));
        assert!(!may_edit_agreement(outsider, &a) && !may_link_to_agreement(outsider, &a));
        assert!(!may_edit_agreement(coordinator, &a));
        assert!(may_edit_agreement(admin, &a));
        assert!(may_create_agreement(member, &[OWNER, OTHER]));
        assert!(!may_create_agreement(outsider, &[OWNER, 30]));
        assert!(!may_create_agreement(coordinator, &[OWNER, 30]));
        assert!(agreement_parties_confirmed_by(member, &a).is_empty());
        assert!(!may_terminate_agreement(member, &a));
        assert_eq!(agreement_parties_confirmed_by(org_admin, &a), vec![OWNER]);
        assert!(may_terminate_agreement(org_admin, &a));
        assert_eq!(agreement_parties_confirmed_by(both, &a), vec![OWNER, 30]);
        assert_eq!(agreement_parties_confirmed_by(admin, &a), vec![OWNER, 30]);
        assert!(agreement_parties_confirmed_by(coordinator, &a).is_empty());
    }

    #[test]
    fn an_agreement_s_coordinator_sees_and_edits_it_but_neither_confirms_nor_terminates() {
        let mut a = agreement(&[OWNER, 30]);
        a.id = AGREEMENT;
        let mut other = agreement(&[OWNER, 30]);
        other.id = AGREEMENT + 1;
        let coordinator = AgreementActor {
            coordinated_agreement_ids: &[AGREEMENT],
            ..actor(None, &[OTHER], &[])
        };
        assert!(may_see_agreement(&agreement_coordinator(), &a));
        assert!(!may_see_agreement(&agreement_coordinator(), &other));
        assert!(may_edit_agreement(coordinator, &a) && may_link_to_agreement(coordinator, &a));
        assert!(!may_edit_agreement(coordinator, &other));
        assert!(!may_link_to_agreement(coordinator, &other));
        assert!(agreement_parties_confirmed_by(coordinator, &a).is_empty());
        assert!(!may_terminate_agreement(coordinator, &a));
        // Who appoints coordinators: who confirms for a party.
        assert!(!may_grant_agreement_coordinators(coordinator, &a));
        assert!(!may_grant_agreement_coordinators(
            actor(None, &[OWNER], &[]),
            &a
        ));
        assert!(may_grant_agreement_coordinators(
            actor(None, &[OWNER], &[OWNER]),
            &a
        ));
        assert!(may_grant_agreement_coordinators(
            actor(Some(PlatformRole::Admin), &[], &[]),
            &a
        ));
        assert!(!may_grant_agreement_coordinators(
            actor(None, &[OTHER], &[OTHER]),
            &a
        ));
        assert!(!may_grant_agreement_coordinators(
            actor(Some(PlatformRole::Coordinator), &[], &[]),
            &a
        ));
    }

    #[test]
    fn an_agreement_s_coordinator_has_the_work_filed_under_it_and_nothing_else() {
        let c = agreement_coordinator();
        for status in NeedStatus::ALL {
            for visibility in Visibility::ALL {
                let mut filed = need(*status, *visibility);
                filed.agreement_id = Some(AGREEMENT);
                assert!(may_see_need(&c, &filed), "{status:?} {visibility:?}");
                assert!(decides_matches_of(&c, &filed));
                // Another agreement's, or none: as a stranger.
                let mut elsewhere = need(*status, *visibility);
                elsewhere.agreement_id = Some(AGREEMENT + 1);
                assert_eq!(
                    may_see_need(&c, &elsewhere),
                    may_see_need(&stranger(), &elsewhere)
                );
                assert!(!decides_matches_of(&c, &elsewhere));
                let unfiled = need(*status, *visibility);
                assert_eq!(
                    may_see_need(&c, &unfiled),
                    may_see_need(&stranger(), &unfiled)
                );
                assert!(!decides_matches_of(&c, &unfiled));
            }
        }
        // Deciding on a need's matches is not editing it.
        assert!(!may_manage(&c, OWNER));
        let mut p = project(vec![OWNER, 30]);
        assert!(!may_see_project(&c, &p) && !may_edit_project(&c, &p));
        p.agreement_id = Some(AGREEMENT + 1);
        assert!(!may_see_project(&c, &p) && !may_edit_project(&c, &p));
        p.agreement_id = Some(AGREEMENT);
        assert!(may_see_project(&c, &p) && may_edit_project(&c, &p));
        let mut a = activity(vec![OWNER, 30]);
        assert!(!may_see_activity(&c, &a) && !may_edit_activity(&c, &a));
        a.agreement_id = Some(AGREEMENT + 1);
        assert!(!may_see_activity(&c, &a) && !may_edit_activity(&c, &a));
        a.agreement_id = Some(AGREEMENT);
        assert!(may_see_activity(&c, &a) && may_edit_activity(&c, &a));
        assert!(may_record_activity(&c, &[OWNER], Some(AGREEMENT)));
        assert!(!may_record_activity(&c, &[OWNER], None));
        // Nobody coordinates "no agreement".
        assert!(!coordinates_agreement(&c, None));
        assert!(!coordinates_agreement(&Scope::All, None));
        assert!(coordinates_agreement(&Scope::All, Some(AGREEMENT)));
    }

    #[test]
    fn project_editors_are_its_parties_managers() {
        let p = project(vec![OWNER, 30]);
        assert!(may_edit_project(&member(), &p));
        assert!(!may_edit_project(&stranger(), &p));
        assert!(!may_edit_project(&supervisor(), &p));
        assert!(!may_edit_project(&anonymous(), &p));
        assert!(may_edit_project(&Scope::All, &p));
    }

    #[test]
    fn invited_parties_answer_accepted_ones_confirm_coordinators_move_alone() {
        use crate::PartyConsent;
        let mut p = project(vec![OWNER, 30, 40]);
        p.parties[1].consent = PartyConsent::Invited;
        p.parties[2].consent = PartyConsent::Declined;
        assert_eq!(
            project_invitations_answered_by(&[OWNER, 30, 40], &p),
            vec![30]
        );
        assert!(project_invitations_answered_by(&[OWNER], &p).is_empty());
        assert_eq!(
            project_parties_confirmed_by(&[OWNER, 30, 40], &p),
            vec![OWNER]
        );
        assert!(project_parties_confirmed_by(&[OTHER], &p).is_empty());
        // An invited party's managers see the project, to decide.
        assert!(may_see_project(&Scope::member_of(vec![30]), &p));
        assert!(moves_project_alone(&Scope::All, &p));
        assert!(!moves_project_alone(&member(), &p));
        assert!(!moves_project_alone(&agreement_coordinator(), &p));
        p.agreement_id = Some(AGREEMENT);
        assert!(moves_project_alone(&agreement_coordinator(), &p));
    }

    fn activity(organization_ids: Vec<i64>) -> Activity {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Activity {
            id: 1,
            agreement_id: None,
            area: ProjectArea::TalentSharing,
            kind: crate::ActivityKind::ExpertConsultation,
            title: String::new(),
            description: None,
            status: crate::ActivityStatus::Planned,
            start_date: day,
            end_date: None,
            host_organization_id: organization_ids[0],
            organization_ids,
            attendance: None,
            cancel_reason: None,
            version: 1,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            completed_at: None,
            participants: Vec::new(),
        }
    }

    #[test]
    fn activities_are_seen_by_those_involved_and_changed_by_their_managers() {
        let a = activity(vec![OWNER, 30]);
        assert!(!may_see_activity(&anonymous(), &a));
        assert!(!may_see_activity(&stranger(), &a));
        assert!(may_see_activity(&member(), &a));
        assert!(may_see_activity(&supervisor(), &a));
        assert!(may_see_activity(&Scope::All, &a));
        // Any organisation involved, not only the host.
        assert!(may_see_activity(&Scope::member_of(vec![30]), &a));
        assert!(may_edit_activity(&Scope::member_of(vec![30]), &a));
        assert!(may_edit_activity(&member(), &a));
        assert!(may_edit_activity(&Scope::All, &a));
        assert!(!may_edit_activity(&stranger(), &a));
        // A supervisor reads and changes nothing.
        assert!(!may_edit_activity(&supervisor(), &a));
        assert!(!may_record_activity(&supervisor(), &[OWNER], None));
        assert!(may_record_activity(&member(), &[OWNER, 99], None));
        assert!(!may_record_activity(&stranger(), &[OWNER, 99], None));
    }

    #[test]
    fn an_activity_under_an_agreement_is_of_a_covered_area_and_of_its_parties() {
        let mut a = agreement(&[OWNER, 30]);
        a.areas = vec![ProjectArea::TalentSharing, ProjectArea::JointTraining];
        // 31 is below party 30.
        let under = [OWNER, 30, 31];
        assert!(
            activity_fits_agreement(&a, ProjectArea::JointTraining, &[OWNER, 31], &under)
                .is_empty()
        );
        let fields = |problems: Vec<FieldError>| -> Vec<String> {
            problems.into_iter().map(|p| p.field).collect()
        };
        assert_eq!(
            fields(activity_fits_agreement(
                &a,
                ProjectArea::OrganizationPairing,
                &[OWNER],
                &under
            )),
            ["agreementId"]
        );
        assert_eq!(
            fields(activity_fits_agreement(
                &a,
                ProjectArea::TalentSharing,
                &[OWNER, OTHER],
                &under
            )),
            ["organizationIds"]
        );
        assert_eq!(
            fields(activity_fits_agreement(
                &a,
                ProjectArea::VocationalEducation,
                &[OTHER],
                &under
            )),
            ["agreementId", "organizationIds"]
        );
    }

    #[test]
    fn instrument_staff_are_admins_and_the_owner_s_org_admins() {
        let i = instrument();
        assert!(staffs_instrument(Some(PlatformRole::Admin), &[], &i));
        assert!(!staffs_instrument(Some(PlatformRole::Coordinator), &[], &i));
        assert!(staffs_instrument(
            Some(PlatformRole::Coordinator),
            &[OWNER],
            &i
        ));
        assert!(staffs_instrument(None, &[OTHER, OWNER], &i));
        assert!(!staffs_instrument(None, &[OTHER], &i));
        assert!(!staffs_instrument(None, &[], &i));
    }
}
