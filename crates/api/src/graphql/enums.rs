//! GraphQL mirrors of the domain vocabularies (converted both ways).

use async_graphql::Enum;

/// What an organisation is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::OrgKind")]
pub enum OrgKind {
    /// A company, a group or one of its departments.
    Enterprise,
    /// A university, or one of its colleges, offices and labs.
    University,
    /// A research or testing institute.
    Institute,
    /// A government body or public service center.
    Government,
    /// Anything else (associations, vocational education groups …).
    Other,
}

/// Roles that apply across the whole platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::PlatformRole")]
pub enum PlatformRole {
    /// Operates the platform: sees and manages everything.
    Admin,
    /// Platform staff: creates and edits organisations, finds people by
    /// e-mail, reads the platform's figures. What they see and curate of
    /// the organisations' records comes from their `roleGrants`, like
    /// anyone's.
    Coordinator,
}

/// A role granted over one organisation and every organisation below it
/// (`grantRole`).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ScopedRole")]
pub enum ScopedRole {
    /// Sees and curates everything of the organisations in scope as their
    /// members do, CONFIDENTIAL needs included (a tech-transfer office,
    /// 技术转移办公室).
    Coordinator,
    /// Reads the projects of the organisations in scope and the platform's
    /// figures (`stats`, `usageStats`), and changes nothing: every mutation
    /// of a supervisor's account is FORBIDDEN (a project management service
    /// center, 项目管理服务中心).
    Supervisor,
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
    /// The owning organisation, the coordinators whose scope includes it
    /// and admins only.
    Confidential,
}

/// Ways of cooperating between an enterprise and a university.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::CooperationMode")]
pub enum CooperationMode {
    /// Advice from experts, without a joint project.
    Consulting,
    /// Staff of one side work at the other for a while.
    Secondment,
    /// Students or engineers trained together.
    JointTraining,
    /// A research project run by both sides.
    JointResearch,
    /// A patent, licence or know-how passes from one side to the other.
    TechnologyTransfer,
    /// Testing and analysis services.
    Testing,
}

/// What a cooperation activity is; each kind belongs to one area.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ActivityKind")]
pub enum ActivityKind {
    /// 专家咨询: an expert consulted (TALENT_SHARING).
    ExpertConsultation,
    /// 挂职交流: a secondment of staff to the other side (TALENT_SHARING).
    Secondment,
    /// 联合培养项目: a joint training programme (JOINT_TRAINING).
    TrainingProgramme,
    /// 实习: an internship (JOINT_TRAINING).
    Internship,
    /// 联合培养学生: a jointly trained student (JOINT_TRAINING).
    JointStudent,
    /// 校企联合指导研究生: a graduate student supervised by the university and
    /// the enterprise together (JOINT_TRAINING).
    CoSupervisedGraduate,
    /// 职业教育研究课题: a research study on vocational education
    /// (VOCATIONAL_EDUCATION).
    VocationalStudy,
    /// 课程共建: a course built together (VOCATIONAL_EDUCATION).
    VocationalCourse,
    /// 党组织结对: the pairing of grass-roots party organisations
    /// (ORGANIZATION_PAIRING).
    PartyPairing,
    /// 党建联建活动: a joint party-building activity (ORGANIZATION_PAIRING).
    JointPartyActivity,
}

/// Life cycle of a cooperation activity: PLANNED → UNDER_WAY → COMPLETED
/// (a one-day event straight from PLANNED), or CANCELLED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ActivityStatus")]
pub enum ActivityStatus {
    /// 计划中: planned.
    Planned,
    /// 进行中: under way.
    UnderWay,
    /// 已完成: done; its end date is set.
    Completed,
    /// 已取消: called off, with a reason.
    Cancelled,
}

/// The part a person plays in a cooperation activity.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ParticipantRole")]
pub enum ParticipantRole {
    /// 专家: an expert.
    Expert,
    /// 学员/学生: a trainee or student.
    Trainee,
    /// 导师: a supervisor or tutor.
    Supervisor,
    /// 参加人员: anyone else taking part.
    Participant,
}

/// Life cycle of a framework agreement: DRAFT → ACTIVE (once every party
/// confirmed) → EXPIRED (after its term), or TERMINATED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::AgreementStatus")]
pub enum AgreementStatus {
    /// Being prepared by the parties; its terms and parties may change,
    /// and each party confirms it.
    Draft,
    /// Confirmed by every party and within its term: in force.
    Active,
    /// Was ACTIVE and its term has ended (derived from `termEnd`).
    Expired,
    /// Ended early, with a reason.
    Terminated,
}

/// Life cycle of a need: DRAFT → PUBLISHED → IN_COOPERATION → CLOSED, or WITHDRAWN.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::NeedStatus")]
pub enum NeedStatus {
    /// Being written; seen by its organisation only and never matched.
    Draft,
    /// Listed (within its visibility) and matched.
    Published,
    /// A project of its organisation is in progress on it; it can no
    /// longer be edited or withdrawn.
    InCooperation,
    /// Closed by its owner (solved, or no longer wanted): no longer
    /// matched, still readable within its visibility.
    Closed,
    /// Taken back by its owner before a project started.
    Withdrawn,
}

/// Life cycle of a capability: DRAFT → PUBLISHED → ARCHIVED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::CapabilityStatus")]
pub enum CapabilityStatus {
    /// Being written; seen by its organisation only and never matched.
    Draft,
    /// Listed and matched.
    Published,
    /// No longer offered; kept for the record.
    Archived,
}

/// Kinds of achievement backing a capability.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::AchievementKind")]
pub enum AchievementKind {
    /// A granted patent or a patent application.
    Patent,
    /// A published paper.
    Paper,
    /// A prize or award.
    Award,
    /// A completed research or industry project.
    Project,
    /// A national, industry or company standard drafted.
    Standard,
    /// A software copyright or released software.
    Software,
}

/// Sort direction of a list.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrderDirection {
    /// Smallest (or earliest, or A) first.
    Asc,
    /// Largest (or latest, or Z) first.
    #[default]
    Desc,
}

/// Life cycle of a suggested pair: SUGGESTED → SHORTLISTED → CONTACTED → ACCEPTED, or DECLINED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::MatchStatus")]
pub enum MatchStatus {
    /// Ranked for the need; nobody has decided yet.
    Suggested,
    /// Kept in view by the need's side.
    Shortlisted,
    /// The need's side has contacted the capability's team.
    Contacted,
    /// Both sides want to cooperate; a project can start from here (final).
    Accepted,
    /// Declined with a reason; never suggested again (final).
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
    /// A lab's reason: the need's budget does not cover the work.
    BudgetTooLow,
    /// A lab's reason: the deadline cannot be met.
    DeadlineTooShort,
    /// A conflict of interest (a competing engagement, a relation between
    /// the parties).
    ConflictOfInterest,
    /// Another reason (say which in the comment).
    Other,
}

/// The two sides of a match.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::MatchSide")]
pub enum MatchSide {
    /// The need's organisation (the enterprise side): its managers,
    /// coordinators in scope and admins.
    Need,
    /// The capability's organisation (the research side): its managers,
    /// coordinators in scope and admins, if they may see the need.
    Capability,
}

/// What one side of a match decided.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::SideDecision")]
pub enum SideDecision {
    /// The side wants to cooperate.
    Accepted,
    /// The side declined (the match is DECLINED for both).
    Declined,
}

/// Where an interest of the research side stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::InterestStatus")]
pub enum InterestStatus {
    /// The need's side has not decided yet.
    Pending,
    /// The need's side accepted (for a capability: its match is ACCEPTED).
    Accepted,
    /// Declined (for a capability: its match was declined by either side).
    Declined,
}

/// How a candidate is related to the need's organisation: a conflict of
/// interest for an "external" match.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ConflictOfInterest")]
pub enum ConflictOfInterest {
    /// The candidate belongs to the need's own organisation.
    SameOrganization,
    /// The candidate belongs to another organisation of the same group (the
    /// same top of the organisation tree).
    SameGroup,
}

/// The six areas of the cooperation agreement, plus OTHER.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectArea")]
pub enum ProjectArea {
    /// 人才智力引进与共享 — introduction and sharing of talents'
    /// intelligence: expert consultations and secondments.
    TalentSharing,
    /// 人才协同培养 — collaborative training of talents: programmes,
    /// interns, joint students, co-supervised graduates.
    JointTraining,
    /// 校企联合研发创新平台 — the joint research and innovation platform:
    /// cooperation projects.
    JointResearchPlatform,
    /// 机械分析测试中心共建 — the co-built mechanical analysis and testing
    /// center: shared instruments and bookings.
    TestingCenter,
    /// 职业教育研究合作 — research cooperation of vocational education:
    /// studies and courses with the vocational education group.
    VocationalEducation,
    /// 基层党组织结对共建 — pairing of grass-roots party organisations and
    /// party-building cooperation.
    OrganizationPairing,
    /// Cooperation outside the six areas.
    Other,
}

/// Life cycle of a project: PROPOSED → AGREED → IN_PROGRESS → COMPLETED, or TERMINATED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectStatus")]
pub enum ProjectStatus {
    /// Put forward; the parties have not agreed yet.
    Proposed,
    /// The parties agreed; work has not started.
    Agreed,
    /// Under way: milestones and checklist items are worked on.
    InProgress,
    /// Finished; its need is open again for other cooperation unless
    /// another project is still in progress on it.
    Completed,
    /// Ended early; the reason is kept.
    Terminated,
}

/// State of a checklist item.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ChecklistStatus")]
pub enum ChecklistStatus {
    /// To do.
    Open,
    /// Done.
    Done,
    /// Waiting on something; the note says what.
    Blocked,
}

/// What a project event records.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ProjectEventKind")]
pub enum ProjectEventKind {
    /// The project was created (`ProjectCreatedEvent`).
    ProjectCreated,
    /// Title, area or dates changed (`ProjectUpdatedEvent`).
    ProjectUpdated,
    /// The life-cycle status changed (`ProjectStatusChangedEvent`).
    StatusChanged,
    /// A milestone was added (`MilestoneAddedEvent`).
    MilestoneAdded,
    /// A milestone's title or due date changed (`MilestoneUpdatedEvent`).
    MilestoneUpdated,
    /// A milestone was deleted; its items stayed (`MilestoneDeletedEvent`).
    MilestoneDeleted,
    /// A checklist item was added (`ChecklistItemAddedEvent`).
    ItemAdded,
    /// A checklist item's title, milestone, owner, due date or note changed (`ChecklistItemUpdatedEvent`).
    ItemUpdated,
    /// A checklist item was completed, reopened or blocked (`ChecklistItemStatusChangedEvent`).
    ItemStatusChanged,
    /// A checklist item was deleted (`ChecklistItemDeletedEvent`).
    ItemDeleted,
    /// The checklist was put in a new order (`ChecklistReorderedEvent`).
    ChecklistReordered,
    /// Invited parties accepted or declined (`ProjectPartyRespondedEvent`).
    PartyResponded,
    /// Parties confirmed a binding move, or withdrew their confirmation
    /// (`ProjectMoveConfirmationEvent`).
    MoveConfirmation,
}

/// A party's answer to being named in a project.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::PartyConsent")]
pub enum PartyConsent {
    /// Named by another organisation; its managers have not answered yet.
    Invited,
    /// Takes part (the creator's own organisations accept at creation).
    Accepted,
    /// Refused to take part: the project cannot be agreed while it is named.
    Declined,
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
    /// Waiting for the staff's approval; the slot is held.
    Requested,
    /// Confirmed by the staff.
    Approved,
    /// Refused by the staff; the reason is kept and the slot is free.
    Rejected,
    /// Called off by the booker or the staff; the slot is free.
    Cancelled,
    /// Used; the actual times are recorded and count in the usage figures.
    Completed,
}

/// Life cycle of a testing service order: REQUESTED → QUOTED (the center's
/// staff) → ACCEPTED or DECLINED (the client); REQUESTED → REJECTED (the
/// staff); REQUESTED or QUOTED → CANCELLED (the client); ACCEPTED →
/// IN_PROGRESS → COMPLETED (the staff, once the report is attached).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::ServiceOrderStatus")]
pub enum ServiceOrderStatus {
    /// Asked for; waiting for the center's quote.
    Requested,
    /// Quoted by the center; waiting for the client.
    Quoted,
    /// The client accepted the quote.
    Accepted,
    /// The client declined the quote.
    Declined,
    /// The center declined to run the tests.
    Rejected,
    /// The client called it off before accepting.
    Cancelled,
    /// The center's staff are running the tests (booking instrument time
    /// under the order, attaching the report).
    InProgress,
    /// The tests are done and the report is attached; the client side may
    /// rate the order.
    Completed,
}

/// The price tier a client pays for an instrument or a test item, chosen
/// from the legal-entity relation: INTERNAL for the owners (and below them),
/// GROUP for the owners' legal entities and the organisations running or
/// co-building the center (and below them), EXTERNAL for everybody else.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::PriceTier")]
pub enum PriceTier {
    /// The client is one of the owners or below one.
    Internal,
    /// The client shares a legal entity with an owner, or runs or co-builds
    /// the center (or is below such an organisation).
    Group,
    /// Anybody else.
    External,
}

/// Life cycle of an invoice: DRAFT → ISSUED → PAID, or DRAFT/ISSUED →
/// VOID.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::InvoiceStatus")]
pub enum InvoiceStatus {
    /// Written by `issueInvoices`; not yet sent.
    Draft,
    /// Sent to the client.
    Issued,
    /// Paid (final).
    Paid,
    /// Withdrawn (final); its bookings are never billed again.
    Void,
}

/// What an invoice line bills.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::InvoiceLineKind")]
pub enum InvoiceLineKind {
    /// A completed booking: instrument time.
    Booking,
    /// A completed service order.
    ServiceOrder,
}

/// Life cycle of a place on an instrument's waiting list: WAITING →
/// OFFERED → BOOKED; WAITING or OFFERED → EXPIRED or CANCELLED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::WaitlistStatus")]
pub enum WaitlistStatus {
    /// In line: the window is taken.
    Waiting,
    /// The window came free and is held for this user until
    /// `offerExpiresAt`: accept it with `acceptWaitlistOffer`.
    Offered,
    /// The user took the offer: `booking` is the booking made.
    Booked,
    /// The window began, or the offer's hold ran out and it passed on.
    Expired,
    /// The user left the list.
    Cancelled,
}

/// The named metrics of an annual plan (年度计划指标). Every actual value is
/// computed from the records, never typed in; see `Agreement.progress`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::PlanMetric")]
pub enum PlanMetric {
    /// 项目启动数: the agreement's projects of the area that moved to
    /// IN_PROGRESS in the year. Any area.
    ProjectsStarted,
    /// 项目完成数: its projects of the area COMPLETED in the year. Any area.
    ProjectsCompleted,
    /// 合同经费 (yuan): the funding of its projects of the area that became
    /// AGREED in the year. Any area.
    FundingContracted,
    /// 需求对接数: its needs whose first accepted match was decided in the
    /// year. JOINT_RESEARCH_PLATFORM.
    NeedsDocked,
    /// 匹配成功数: matches of its needs accepted in the year.
    /// JOINT_RESEARCH_PLATFORM.
    MatchesAccepted,
    /// 仪器共享机时 (hours): completed bookings, starting in the year, of an
    /// instrument of one party (or an organisation below it) by another
    /// party. TESTING_CENTER.
    InstrumentHours,
    /// 专家互派人次: experts of its talent-sharing activities. TALENT_SHARING.
    ExpertsExchanged,
    /// 专家服务时长 (hours): the hours those experts gave. TALENT_SHARING.
    ExpertHours,
    /// 培养学生人数: trainees of its joint-training activities.
    /// JOINT_TRAINING.
    TraineesPlaced,
    /// 共建课程数: vocational courses run. VOCATIONAL_EDUCATION.
    CoursesRun,
    /// 研究课题结题数: vocational studies completed. VOCATIONAL_EDUCATION.
    StudiesCompleted,
    /// 结对共建活动数: pairings and joint party activities held.
    /// ORGANIZATION_PAIRING.
    PairingActivities,
    /// 活动开展数: activities of any kind held in the area. TALENT_SHARING,
    /// JOINT_TRAINING, VOCATIONAL_EDUCATION, ORGANIZATION_PAIRING.
    ActivitiesHeld,
}

/// The unit a plan metric is counted in.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::MetricUnit")]
pub enum MetricUnit {
    /// A number of records or people.
    Count,
    /// Hours, to a tenth.
    Hours,
    /// Yuan (CNY), to the fen.
    Yuan,
}

/// State of a work item of an annual plan: PLANNED → DONE or DROPPED, and
/// back to PLANNED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::WorkItemStatus")]
pub enum WorkItemStatus {
    /// To be done.
    Planned,
    /// Done (`doneAt` says when).
    Done,
    /// No longer pursued.
    Dropped,
}

/// State of a disclosure of a CONFIDENTIAL need: OFFERED → ACCEPTED;
/// OFFERED or ACCEPTED → REVOKED; REVOKED → OFFERED (offered again).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::DisclosureStatus")]
pub enum DisclosureStatus {
    /// Offered by the need's side; the receiving side sees the teaser and
    /// may accept the non-disclosure agreement.
    Offered,
    /// The non-disclosure agreement was accepted: the receiving
    /// organisation reads the need, each read logged.
    Accepted,
    /// Revoked by the need's side: the teaser only again.
    Revoked,
}

/// What a line of a need's disclosure log records.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::DisclosureAction")]
pub enum DisclosureAction {
    /// The need's side offered the need.
    Offered,
    /// A member of the receiving organisation accepted the non-disclosure
    /// agreement.
    Accepted,
    /// The need's side revoked the disclosure.
    Revoked,
    /// A member of the receiving organisation read the need.
    Read,
}

/// What a notification tells.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::NotificationKind")]
pub enum NotificationKind {
    /// A research side expressed interest in one of your organisation's needs.
    InterestExpressed,
    /// The need's side accepted an interest your organisation expressed for a talent.
    InterestAccepted,
    /// The need's side declined an interest your organisation expressed for a talent.
    InterestDeclined,
    /// The other side accepted a match of your organisation (interests in a
    /// capability are answered this way too).
    MatchAccepted,
    /// The other side declined a match of your organisation.
    MatchDeclined,
    /// A message in a conversation your organisation takes part in.
    MessagePosted,
    /// Your organisation was named a party of a project: accept or decline.
    ProjectInvitation,
    /// A booking of an instrument you staff waits for approval.
    BookingRequested,
    /// Your booking was approved.
    BookingApproved,
    /// Your booking was rejected.
    BookingRejected,
    /// A checklist item you own (or, unowned, of a project you created) is
    /// due within the configured days.
    ChecklistItemDue,
    /// Such an item is past its due date and not done.
    ChecklistItemOverdue,
    /// One of your organisation's needs reached its deadline and was closed.
    NeedExpired,
    /// A capability published by another organisation fits one of your
    /// organisation's needs.
    CapabilitySuggested,
    /// A published need fits one of your organisation's capabilities (a
    /// confidential need by its teaser).
    NeedSuggested,
    /// A project your organisation takes part in changed its status
    /// (agreed, started, completed, terminated).
    ProjectStatusChanged,
    /// A checklist item was given to you.
    ChecklistItemAssigned,
    /// A checklist item you own, or of a project you created, was blocked
    /// (with the note saying why).
    ChecklistItemBlocked,
    /// Your qualification for an instrument expires soon.
    QualificationExpiring,
    /// A coordinator handed you a pair of a need and a capability to follow
    /// up (with a due date and a note).
    OpportunityAssigned,
    /// A published need or capability of your organisation was not
    /// confirmed for `listing_confirm_days` (180 by default): confirm it
    /// (`confirmNeed`, `confirmCapability`) or edit it, or it leaves the
    /// public lists 30 days later.
    ListingUnconfirmed,
    /// Such a listing stayed unconfirmed and left the public lists (a need
    /// withdrawn, a capability archived).
    ListingWithdrawn,
    /// A need or capability published since fits one of your saved
    /// searches.
    SavedSearchMatched,
    /// A time you queued for on an instrument's waiting list came free and
    /// is held for you until the offer expires (`acceptWaitlistOffer`).
    WaitlistSlotOffered,
    /// A testing service order of your organisation, or of the center you
    /// staff, changed its status (requested, quoted, accepted, declined,
    /// rejected, cancelled).
    ServiceOrderChanged,
}

/// How a kind of notification reaches you.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::NotificationChannel")]
pub enum NotificationChannel {
    /// In the inbox (and `notificationAdded`) only.
    InApp,
    /// In the inbox and by e-mail, in your language.
    Email,
    /// In the inbox and listed in your digest e-mail (`User.digestFrequency`:
    /// daily or weekly), not by e-mail of its own.
    Digest,
    /// Not at all.
    Off,
}

/// What a saved search looks through.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::SavedSearchType")]
pub enum SavedSearchType {
    /// Technology needs.
    Need,
    /// Research capabilities.
    Capability,
}

/// How often your digest e-mail goes out (when it has something new).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "iurhub_domain::DigestFrequency")]
pub enum DigestFrequency {
    /// At most once a day (the default).
    Daily,
    /// At most once a week.
    Weekly,
}

/// A language iurhub writes in.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Language {
    /// Simplified Chinese (zh-CN), the default.
    ZhCn,
    /// English.
    En,
}

impl Language {
    pub fn locale(self) -> iurhub_domain::Locale {
        match self {
            Language::ZhCn => iurhub_domain::Locale::Zh,
            Language::En => iurhub_domain::Locale::En,
        }
    }

    pub fn of(locale: iurhub_domain::Locale) -> Language {
        match locale {
            iurhub_domain::Locale::Zh => Language::ZhCn,
            iurhub_domain::Locale::En => Language::En,
        }
    }
}
