use async_graphql::{ID, Interface};

use super::{
    CapabilityObject, MatchObject, MembershipObject, NeedObject, OrganizationObject, ProjectObject,
    TalentObject, UserObject,
};

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
