//! GraphQL mirrors of the domain vocabularies (converted both ways).

use async_graphql::Enum;

/// What an organisation is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::OrgKind")]
pub enum OrgKind {
    Enterprise,
    University,
    Institute,
    Government,
    Other,
}

/// Roles that apply across the whole platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::PlatformRole")]
pub enum PlatformRole {
    /// Manages organisations, members and roles.
    Admin,
    /// Tech-transfer office: curates, brokers matches, sees everything.
    Coordinator,
}

/// A user's role inside one organisation.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::OrgRole")]
pub enum OrgRole {
    /// Adds members; manages the organisation and everything below it.
    OrgAdmin,
    /// Creates and edits the organisation's needs, capabilities and talents.
    Member,
}

/// Who may see a technology need.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::Visibility")]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Signed-in users of the platform.
    Platform,
    /// The owning organisation, coordinators and admins only.
    Confidential,
}

/// Ways of cooperating between an enterprise and a university.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::CooperationMode")]
pub enum CooperationMode {
    Consulting,
    Secondment,
    JointTraining,
    JointResearch,
    TechnologyTransfer,
    Testing,
}

/// Life cycle of a need: DRAFT → PUBLISHED → IN_COOPERATION → CLOSED, or WITHDRAWN.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::NeedStatus")]
pub enum NeedStatus {
    Draft,
    Published,
    InCooperation,
    Closed,
    Withdrawn,
}

/// Life cycle of a capability: DRAFT → PUBLISHED → ARCHIVED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::CapabilityStatus")]
pub enum CapabilityStatus {
    Draft,
    Published,
    Archived,
}

/// Kinds of achievement backing a capability.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::AchievementKind")]
pub enum AchievementKind {
    Patent,
    Paper,
    Award,
    Project,
    Standard,
    Software,
}

/// Sort direction of a list.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrderDirection {
    Asc,
    #[default]
    Desc,
}

/// Life cycle of a suggested pair: SUGGESTED → SHORTLISTED → CONTACTED → ACCEPTED, or DECLINED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::MatchStatus")]
pub enum MatchStatus {
    Suggested,
    Shortlisted,
    Contacted,
    Accepted,
    Declined,
}

/// Why a suggestion was declined; kept as feedback for the matching.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::DeclineReason")]
pub enum DeclineReason {
    /// The capability is not mature enough (TRL too low).
    TooEarlyStage,
    /// Not about the need's problem.
    OffTopic,
    /// The team has no capacity.
    Capacity,
    /// Price, IP or terms do not fit.
    CommercialFit,
    Other,
}
