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
    /// Smallest, earliest or first in the alphabet first.
    Asc,
    /// Largest, latest or last in the alphabet first.
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

/// The six areas of the cooperation agreement, plus OTHER.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectArea")]
pub enum ProjectArea {
    /// 人才共享: secondments and shared staff.
    TalentSharing,
    /// 联合培养: joint training of students and engineers.
    JointTraining,
    /// 联合研发平台: joint research platforms and labs.
    JointResearchPlatform,
    /// 检测中心: the shared testing center.
    TestingCenter,
    /// 职业教育: vocational education.
    VocationalEducation,
    /// 单位结对: pairing of organisations.
    OrganisationPairing,
    Other,
}

/// Life cycle of a project: PROPOSED → AGREED → IN_PROGRESS → COMPLETED, or TERMINATED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectStatus")]
pub enum ProjectStatus {
    Proposed,
    Agreed,
    InProgress,
    Completed,
    Terminated,
}

/// State of a checklist item.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ChecklistStatus")]
pub enum ChecklistStatus {
    Open,
    Done,
    /// Waiting on something; the note says what.
    Blocked,
}

/// What a project event records.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectEventKind")]
pub enum ProjectEventKind {
    ProjectCreated,
    ProjectUpdated,
    StatusChanged,
    MilestoneAdded,
    MilestoneUpdated,
    ItemAdded,
    ItemUpdated,
    ItemStatusChanged,
    ChecklistReordered,
}

/// Whether an instrument can be booked.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::InstrumentStatus")]
pub enum InstrumentStatus {
    /// In service: it can be booked.
    Available,
    /// Temporarily out of service: no new bookings.
    Maintenance,
    /// Permanently out of service.
    Retired,
}

/// Life cycle of a booking: REQUESTED → APPROVED → COMPLETED; REQUESTED →
/// REJECTED; REQUESTED or APPROVED → CANCELLED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::BookingStatus")]
pub enum BookingStatus {
    /// Asked for; holds the slot until the staff decide.
    Requested,
    /// Accepted by the staff; holds the slot.
    Approved,
    /// Refused by the staff, with a reason; the slot is free.
    Rejected,
    /// Withdrawn by the booker or the staff; the slot is free.
    Cancelled,
    /// Used, with the actual times.
    Completed,
}
