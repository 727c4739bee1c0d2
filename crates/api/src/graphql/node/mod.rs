use async_graphql::{ID, Interface};

use super::capabilities::CapabilityObject;
use super::matching::MatchObject;
use super::needs::NeedObject;
use super::organizations::{MembershipObject, OrganizationObject, UserObject};
use super::projects::ProjectObject;
use super::talents::TalentObject;

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global id."))]
pub enum Node {
    Organization(OrganizationObject),
    User(UserObject),
    Membership(MembershipObject),
    Need(NeedObject),
    Capability(CapabilityObject),
    Talent(TalentObject),
    Match(MatchObject),
    Project(ProjectObject),
}
