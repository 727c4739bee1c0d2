//! Closed vocabularies of the domain and the state machines over them.
//!
//! Every enum is stored and exchanged as its `SCREAMING_SNAKE_CASE` name, the
//! same spelling the GraphQL schema uses.

use crate::DomainError;

/// Declares a closed vocabulary with its canonical text form.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical text form.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { vocabulary: stringify!($name), value: s.to_owned() }),
                }
            }
        }
    };
}

/// A text that is not a member of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {vocabulary}")]
pub struct UnknownValue {
    pub vocabulary: &'static str,
    pub value: String,
}

vocabulary! {
    /// What an organisation is.
    OrgKind {
        Enterprise => "ENTERPRISE",
        University => "UNIVERSITY",
        Institute => "INSTITUTE",
        Government => "GOVERNMENT",
        Other => "OTHER",
    }
}

vocabulary! {
    /// Roles that apply across the whole platform.
    PlatformRole {
        /// Operates the platform: sees and manages everything.
        Admin => "ADMIN",
        /// Platform staff: creates and edits organisations, finds people by
        /// e-mail, reads the platform's figures. What they see and curate of
        /// the organisations' records comes from their [`ScopedRole`] grants,
        /// like anyone's.
        Coordinator => "COORDINATOR",
    }
}

vocabulary! {
    /// A role granted over one organisation and every organisation below it
    /// (a `RoleGrant`).
    ScopedRole {
        /// Sees and curates everything of the organisations in scope,
        /// CONFIDENTIAL needs included (a tech-transfer office, 技术转移办公室).
        Coordinator => "COORDINATOR",
        /// Reads the projects of the organisations in scope and the
        /// platform's figures, and changes nothing (a project management
        /// service center, 项目管理服务中心).
        Supervisor => "SUPERVISOR",
    }
}

vocabulary! {
    /// A user's role inside one organisation.
    OrgRole {
        OrgAdmin => "ORG_ADMIN",
        Member => "MEMBER",
    }
}

vocabulary! {
    /// Who may see a technology need.
    Visibility {
        /// Anyone, signed in or not.
        Public => "PUBLIC",
        /// Signed-in users of the platform.
        Platform => "PLATFORM",
        /// The owning organisation and the coordinators whose scope
        /// includes it only.
        Confidential => "CONFIDENTIAL",
    }
}

vocabulary! {
    /// Ways of cooperating between an enterprise and a university.
    CooperationMode {
        Consulting => "CONSULTING",
        Secondment => "SECONDMENT",
        JointTraining => "JOINT_TRAINING",
        JointResearch => "JOINT_RESEARCH",
        TechnologyTransfer => "TECHNOLOGY_TRANSFER",
        Testing => "TESTING",
    }
}

vocabulary! {
    /// Life cycle of a technology need.
    NeedStatus {
        Draft => "DRAFT",
        Published => "PUBLISHED",
        InCooperation => "IN_COOPERATION",
        Closed => "CLOSED",
        Withdrawn => "WITHDRAWN",
    }
}

vocabulary! {
    /// Life cycle of a research capability.
    CapabilityStatus {
        Draft => "DRAFT",
        Published => "PUBLISHED",
        Archived => "ARCHIVED",
    }
}

vocabulary! {
    /// Kinds of achievement backing a research capability.
    AchievementKind {
        Patent => "PATENT",
        Paper => "PAPER",
        Award => "AWARD",
        Project => "PROJECT",
        Standard => "STANDARD",
        Software => "SOFTWARE",
    }
}

vocabulary! {
    /// Life cycle of a suggested (need, capability) pair.
    MatchStatus {
        Suggested => "SUGGESTED",
        Shortlisted => "SHORTLISTED",
        Contacted => "CONTACTED",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
    }
}

vocabulary! {
    /// Why a suggested match was declined.
    DeclineReason {
        TooEarlyStage => "TOO_EARLY_STAGE",
        OffTopic => "OFF_TOPIC",
        Capacity => "CAPACITY",
        CommercialFit => "COMMERCIAL_FIT",
        /// A lab's reason: the need's budget does not cover the work.
        BudgetTooLow => "BUDGET_TOO_LOW",
        /// A lab's reason: the deadline cannot be met.
        DeadlineTooShort => "DEADLINE_TOO_SHORT",
        /// A conflict of interest (a competing engagement, a relation
        /// between the parties).
        ConflictOfInterest => "CONFLICT_OF_INTEREST",
        Other => "OTHER",
    }
}

vocabulary! {
    /// The two sides of a match: the need's organisation and the
    /// capability's organisation.
    MatchSide {
        Need => "NEED",
        Capability => "CAPABILITY",
    }
}

vocabulary! {
    /// How a candidate is related to the need's organisation: a conflict of
    /// interest for an "external" match.
    ConflictOfInterest {
        /// The candidate belongs to the need's own organisation.
        SameOrganization => "SAME_ORGANIZATION",
        /// The candidate belongs to another organisation of the same group
        /// (the same top of the organisation tree).
        SameGroup => "SAME_GROUP",
    }
}

vocabulary! {
    /// What one side of a match decided.
    SideDecision {
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
    }
}

vocabulary! {
    /// Where an interest of the research side in a need stands, as the
    /// need's side reviewed it.
    InterestStatus {
        Pending => "PENDING",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
    }
}

vocabulary! {
    /// The six areas of the cooperation agreement, plus OTHER.
    ProjectArea {
        TalentSharing => "TALENT_SHARING",
        JointTraining => "JOINT_TRAINING",
        JointResearchPlatform => "JOINT_RESEARCH_PLATFORM",
        TestingCenter => "TESTING_CENTER",
        VocationalEducation => "VOCATIONAL_EDUCATION",
        OrganizationPairing => "ORGANIZATION_PAIRING",
        Other => "OTHER",
    }
}

vocabulary! {
    /// Life cycle of a cooperation project.
    ProjectStatus {
        Proposed => "PROPOSED",
        Agreed => "AGREED",
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
        Terminated => "TERMINATED",
    }
}

vocabulary! {
    /// Life cycle of a framework agreement (合作框架协议). DRAFT, ACTIVE and
    /// TERMINATED are stored; EXPIRED is never stored: an ACTIVE agreement
    /// whose term has ended is EXPIRED (see
    /// `records::agreements::Agreement::status_on`).
    AgreementStatus {
        Draft => "DRAFT",
        Active => "ACTIVE",
        Expired => "EXPIRED",
        Terminated => "TERMINATED",
    }
}

vocabulary! {
    /// The named metrics of an annual plan (年度计划指标). Each is computed
    /// from the records, never typed in (see `records::plans`), and fits
    /// the areas [`PlanMetric::areas`] names.
    PlanMetric {
        /// Projects that moved to IN_PROGRESS (项目启动数).
        ProjectsStarted => "PROJECTS_STARTED",
        /// Projects that were COMPLETED (项目完成数).
        ProjectsCompleted => "PROJECTS_COMPLETED",
        /// Cooperation funding of the projects AGREED (合同经费), in yuan.
        FundingContracted => "FUNDING_CONTRACTED",
        /// Needs with a first accepted match (需求对接数).
        NeedsDocked => "NEEDS_DOCKED",
        /// Matches accepted (匹配成功数).
        MatchesAccepted => "MATCHES_ACCEPTED",
        /// Instrument hours one party's instruments served another party
        /// (仪器共享机时).
        InstrumentHours => "INSTRUMENT_HOURS",
        /// Experts exchanged in talent and expertise sharing (专家互派人次).
        ExpertsExchanged => "EXPERTS_EXCHANGED",
        /// Hours the experts contributed (专家服务时长).
        ExpertHours => "EXPERT_HOURS",
        /// Trainees placed: interns, joint students, co-supervised
        /// graduates (培养学生人数).
        TraineesPlaced => "TRAINEES_PLACED",
        /// Courses run with the vocational education group (共建课程数).
        CoursesRun => "COURSES_RUN",
        /// Vocational education studies completed (研究课题结题数).
        StudiesCompleted => "STUDIES_COMPLETED",
        /// Pairings and joint activities of grass-roots party
        /// organisations held (结对共建活动数).
        PairingActivities => "PAIRING_ACTIVITIES",
        /// Activities of any kind held in the area (活动开展数).
        ActivitiesHeld => "ACTIVITIES_HELD",
    }
}

vocabulary! {
    /// The unit a plan metric is counted in.
    MetricUnit {
        Count => "COUNT",
        Hours => "HOURS",
        Yuan => "YUAN",
    }
}

vocabulary! {
    /// State of a disclosure of a CONFIDENTIAL need to another organisation
    /// (see `records::disclosures`).
    DisclosureStatus {
        Offered => "OFFERED",
        Accepted => "ACCEPTED",
        Revoked => "REVOKED",
    }
}

vocabulary! {
    /// What a line of a need's disclosure log records.
    DisclosureAction {
        Offered => "OFFERED",
        Accepted => "ACCEPTED",
        Revoked => "REVOKED",
        Read => "READ",
    }
}

vocabulary! {
    /// State of a work item of an annual plan.
    WorkItemStatus {
        Planned => "PLANNED",
        Done => "DONE",
        Dropped => "DROPPED",
    }
}

vocabulary! {
    /// What a cooperation activity is (合作活动的类型). Each kind belongs to
    /// exactly one of the four areas recorded as activities
    /// ([`ActivityKind::area`]).
    ActivityKind {
        /// 专家咨询: an expert consulted (TALENT_SHARING).
        ExpertConsultation => "EXPERT_CONSULTATION",
        /// 挂职交流: a secondment of staff to the other side (TALENT_SHARING).
        Secondment => "SECONDMENT",
        /// 联合培养项目: a joint training programme (JOINT_TRAINING).
        TrainingProgramme => "TRAINING_PROGRAMME",
        /// 实习: an internship (JOINT_TRAINING).
        Internship => "INTERNSHIP",
        /// 联合培养学生: a jointly trained student (JOINT_TRAINING).
        JointStudent => "JOINT_STUDENT",
        /// 校企联合指导研究生: a graduate student supervised by the university
        /// and the enterprise together (JOINT_TRAINING).
        CoSupervisedGraduate => "CO_SUPERVISED_GRADUATE",
        /// 职业教育研究课题: a research study on vocational education
        /// (VOCATIONAL_EDUCATION).
        VocationalStudy => "VOCATIONAL_STUDY",
        /// 课程共建: a course built together (VOCATIONAL_EDUCATION).
        VocationalCourse => "VOCATIONAL_COURSE",
        /// 党组织结对: the pairing of grass-roots party organisations
        /// (ORGANIZATION_PAIRING).
        PartyPairing => "PARTY_PAIRING",
        /// 党建联建活动: a joint party-building activity
        /// (ORGANIZATION_PAIRING).
        JointPartyActivity => "JOINT_PARTY_ACTIVITY",
    }
}

vocabulary! {
    /// Life cycle of a cooperation activity.
    ActivityStatus {
        /// 计划中: planned.
        Planned => "PLANNED",
        /// 进行中: under way.
        UnderWay => "UNDER_WAY",
        /// 已完成: done.
        Completed => "COMPLETED",
        /// 已取消: called off, with a reason.
        Cancelled => "CANCELLED",
    }
}

vocabulary! {
    /// The part a person plays in a cooperation activity.
    ParticipantRole {
        /// 专家: an expert (consulted, seconded, teaching).
        Expert => "EXPERT",
        /// 学员/学生: a trainee or student.
        Trainee => "TRAINEE",
        /// 导师: a supervisor or tutor.
        Supervisor => "SUPERVISOR",
        /// 参加人员: anyone else taking part.
        Participant => "PARTICIPANT",
    }
}

impl PlanMetric {
    /// The areas a target on this metric may be set for: the project
    /// metrics in every area (projects carry an area); the others in the
    /// area their records belong to.
    pub fn areas(self) -> &'static [ProjectArea] {
        use PlanMetric::*;
        use ProjectArea::*;
        match self {
            ProjectsStarted | ProjectsCompleted | FundingContracted => &[
                TalentSharing,
                JointTraining,
                JointResearchPlatform,
                TestingCenter,
                VocationalEducation,
                OrganizationPairing,
            ],
            NeedsDocked | MatchesAccepted => &[JointResearchPlatform],
            InstrumentHours => &[TestingCenter],
            ExpertsExchanged | ExpertHours => &[TalentSharing],
            TraineesPlaced => &[JointTraining],
            CoursesRun | StudiesCompleted => &[VocationalEducation],
            PairingActivities => &[OrganizationPairing],
            ActivitiesHeld => &[
                TalentSharing,
                JointTraining,
                VocationalEducation,
                OrganizationPairing,
            ],
        }
    }

    pub fn unit(self) -> MetricUnit {
        match self {
            PlanMetric::FundingContracted => MetricUnit::Yuan,
            PlanMetric::InstrumentHours | PlanMetric::ExpertHours => MetricUnit::Hours,
            _ => MetricUnit::Count,
        }
    }
}

impl DisclosureStatus {
    /// OFFERED → ACCEPTED; OFFERED or ACCEPTED → REVOKED; REVOKED → OFFERED
    /// (offered again, to be accepted again).
    pub fn transition(self, to: DisclosureStatus) -> Result<DisclosureStatus, DomainError> {
        use DisclosureStatus::*;
        let allowed = matches!(
            (self, to),
            (Offered, Accepted) | (Offered, Revoked) | (Accepted, Revoked) | (Revoked, Offered)
        );
        step("disclosure", self, to, allowed, Self::as_str)
    }
}

impl WorkItemStatus {
    /// PLANNED → DONE or DROPPED; DONE or DROPPED → PLANNED (reopened).
    pub fn transition(self, to: WorkItemStatus) -> Result<WorkItemStatus, DomainError> {
        use WorkItemStatus::*;
        let allowed = matches!(
            (self, to),
            (Planned, Done) | (Planned, Dropped) | (Done, Planned) | (Dropped, Planned)
        );
        step("plan_work_item", self, to, allowed, Self::as_str)
    }
}

vocabulary! {
    /// What a project event records.
    ProjectEventKind {
        ProjectCreated => "PROJECT_CREATED",
        ProjectUpdated => "PROJECT_UPDATED",
        StatusChanged => "STATUS_CHANGED",
        MilestoneAdded => "MILESTONE_ADDED",
        MilestoneUpdated => "MILESTONE_UPDATED",
        MilestoneDeleted => "MILESTONE_DELETED",
        ItemAdded => "ITEM_ADDED",
        ItemUpdated => "ITEM_UPDATED",
        ItemStatusChanged => "ITEM_STATUS_CHANGED",
        ItemDeleted => "ITEM_DELETED",
        ChecklistReordered => "CHECKLIST_REORDERED",
        PartyResponded => "PARTY_RESPONDED",
        MoveConfirmation => "MOVE_CONFIRMATION",
    }
}

vocabulary! {
    /// A party's answer to being named in a project.
    PartyConsent {
        Invited => "INVITED",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
    }
}

vocabulary! {
    /// State of one checklist item.
    ChecklistStatus {
        Open => "OPEN",
        Done => "DONE",
        Blocked => "BLOCKED",
    }
}

vocabulary! {
    /// Whether an instrument can be booked.
    InstrumentStatus {
        Available => "AVAILABLE",
        Maintenance => "MAINTENANCE",
        Retired => "RETIRED",
    }
}

vocabulary! {
    /// Life cycle of an instrument booking.
    BookingStatus {
        Requested => "REQUESTED",
        Approved => "APPROVED",
        Rejected => "REJECTED",
        Cancelled => "CANCELLED",
        Completed => "COMPLETED",
    }
}

vocabulary! {
    /// Life cycle of a testing service order (检测委托单).
    ServiceOrderStatus {
        Requested => "REQUESTED",
        Quoted => "QUOTED",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
        Rejected => "REJECTED",
        Cancelled => "CANCELLED",
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
    }
}

vocabulary! {
    /// The price tier of a client for an instrument or a test item, chosen
    /// by [`crate::billing::tier_for`] from the legal-entity relation.
    PriceTier {
        /// The client is, or is under, one of the owners.
        Internal => "INTERNAL",
        /// The client shares a legal entity with an owner, or is (under) an
        /// organisation running or co-building the center.
        Group => "GROUP",
        /// Anybody else.
        External => "EXTERNAL",
    }
}

vocabulary! {
    /// Life cycle of an invoice.
    InvoiceStatus {
        Draft => "DRAFT",
        Issued => "ISSUED",
        Paid => "PAID",
        Void => "VOID",
    }
}

vocabulary! {
    /// What an invoice line bills.
    InvoiceLineKind {
        Booking => "BOOKING",
        ServiceOrder => "SERVICE_ORDER",
    }
}

vocabulary! {
    /// Life cycle of a place on an instrument's waiting list.
    WaitlistStatus {
        Waiting => "WAITING",
        Offered => "OFFERED",
        Booked => "BOOKED",
        Expired => "EXPIRED",
        Cancelled => "CANCELLED",
    }
}

/// Checks one step of a state machine.
fn step<S: Copy + PartialEq + std::fmt::Display>(
    entity: &'static str,
    from: S,
    to: S,
    allowed: bool,
    name: fn(S) -> &'static str,
) -> Result<S, DomainError> {
    if allowed {
        Ok(to)
    } else {
        Err(DomainError::IllegalTransition {
            entity,
            from: name(from),
            to: name(to),
        })
    }
}

impl NeedStatus {
    /// DRAFT → PUBLISHED → IN_COOPERATION → CLOSED; DRAFT/PUBLISHED → WITHDRAWN;
    /// PUBLISHED → CLOSED; IN_COOPERATION → PUBLISHED when the cooperation ends.
    pub fn transition(self, to: NeedStatus) -> Result<NeedStatus, DomainError> {
        use NeedStatus::*;
        let allowed = matches!(
            (self, to),
            (Draft, Published)
                | (Draft, Withdrawn)
                | (Published, InCooperation)
                | (Published, Closed)
                | (Published, Withdrawn)
                | (InCooperation, Published)
                | (InCooperation, Closed)
        );
        step("need", self, to, allowed, Self::as_str)
    }

    /// Whether the need's content may still be edited.
    pub fn is_editable(self) -> bool {
        matches!(self, NeedStatus::Draft | NeedStatus::Published)
    }

    /// Whether a need in this state is out (neither a draft nor withdrawn):
    /// readers outside its organisation may see it, as far as its
    /// [`Visibility`] allows.
    pub fn is_released(self) -> bool {
        !matches!(self, NeedStatus::Draft | NeedStatus::Withdrawn)
    }
}

impl Visibility {
    /// Whether every signed-in user may see a released need of this
    /// visibility.
    pub fn is_shared(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Platform)
    }
}

impl CapabilityStatus {
    /// DRAFT → PUBLISHED → ARCHIVED; DRAFT → ARCHIVED; ARCHIVED → PUBLISHED (re-publish).
    pub fn transition(self, to: CapabilityStatus) -> Result<CapabilityStatus, DomainError> {
        use CapabilityStatus::*;
        let allowed = matches!(
            (self, to),
            (Draft, Published) | (Draft, Archived) | (Published, Archived) | (Archived, Published)
        );
        step("capability", self, to, allowed, Self::as_str)
    }

    /// Whether the capability's content may still be edited.
    pub fn is_editable(self) -> bool {
        !matches!(self, CapabilityStatus::Archived)
    }
}

impl MatchStatus {
    /// Whether the match was decided: ACCEPTED or DECLINED (the instant of
    /// that decision is kept; the plan metrics count it).
    pub fn is_decided(self) -> bool {
        matches!(self, MatchStatus::Accepted | MatchStatus::Declined)
    }
}

impl MatchStatus {
    /// SUGGESTED → SHORTLISTED → CONTACTED → ACCEPTED, each may skip forward;
    /// any open state → DECLINED. DECLINED and ACCEPTED are final.
    pub fn transition(self, to: MatchStatus) -> Result<MatchStatus, DomainError> {
        use MatchStatus::*;
        let allowed = matches!(
            (self, to),
            (Suggested, Shortlisted)
                | (Suggested, Contacted)
                | (Shortlisted, Contacted)
                | (Shortlisted, Accepted)
                | (Contacted, Accepted)
                | (Suggested | Shortlisted | Contacted, Declined)
        );
        step("match", self, to, allowed, Self::as_str)
    }

    /// The statuses a pair may move to from this one ([`Self::transition`]).
    pub fn next_steps(self) -> Vec<MatchStatus> {
        use MatchStatus::*;
        [Shortlisted, Contacted, Accepted, Declined]
            .into_iter()
            .filter(|to| self.transition(*to).is_ok())
            .collect()
    }
}

impl ProjectStatus {
    /// PROPOSED → AGREED → IN_PROGRESS → COMPLETED; any open state → TERMINATED.
    pub fn transition(self, to: ProjectStatus) -> Result<ProjectStatus, DomainError> {
        use ProjectStatus::*;
        let allowed = matches!(
            (self, to),
            (Proposed, Agreed)
                | (Agreed, InProgress)
                | (InProgress, Completed)
                | (Proposed | Agreed | InProgress, Terminated)
        );
        step("project", self, to, allowed, Self::as_str)
    }

    /// Whether the project has ended (COMPLETED or TERMINATED).
    pub fn is_final(self) -> bool {
        matches!(self, ProjectStatus::Completed | ProjectStatus::Terminated)
    }

    /// Whether moving to this status binds every party (AGREED, COMPLETED,
    /// TERMINATED): each party confirms, or a coordinator moves alone.
    /// Starting the work (IN_PROGRESS) does not.
    pub fn is_binding(self) -> bool {
        matches!(
            self,
            ProjectStatus::Agreed | ProjectStatus::Completed | ProjectStatus::Terminated
        )
    }
}

impl AgreementStatus {
    /// DRAFT → ACTIVE (once every party confirmed); DRAFT/ACTIVE →
    /// TERMINATED. EXPIRED (an ACTIVE agreement past its term) and
    /// TERMINATED are final; nothing moves to EXPIRED or DRAFT by a step.
    pub fn transition(self, to: AgreementStatus) -> Result<AgreementStatus, DomainError> {
        use AgreementStatus::*;
        let allowed = matches!((self, to), (Draft, Active) | (Draft | Active, Terminated));
        step("agreement", self, to, allowed, Self::as_str)
    }

    /// Whether projects and needs may still be linked to an agreement in
    /// this state (a draft being prepared, or one in force).
    pub fn accepts_links(self) -> bool {
        matches!(self, AgreementStatus::Draft | AgreementStatus::Active)
    }
}

impl ActivityKind {
    /// The cooperation area the kind belongs to; an activity's area is
    /// always its kind's.
    pub const fn area(self) -> ProjectArea {
        use ActivityKind::*;
        match self {
            ExpertConsultation | Secondment => ProjectArea::TalentSharing,
            TrainingProgramme | Internship | JointStudent | CoSupervisedGraduate => {
                ProjectArea::JointTraining
            }
            VocationalStudy | VocationalCourse => ProjectArea::VocationalEducation,
            PartyPairing | JointPartyActivity => ProjectArea::OrganizationPairing,
        }
    }
}

impl ProjectArea {
    /// Whether the area's work is recorded as cooperation activities (the
    /// other areas have projects, the testing center and OTHER).
    pub fn has_activities(self) -> bool {
        ActivityKind::ALL.iter().any(|k| k.area() == self)
    }
}

impl ActivityStatus {
    /// PLANNED → UNDER_WAY → COMPLETED; PLANNED → COMPLETED directly (a
    /// one-day event: a consultation, a joint activity); PLANNED or
    /// UNDER_WAY → CANCELLED. COMPLETED and CANCELLED are final.
    pub fn transition(self, to: ActivityStatus) -> Result<ActivityStatus, DomainError> {
        use ActivityStatus::*;
        let allowed = matches!(
            (self, to),
            (Planned, UnderWay) | (Planned | UnderWay, Completed) | (Planned | UnderWay, Cancelled)
        );
        step("activity", self, to, allowed, Self::as_str)
    }

    /// Whether the activity's content and participants may still change:
    /// while planned or under way, and once completed (the record is filled
    /// in afterwards); a cancelled one is closed.
    pub fn is_editable(self) -> bool {
        self != ActivityStatus::Cancelled
    }
}

impl BookingStatus {
    /// REQUESTED → APPROVED/REJECTED/CANCELLED; APPROVED → CANCELLED/COMPLETED.
    pub fn transition(self, to: BookingStatus) -> Result<BookingStatus, DomainError> {
        use BookingStatus::*;
        let allowed = matches!(
            (self, to),
            (Requested, Approved)
                | (Requested, Rejected)
                | (Requested, Cancelled)
                | (Approved, Cancelled)
                | (Approved, Completed)
        );
        step("booking", self, to, allowed, Self::as_str)
    }

    /// Active bookings hold their time slot.
    pub fn is_active(self) -> bool {
        matches!(self, BookingStatus::Requested | BookingStatus::Approved)
    }
}

impl ServiceOrderStatus {
    /// REQUESTED → QUOTED (the center's staff) or REJECTED (the staff
    /// decline to test); QUOTED → ACCEPTED or DECLINED (the client);
    /// REQUESTED/QUOTED → CANCELLED (the client); ACCEPTED → IN_PROGRESS
    /// (the staff start the tests) → COMPLETED (the staff, once the report
    /// is attached).
    pub fn transition(self, to: ServiceOrderStatus) -> Result<ServiceOrderStatus, DomainError> {
        use ServiceOrderStatus::*;
        let allowed = matches!(
            (self, to),
            (Requested, Quoted)
                | (Requested, Rejected)
                | (Quoted, Accepted)
                | (Quoted, Declined)
                | (Requested | Quoted, Cancelled)
                | (Accepted, InProgress)
                | (InProgress, Completed)
        );
        step("service order", self, to, allowed, Self::as_str)
    }

    /// Whether the center's staff are running the tests (instrument time
    /// may be booked under the order, its report attached).
    pub fn is_running(self) -> bool {
        self == ServiceOrderStatus::InProgress
    }
}

impl InvoiceStatus {
    /// DRAFT → ISSUED (sent to the client) → PAID; DRAFT/ISSUED → VOID
    /// (withdrawn; its bookings are never billed again). PAID and VOID are
    /// final.
    pub fn transition(self, to: InvoiceStatus) -> Result<InvoiceStatus, DomainError> {
        use InvoiceStatus::*;
        let allowed = matches!(
            (self, to),
            (Draft, Issued) | (Issued, Paid) | (Draft | Issued, Void)
        );
        step("invoice", self, to, allowed, Self::as_str)
    }
}

impl WaitlistStatus {
    /// WAITING → OFFERED (the window came free) → BOOKED (the user took
    /// it); WAITING/OFFERED → EXPIRED (the window began, or the offer's
    /// hold ran out) or CANCELLED (the user left the list).
    pub fn transition(self, to: WaitlistStatus) -> Result<WaitlistStatus, DomainError> {
        use WaitlistStatus::*;
        let allowed = matches!(
            (self, to),
            (Waiting, Offered)
                | (Offered, Booked)
                | (Waiting | Offered, Expired)
                | (Waiting | Offered, Cancelled)
        );
        step("waitlist entry", self, to, allowed, Self::as_str)
    }

    /// Still on the list (waiting, or holding an offer).
    pub fn is_active(self) -> bool {
        matches!(self, WaitlistStatus::Waiting | WaitlistStatus::Offered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreements_activate_from_draft_and_end_by_termination_or_expiry() {
        use AgreementStatus::*;
        assert_eq!(Draft.transition(Active), Ok(Active));
        assert_eq!(Draft.transition(Terminated), Ok(Terminated));
        assert_eq!(Active.transition(Terminated), Ok(Terminated));
        for to in AgreementStatus::ALL {
            assert!(Expired.transition(*to).is_err(), "EXPIRED → {to}");
            assert!(Terminated.transition(*to).is_err(), "TERMINATED → {to}");
            assert!(Active.transition(Draft).is_err());
            assert!(Draft.transition(Expired).is_err() && Active.transition(Expired).is_err());
        }
        assert!(Active.transition(Active).is_err());
        assert!(Draft.accepts_links() && Active.accepts_links());
        assert!(!Expired.accepts_links() && !Terminated.accepts_links());
    }

    #[test]
    fn activities_are_planned_under_way_completed_or_cancelled() {
        use ActivityStatus::*;
        assert_eq!(Planned.transition(UnderWay), Ok(UnderWay));
        assert_eq!(UnderWay.transition(Completed), Ok(Completed));
        // A one-day event is completed without being started.
        assert_eq!(Planned.transition(Completed), Ok(Completed));
        assert_eq!(Planned.transition(Cancelled), Ok(Cancelled));
        assert_eq!(UnderWay.transition(Cancelled), Ok(Cancelled));
        for to in ActivityStatus::ALL {
            assert!(Completed.transition(*to).is_err(), "COMPLETED → {to}");
            assert!(Cancelled.transition(*to).is_err(), "CANCELLED → {to}");
            assert!(to.transition(Planned).is_err(), "{to} → PLANNED");
        }
        assert!(UnderWay.transition(UnderWay).is_err());
        assert_eq!(
            UnderWay.transition(Planned).unwrap_err().to_string(),
            "activity cannot move from UNDER_WAY to PLANNED"
        );
        assert!(Planned.is_editable() && UnderWay.is_editable() && Completed.is_editable());
        assert!(!Cancelled.is_editable());
    }

    #[test]
    fn every_activity_kind_belongs_to_one_of_the_four_areas() {
        use ActivityKind::*;
        use ProjectArea::*;
        assert_eq!(ExpertConsultation.area(), TalentSharing);
        assert_eq!(Secondment.area(), TalentSharing);
        for kind in [
            TrainingProgramme,
            Internship,
            JointStudent,
            CoSupervisedGraduate,
        ] {
            assert_eq!(kind.area(), JointTraining, "{kind}");
        }
        assert_eq!(VocationalStudy.area(), VocationalEducation);
        assert_eq!(VocationalCourse.area(), VocationalEducation);
        assert_eq!(PartyPairing.area(), OrganizationPairing);
        assert_eq!(JointPartyActivity.area(), OrganizationPairing);
        let with: Vec<ProjectArea> = ProjectArea::ALL
            .iter()
            .copied()
            .filter(|a| a.has_activities())
            .collect();
        assert_eq!(
            with,
            [
                TalentSharing,
                JointTraining,
                VocationalEducation,
                OrganizationPairing
            ]
        );
    }

    #[test]
    fn text_form_round_trips_for_every_value() {
        for v in NeedStatus::ALL {
            assert_eq!(v.as_str().parse::<NeedStatus>().unwrap(), *v);
        }
        for v in ProjectArea::ALL {
            assert_eq!(v.as_str().parse::<ProjectArea>().unwrap(), *v);
        }
        assert!("draft".parse::<NeedStatus>().is_err());
    }

    #[test]
    fn need_life_cycle() {
        use NeedStatus::*;
        assert_eq!(Draft.transition(Published), Ok(Published));
        assert_eq!(Published.transition(Closed), Ok(Closed));
        let err = Closed.transition(Published).unwrap_err();
        assert_eq!(err.to_string(), "need cannot move from CLOSED to PUBLISHED");
        assert!(Withdrawn.transition(Published).is_err());
        assert!(Draft.transition(Closed).is_err());
    }

    #[test]
    fn capability_life_cycle() {
        use CapabilityStatus::*;
        assert!(Draft.transition(Published).is_ok());
        assert!(Published.transition(Archived).is_ok());
        assert!(Published.transition(Draft).is_err());
    }

    #[test]
    fn match_declined_is_final() {
        use MatchStatus::*;
        assert!(Declined.transition(Shortlisted).is_err());
        assert!(Accepted.transition(Declined).is_err());
        assert!(Contacted.transition(Declined).is_ok());
        assert_eq!(Suggested.next_steps(), [Shortlisted, Contacted, Declined]);
        assert_eq!(Shortlisted.next_steps(), [Contacted, Accepted, Declined]);
        assert_eq!(Contacted.next_steps(), [Accepted, Declined]);
        assert!(Accepted.next_steps().is_empty() && Declined.next_steps().is_empty());
    }

    #[test]
    fn project_and_booking_life_cycles() {
        assert!(
            ProjectStatus::Proposed
                .transition(ProjectStatus::Completed)
                .is_err()
        );
        assert!(
            ProjectStatus::InProgress
                .transition(ProjectStatus::Terminated)
                .is_ok()
        );
        assert!(
            BookingStatus::Approved
                .transition(BookingStatus::Completed)
                .is_ok()
        );
        assert!(
            BookingStatus::Rejected
                .transition(BookingStatus::Approved)
                .is_err()
        );
    }
}

vocabulary! {
    /// What a notification tells (docs/API.md, "Notifications").
    NotificationKind {
        /// A research side expressed interest in one of your organisation's needs.
        InterestExpressed => "INTEREST_EXPRESSED",
        /// The need's side accepted your organisation's interest.
        InterestAccepted => "INTEREST_ACCEPTED",
        /// The need's side declined your organisation's interest.
        InterestDeclined => "INTEREST_DECLINED",
        /// The other side accepted a match of your organisation.
        MatchAccepted => "MATCH_ACCEPTED",
        /// The other side declined a match of your organisation.
        MatchDeclined => "MATCH_DECLINED",
        /// A message in a conversation you take part in.
        MessagePosted => "MESSAGE_POSTED",
        /// Your organisation was named a party of a project.
        ProjectInvitation => "PROJECT_INVITATION",
        /// A booking of an instrument you staff waits for approval.
        BookingRequested => "BOOKING_REQUESTED",
        /// Your booking was approved.
        BookingApproved => "BOOKING_APPROVED",
        /// Your booking was rejected.
        BookingRejected => "BOOKING_REJECTED",
        /// A checklist item you own (or, unowned, of a project you created)
        /// is due within the configured days.
        ChecklistItemDue => "CHECKLIST_ITEM_DUE",
        /// Such an item is past its due date and not done.
        ChecklistItemOverdue => "CHECKLIST_ITEM_OVERDUE",
        /// One of your organisation's needs reached its deadline and was
        /// closed.
        NeedExpired => "NEED_EXPIRED",
        /// A capability published by another organisation fits one of your
        /// organisation's needs.
        CapabilitySuggested => "CAPABILITY_SUGGESTED",
        /// A published need fits one of your organisation's capabilities.
        NeedSuggested => "NEED_SUGGESTED",
        /// A project your organisation takes part in changed its status
        /// (agreed, started, completed, terminated).
        ProjectStatusChanged => "PROJECT_STATUS_CHANGED",
        /// A checklist item was given to you.
        ChecklistItemAssigned => "CHECKLIST_ITEM_ASSIGNED",
        /// A checklist item you own, or of a project you created, was
        /// blocked (with the note saying why).
        ChecklistItemBlocked => "CHECKLIST_ITEM_BLOCKED",
        /// Your qualification for an instrument expires soon.
        QualificationExpiring => "QUALIFICATION_EXPIRING",
        /// A coordinator handed you a pair of a need and a capability to
        /// follow up (with a due date and a note).
        OpportunityAssigned => "OPPORTUNITY_ASSIGNED",
        /// A published need or capability of your organisation was not
        /// confirmed for `listing_confirm_days`: confirm it (or edit it) or
        /// it leaves the public lists.
        ListingUnconfirmed => "LISTING_UNCONFIRMED",
        /// Such a listing was still unconfirmed a grace period later and
        /// left the public lists (a need withdrawn, a capability archived).
        ListingWithdrawn => "LISTING_WITHDRAWN",
        /// A need or capability published since fits one of your saved
        /// searches.
        SavedSearchMatched => "SAVED_SEARCH_MATCHED",
        /// A time you queued for on an instrument's waiting list came free
        /// and is held for you until the offer expires.
        WaitlistSlotOffered => "WAITLIST_SLOT_OFFERED",
        /// A testing service order of your organisation, or of the center
        /// you staff, changed its status (requested, quoted, accepted,
        /// declined, rejected, cancelled).
        ServiceOrderChanged => "SERVICE_ORDER_CHANGED",
    }
}

vocabulary! {
    /// What a saved search looks through.
    SavedSearchType {
        /// Technology needs.
        Need => "NEED",
        /// Research capabilities.
        Capability => "CAPABILITY",
    }
}

vocabulary! {
    /// How often a user's digest e-mail goes out (daily by default).
    #[derive(Default)]
    DigestFrequency {
        /// At most once a day.
        #[default]
        Daily => "DAILY",
        /// At most once a week.
        Weekly => "WEEKLY",
    }
}

vocabulary! {
    /// How a kind of notification reaches a user.
    NotificationChannel {
        /// In the inbox (and `notificationAdded`) only.
        InApp => "IN_APP",
        /// In the inbox and by e-mail.
        Email => "EMAIL",
        /// In the inbox and in your digest e-mail (daily or weekly, as you
        /// chose), not by e-mail of its own.
        Digest => "DIGEST",
        /// Not at all.
        Off => "OFF",
    }
}
