//! Exhaustiveness of the matrix: every Query, Mutation and Subscription
//! field of `schema.graphql`, every type implementing `Node`, every nested
//! edge to tenant data and every REST read of the OpenAPI document must
//! name the case that covers it. A new field without an isolation case
//! fails here (and a case renamed or removed leaves a stale entry that
//! fails too).

use std::collections::BTreeSet;

const SCHEMA: &str = include_str!("../../schema.graphql");

/// The OpenAPI document as the API crate's snapshot test keeps it.
const OPENAPI: &str = include_str!(
    "../../crates/api/src/rest/snapshots/iurhub_api__rest__openapi__tests__openapi.snap"
);

/// The case modules, to check that every case named below exists.
const SOURCES: &[(&str, &str)] = &[
    ("queries", include_str!("queries.rs")),
    ("node", include_str!("node.rs")),
    ("edges", include_str!("edges.rs")),
    ("mutations", include_str!("mutations.rs")),
    ("subscriptions", include_str!("subscriptions.rs")),
    ("rest", include_str!("rest.rs")),
    ("roles", include_str!("roles.rs")),
    ("exports", include_str!("exports.rs")),
    ("plans", include_str!("plans.rs")),
    ("disclosures", include_str!("disclosures.rs")),
    ("consent", include_str!("consent.rs")),
    ("docking", include_str!("docking.rs")),
    ("threads", include_str!("threads.rs")),
    ("notifications", include_str!("notifications.rs")),
    ("opportunities", include_str!("opportunities.rs")),
    ("centers", include_str!("centers.rs")),
    ("billing", include_str!("billing.rs")),
];

const SEARCH: &str = "queries::needs_capabilities_and_search";
const PROJECTS: &str = "queries::projects_and_the_dashboard";
const CENTER: &str = "queries::testing_center_reads";
const DIRECTORY: &str = "queries::directory_and_reference_data";
const NODE: &str = "node::node_hides_every_kind_of_object";
const NODES: &str = "node::nodes_answers_each_id_on_its_own";
const PEOPLE: &str = "queries::people_are_found_only_within_ones_circle";
const AGREEMENTS: &str = "queries::agreements_are_their_parties_alone";
const ACTIVITIES: &str = "queries::activities_are_their_organisations_alone";
const DISCLOSURES: &str = "disclosures::disclosures_stay_with_the_need_s_side_and_the_receiver";
const BLIND: &str = "disclosures::a_blind_match_shows_the_teaser_to_the_capability_side_alone";

/// Root query field → case.
const QUERY: &[(&str, &str)] = &[
    ("activities", ACTIVITIES),
    ("activity", ACTIVITIES),
    ("agreement", AGREEMENTS),
    ("agreements", AGREEMENTS),
    ("booking", CENTER),
    ("bookings", CENTER),
    ("calendarFeeds", R_FEEDS),
    ("capabilities", SEARCH),
    ("capability", SEARCH),
    ("disciplines", DIRECTORY),
    ("industries", DIRECTORY),
    ("instrument", CENTER),
    ("instruments", CENTER),
    ("me", DIRECTORY),
    ("need", SEARCH),
    ("needs", SEARCH),
    ("node", NODE),
    ("nodes", NODES),
    ("organization", DIRECTORY),
    ("organizations", DIRECTORY),
    ("project", PROJECTS),
    ("projects", PROJECTS),
    ("search", SEARCH),
    ("stats", PROJECTS),
    ("talent", DIRECTORY),
    ("talents", DIRECTORY),
    ("usageStats", CENTER),
    ("users", PEOPLE),
    ("nonDisclosureAgreement", DISCLOSURES),
    ("receivedDisclosures", DISCLOSURES),
    ("notifications", INBOX),
    ("unreadNotificationCount", INBOX),
    ("notificationPreferences", INBOX),
    ("opportunities", QUEUE),
    ("gapNeeds", QUEUE),
    ("staleNeeds", QUEUE),
    ("savedSearches", SAVED_SEARCHES),
    ("testingCenter", CENTERS),
    ("testingCenters", CENTERS),
    ("assessment", CENTERS),
    ("waitlistEntries", SHARING),
    ("serviceOrder", ORDERS),
    ("serviceOrders", ORDERS),
    ("testItems", BILLING),
    ("billingAccount", BILLING),
    ("invoice", BILLING),
    ("invoices", BILLING),
    ("centerSettlement", BILLING),
];

const M_CATALOGUE: &str = "mutations::need_capability_talent_and_import_mutations";
const M_MATCHES: &str = "mutations::match_decisions_and_projects_from_matches";
const M_PROJECTS: &str = "mutations::project_mutations";
const M_CENTER: &str = "mutations::testing_center_mutations";
const M_ORGS: &str = "mutations::organization_mutations";
const ROLES: &str = "roles::role_grants_stay_with_their_organisations";
const AGREEMENT_COORDINATORS: &str = "roles::agreement_coordinators_stay_with_their_agreement";
const M_AGREEMENTS: &str = "mutations::agreement_mutations";
const PLANS: &str = "plans::plans_are_their_agreements_alone";
const REVIEWS: &str = "plans::reviews_and_scoped_figures_stay_within_their_scope";
const M_ACTIVITIES: &str = "mutations::activity_mutations";
const CONSENT: &str = "consent::consent_is_the_projects_parties_alone";
const DOCKING: &str = "docking::docking_stays_with_its_two_sides";
const THREADS: &str = "threads::threads_are_their_parties_alone";
const INBOX: &str = "notifications::notifications_are_their_recipient_s_alone";
const QUEUE: &str = "opportunities::the_opportunity_queue_is_who_looks_after_either_side_s_alone";
const SAVED_SEARCHES: &str = "notifications::saved_searches_are_their_owner_s_alone";
const CENTERS: &str = "centers::centers_owners_and_the_assessment_keep_tenants_apart";
const SHARING: &str = "mutations::ratings_and_waiting_lists_stay_with_their_user";
const ORDERS: &str = "mutations::service_orders_are_their_client_and_center_alone";
const BILLING: &str = "billing::billing_is_the_center_s_and_the_client_s_alone";

/// Mutation field → case.
const MUTATION: &[(&str, &str)] = &[
    ("createTestingCenter", CENTERS),
    ("updateTestingCenter", CENTERS),
    ("setInstrumentOwners", CENTERS),
    ("setOrganizationLegalEntity", CENTERS),
    ("markNotificationsRead", INBOX),
    ("markAllNotificationsRead", INBOX),
    ("setNotificationPreference", INBOX),
    ("assignOpportunity", QUEUE),
    ("unassignOpportunity", QUEUE),
    ("saveSearch", SAVED_SEARCHES),
    ("deleteSavedSearch", SAVED_SEARCHES),
    ("acceptInterest", DOCKING),
    ("markThreadRead", THREADS),
    ("postMessage", THREADS),
    ("acceptMatch", M_MATCHES),
    ("addActivityParticipant", M_ACTIVITIES),
    ("activateAgreement", M_AGREEMENTS),
    ("addAgreementParty", M_AGREEMENTS),
    ("addPlanWorkItem", PLANS),
    ("acceptProjectInvitation", CONSENT),
    ("addChecklistItem", M_PROJECTS),
    ("addMaintenanceWindow", M_CENTER),
    ("addMember", M_ORGS),
    ("addMilestone", M_PROJECTS),
    ("agreeProject", M_PROJECTS),
    ("approveBooking", M_CENTER),
    ("archiveCapability", M_CATALOGUE),
    ("blockChecklistItem", M_PROJECTS),
    ("cancelActivity", M_ACTIVITIES),
    ("cancelBooking", M_CENTER),
    ("closeNeed", M_CATALOGUE),
    ("completeActivity", M_ACTIVITIES),
    ("completeBooking", M_CENTER),
    ("completeChecklistItem", M_PROJECTS),
    ("completeProject", M_PROJECTS),
    ("confirmCapability", M_CATALOGUE),
    ("confirmNeed", M_CATALOGUE),
    ("contactMatch", M_MATCHES),
    ("createActivity", M_ACTIVITIES),
    ("createAgreement", M_AGREEMENTS),
    ("deletePlanWorkItem", PLANS),
    ("createCalendarFeed", R_FEEDS),
    ("createCapability", M_CATALOGUE),
    ("createInstrument", M_CENTER),
    ("createNeed", M_CATALOGUE),
    ("createOrganization", M_ORGS),
    ("createProject", M_PROJECTS),
    ("createProjectFromMatch", M_MATCHES),
    ("declineInterest", DOCKING),
    ("declineMatch", M_MATCHES),
    ("declineProjectInvitation", CONSENT),
    ("deleteChecklistItem", M_PROJECTS),
    ("deleteMilestone", M_PROJECTS),
    ("deleteMaintenanceWindow", M_CENTER),
    ("grantQualification", M_CENTER),
    ("grantAgreementCoordinator", AGREEMENT_COORDINATORS),
    ("grantRole", ROLES),
    ("importCapabilities", M_CATALOGUE),
    ("importNeeds", M_CATALOGUE),
    ("publishCapability", M_CATALOGUE),
    ("publishNeed", M_CATALOGUE),
    ("rejectBooking", M_CENTER),
    ("removeActivityParticipant", M_ACTIVITIES),
    ("removeAgreementParty", M_AGREEMENTS),
    ("removePlanTarget", PLANS),
    ("removeMember", M_ORGS),
    ("reopenChecklistItem", M_PROJECTS),
    ("reorderChecklist", M_PROJECTS),
    ("requestBooking", M_CENTER),
    ("retireInstrument", M_CENTER),
    ("revokeCalendarFeed", R_FEEDS),
    ("revokeQualification", M_CENTER),
    ("revokeAgreementCoordinator", AGREEMENT_COORDINATORS),
    ("revokeRole", ROLES),
    ("setAgreementResponsiblePeople", M_AGREEMENTS),
    ("setPlanTarget", PLANS),
    ("expressInterest", DOCKING),
    ("shortlistMatch", M_MATCHES),
    ("startActivity", M_ACTIVITIES),
    ("startProject", M_PROJECTS),
    ("terminateAgreement", M_AGREEMENTS),
    ("terminateProject", M_PROJECTS),
    ("updateActivity", M_ACTIVITIES),
    ("updateAgreement", M_AGREEMENTS),
    ("updatePlanWorkItem", PLANS),
    ("updateCapability", M_CATALOGUE),
    ("updateChecklistItem", M_PROJECTS),
    ("updateInstrument", M_CENTER),
    ("updateMilestone", M_PROJECTS),
    ("updateNeed", M_CATALOGUE),
    ("updateOrganization", M_ORGS),
    ("updateProfile", M_ORGS),
    ("updateProject", M_PROJECTS),
    ("upsertTalentProfile", M_CATALOGUE),
    ("withdrawNeed", M_CATALOGUE),
    ("acceptDisclosure", DISCLOSURES),
    ("offerDisclosure", DISCLOSURES),
    ("revokeDisclosure", DISCLOSURES),
    ("setNeedTeaser", DISCLOSURES),
    ("withdrawProjectConfirmation", CONSENT),
    ("rateBooking", SHARING),
    ("requestRecurringBooking", SHARING),
    ("joinWaitlist", SHARING),
    ("acceptWaitlistOffer", SHARING),
    ("leaveWaitlist", SHARING),
    ("requestServiceOrder", ORDERS),
    ("quoteServiceOrder", ORDERS),
    ("rejectServiceOrder", ORDERS),
    ("acceptServiceOrderQuote", ORDERS),
    ("declineServiceOrderQuote", ORDERS),
    ("cancelServiceOrder", ORDERS),
    ("createTestItem", BILLING),
    ("updateTestItem", BILLING),
    ("deleteTestItem", BILLING),
    ("updateBillingAccount", BILLING),
    ("issueInvoices", BILLING),
    ("issueInvoice", BILLING),
    ("markInvoicePaid", BILLING),
    ("voidInvoice", BILLING),
    ("startServiceOrder", ORDERS),
    ("completeServiceOrder", ORDERS),
    ("bookServiceOrderTime", ORDERS),
    ("rateServiceOrder", ORDERS),
];

/// Subscription field → case.
const SUBSCRIPTION: &[(&str, &str)] = &[
    ("messageAdded", THREADS),
    ("notificationAdded", INBOX),
    ("needSuggested", INBOX),
    (
        "matchSuggested",
        "subscriptions::match_suggested_refuses_other_tenants",
    ),
    (
        "matchUpdated",
        "docking::match_updated_reaches_the_two_sides_only",
    ),
    (
        "myProjectsUpdated",
        "subscriptions::project_subscriptions_push_to_parties_only",
    ),
    (
        "projectUpdated",
        "subscriptions::project_subscriptions_push_to_parties_only",
    ),
];

/// Type implementing `Node` → the case trying `node(id:)` with its ids.
const NODE_TYPES: &[(&str, &str)] = &[
    ("Notification", INBOX),
    ("Thread", THREADS),
    ("ThreadMessage", THREADS),
    ("Activity", NODE),
    ("ActivityParticipant", NODE),
    ("Agreement", NODE),
    ("AgreementCoordinatorGrant", AGREEMENT_COORDINATORS),
    ("Booking", NODE),
    ("CalendarFeed", NODE),
    ("Capability", NODE),
    ("ChecklistItem", NODE),
    ("ChecklistItemAddedEvent", NODE),
    ("ChecklistItemDeletedEvent", NODE),
    ("ChecklistItemStatusChangedEvent", NODE),
    ("ChecklistItemUpdatedEvent", NODE),
    ("ChecklistReorderedEvent", NODE),
    ("Instrument", NODE),
    ("Interest", DOCKING),
    ("MaintenanceWindow", NODE),
    ("Match", NODE),
    ("Membership", NODE),
    ("Milestone", NODE),
    ("MilestoneAddedEvent", NODE),
    ("MilestoneDeletedEvent", NODE),
    ("MilestoneUpdatedEvent", NODE),
    ("Need", NODE),
    ("Organization", NODE),
    ("PlanTarget", PLANS),
    ("PlanWorkItem", PLANS),
    ("Project", NODE),
    ("RoleGrant", ROLES),
    ("ProjectCreatedEvent", NODE),
    ("ProjectMoveConfirmationEvent", CONSENT),
    ("ProjectPartyRespondedEvent", CONSENT),
    ("ProjectStatusChangedEvent", NODE),
    ("ProjectUpdatedEvent", NODE),
    ("Talent", NODE),
    ("User", NODE),
    ("Disclosure", DISCLOSURES),
];

const E_CATALOGUE: &str = "edges::edges_of_needs_capabilities_and_matches";
const E_PROJECTS: &str = "edges::edges_of_projects";
const E_CENTER: &str = "edges::edges_of_the_testing_center";
const E_AGREEMENTS: &str = "edges::edges_of_agreements";
const E_ACTIVITIES: &str = "edges::edges_of_activities";

/// Nested edge (`Type.field`, see [`edges`]) → case.
const EDGES: &[(&str, &str)] = &[
    ("Instrument.center", CENTERS),
    ("TestItem.center", BILLING),
    ("Invoice.center", BILLING),
    ("Invoice.billingAccount", BILLING),
    ("Invoice.lines", BILLING),
    ("Invoice.settlement", BILLING),
    ("InvoiceLine.instrument", BILLING),
    ("InvoiceLine.shares", BILLING),
    ("CenterSettlement.center", BILLING),
    ("CenterSettlement.owners", BILLING),
    ("CenterSettlement.invoices", BILLING),
    ("Need.matchingInstruments", CENTERS),
    ("Match.instruments", CENTERS),
    ("InstrumentMatch.instrument", CENTERS),
    ("Instrument.owners", CENTERS),
    ("Assessment.total", CENTERS),
    ("Assessment.centers", CENTERS),
    ("CenterAssessment.center", CENTERS),
    ("CenterAssessment.figures", CENTERS),
    ("CenterAssessment.instruments", CENTERS),
    ("InstrumentAssessment.instrument", CENTERS),
    ("InstrumentAssessment.figures", CENTERS),
    ("Notification.subject", INBOX),
    ("Opportunity.need", QUEUE),
    ("Opportunity.capability", QUEUE),
    ("Opportunity.match", QUEUE),
    ("Opportunity.assignment", QUEUE),
    ("OpportunityAssignment.broker", QUEUE),
    ("OpportunityAssignment.assignedBy", QUEUE),
    ("Attachment.uploadedBy", THREADS),
    ("Match.teaser", BLIND),
    ("Match.thread", THREADS),
    ("Project.thread", THREADS),
    ("Thread.messages", THREADS),
    ("Thread.subject", THREADS),
    ("ThreadMessage.attachments", THREADS),
    ("ThreadMessage.author", THREADS),
    ("ThreadMessage.thread", THREADS),
    ("Activity.agreement", E_ACTIVITIES),
    ("Activity.createdBy", E_ACTIVITIES),
    ("Activity.participants", E_ACTIVITIES),
    ("ActivityParticipant.talent", E_ACTIVITIES),
    ("Agreement.activities", E_ACTIVITIES),
    ("Agreement.coordinators", AGREEMENT_COORDINATORS),
    (
        "AgreementCoordinatorGrant.agreement",
        AGREEMENT_COORDINATORS,
    ),
    (
        "AgreementCoordinatorGrant.grantedBy",
        AGREEMENT_COORDINATORS,
    ),
    (
        "AgreementCoordinatorGrant.revokedBy",
        AGREEMENT_COORDINATORS,
    ),
    ("AgreementCoordinatorGrant.user", AGREEMENT_COORDINATORS),
    ("Agreement.needs", E_AGREEMENTS),
    ("Agreement.parties", E_AGREEMENTS),
    ("Agreement.projects", E_AGREEMENTS),
    ("AgreementParty.confirmedBy", E_AGREEMENTS),
    ("AgreementParty.responsiblePeople", E_AGREEMENTS),
    ("Agreement.plan", PLANS),
    ("Agreement.plans", PLANS),
    ("Agreement.progress", PLANS),
    ("Agreement.review", REVIEWS),
    ("AnnualReview.lines", REVIEWS),
    ("AnnualReview.progress", REVIEWS),
    ("AnnualReview.stats", REVIEWS),
    ("Stats.byMonth", REVIEWS),
    ("Stats.byOrganization", REVIEWS),
    ("AnnualPlan.progress", PLANS),
    ("AnnualPlan.targets", PLANS),
    ("AnnualPlan.workItems", PLANS),
    ("PlanContribution.record", PLANS),
    ("PlanProgress.contributions", PLANS),
    ("PlanTarget.agreement", PLANS),
    ("PlanTarget.updatedBy", PLANS),
    ("PlanWorkItem.agreement", PLANS),
    ("PlanWorkItem.createdBy", PLANS),
    ("Booking.agreement", REVIEWS),
    ("Booking.instrument", E_CENTER),
    ("Booking.user", E_CENTER),
    ("CalendarFeed.instrument", R_FEEDS),
    ("Capability.matchingNeeds", E_CATALOGUE),
    ("Capability.talents", E_CATALOGUE),
    ("ChecklistItem.milestone", E_PROJECTS),
    ("ChecklistItem.owner", E_PROJECTS),
    ("ChecklistItem.project", E_PROJECTS),
    ("ChecklistItemAddedEvent.actor", E_PROJECTS),
    ("ChecklistItemAddedEvent.changes", E_PROJECTS),
    ("ChecklistItemAddedEvent.item", E_PROJECTS),
    ("ChecklistItemAddedEvent.owner", E_PROJECTS),
    ("ChecklistItemAddedEvent.project", E_PROJECTS),
    ("ChecklistItemDeletedEvent.actor", E_PROJECTS),
    ("ChecklistItemDeletedEvent.changes", E_PROJECTS),
    ("ChecklistItemDeletedEvent.project", E_PROJECTS),
    ("ChecklistItemStatusChangedEvent.actor", E_PROJECTS),
    ("ChecklistItemStatusChangedEvent.changes", E_PROJECTS),
    ("ChecklistItemStatusChangedEvent.item", E_PROJECTS),
    ("ChecklistItemStatusChangedEvent.project", E_PROJECTS),
    ("ChecklistItemUpdatedEvent.actor", E_PROJECTS),
    ("ChecklistItemUpdatedEvent.changes", E_PROJECTS),
    ("ChecklistItemUpdatedEvent.item", E_PROJECTS),
    ("ChecklistItemUpdatedEvent.owner", E_PROJECTS),
    ("ChecklistItemUpdatedEvent.project", E_PROJECTS),
    ("ChecklistReorderedEvent.actor", E_PROJECTS),
    ("ChecklistReorderedEvent.changes", E_PROJECTS),
    ("ChecklistReorderedEvent.items", E_PROJECTS),
    ("ChecklistReorderedEvent.project", E_PROJECTS),
    ("Instrument.availability", E_CENTER),
    ("Instrument.maintenance", E_CENTER),
    ("Instrument.qualifications", E_CENTER),
    ("Instrument.viewerQualification", E_CENTER),
    ("MaintenanceWindow.instrument", E_CENTER),
    ("Interest.capability", DOCKING),
    ("Interest.createdBy", DOCKING),
    ("Interest.match", DOCKING),
    ("Interest.need", DOCKING),
    ("Interest.reviewedBy", DOCKING),
    ("Interest.talent", DOCKING),
    ("Match.capability", E_CATALOGUE),
    ("Match.capabilitySide", DOCKING),
    ("Match.needSide", DOCKING),
    ("MatchSideDecision.decidedBy", DOCKING),
    ("MatchUpdate.interest", DOCKING),
    ("MatchUpdate.match", DOCKING),
    ("Match.need", E_CATALOGUE),
    ("Membership.user", E_CENTER),
    ("Milestone.items", E_PROJECTS),
    ("Milestone.project", E_PROJECTS),
    ("MilestoneAddedEvent.actor", E_PROJECTS),
    ("MilestoneAddedEvent.changes", E_PROJECTS),
    ("MilestoneAddedEvent.milestone", E_PROJECTS),
    ("MilestoneAddedEvent.project", E_PROJECTS),
    ("MilestoneDeletedEvent.actor", E_PROJECTS),
    ("MilestoneDeletedEvent.changes", E_PROJECTS),
    ("MilestoneDeletedEvent.project", E_PROJECTS),
    ("MilestoneUpdatedEvent.actor", E_PROJECTS),
    ("MilestoneUpdatedEvent.changes", E_PROJECTS),
    ("MilestoneUpdatedEvent.milestone", E_PROJECTS),
    ("MilestoneUpdatedEvent.project", E_PROJECTS),
    ("Need.agreement", E_AGREEMENTS),
    ("Need.createdBy", E_CATALOGUE),
    ("Need.matches", E_CATALOGUE),
    ("Need.interests", DOCKING),
    ("Need.matchingTalents", E_CATALOGUE),
    ("NeedMatch.capabilitySide", DOCKING),
    ("NeedMatch.need", E_CATALOGUE),
    ("NeedMatch.needSide", DOCKING),
    ("NeedMatch.teaser", BLIND),
    ("Project.agreement", E_AGREEMENTS),
    ("Project.capability", E_PROJECTS),
    ("Project.checklist", E_PROJECTS),
    ("Project.events", E_PROJECTS),
    ("Project.match", E_PROJECTS),
    ("Project.milestones", E_PROJECTS),
    ("Project.need", E_PROJECTS),
    ("Project.partyConsents", CONSENT),
    ("Project.pendingMoves", CONSENT),
    ("PendingProjectMove.confirmations", CONSENT),
    ("ProjectMoveConfirmation.confirmedBy", CONSENT),
    ("ProjectParty.respondedBy", CONSENT),
    ("ProjectMoveConfirmationEvent.actor", CONSENT),
    ("ProjectMoveConfirmationEvent.changes", CONSENT),
    ("ProjectMoveConfirmationEvent.project", CONSENT),
    ("ProjectPartyRespondedEvent.actor", CONSENT),
    ("ProjectPartyRespondedEvent.changes", CONSENT),
    ("ProjectPartyRespondedEvent.project", CONSENT),
    ("ProjectCreatedEvent.actor", E_PROJECTS),
    ("ProjectCreatedEvent.changes", E_PROJECTS),
    ("ProjectCreatedEvent.match", E_PROJECTS),
    ("ProjectCreatedEvent.project", E_PROJECTS),
    ("ProjectStatusChangedEvent.actor", E_PROJECTS),
    ("ProjectStatusChangedEvent.changes", E_PROJECTS),
    ("ProjectStatusChangedEvent.project", E_PROJECTS),
    ("ProjectUpdatedEvent.actor", E_PROJECTS),
    ("ProjectUpdatedEvent.changes", E_PROJECTS),
    ("ProjectUpdatedEvent.project", E_PROJECTS),
    ("Qualification.user", E_CENTER),
    ("RoleGrant.grantedBy", ROLES),
    ("RoleGrant.revokedBy", ROLES),
    ("RoleGrant.user", ROLES),
    ("TalentMatch.talent", E_CATALOGUE),
    ("Usage.instrument", E_CENTER),
    ("UsageStats.center", E_CENTER),
    ("UsageStats.instruments", E_CENTER),
    ("User.agreementCoordinatorGrants", AGREEMENT_COORDINATORS),
    ("User.memberships", E_CENTER),
    ("User.roleGrants", ROLES),
    ("User.talentProfile", PEOPLE),
    ("Disclosure.acceptedBy", DISCLOSURES),
    ("Disclosure.need", DISCLOSURES),
    ("Disclosure.offeredBy", DISCLOSURES),
    ("Disclosure.revokedBy", DISCLOSURES),
    ("Disclosure.teaser", DISCLOSURES),
    ("DisclosureEvent.user", DISCLOSURES),
    ("Need.disclosureLog", DISCLOSURES),
    ("Need.disclosures", DISCLOSURES),
    ("Need.teaser", DISCLOSURES),
    ("Booking.rating", SHARING),
    ("Instrument.rating", SHARING),
    ("Instrument.ratings", SHARING),
    ("WaitlistEntry.booking", SHARING),
    ("WaitlistEntry.instrument", SHARING),
    ("ServiceOrder.requestedBy", ORDERS),
    ("ServiceOrder.quoteLines", ORDERS),
    ("ServiceOrder.quoteItems", ORDERS),
    ("ServiceOrder.history", ORDERS),
    ("QuoteLine.instrument", ORDERS),
    ("QuoteItemLine.testItem", ORDERS),
    ("ServiceOrderEvent.actor", ORDERS),
    ("ServiceOrder.center", ORDERS),
    ("ServiceOrder.bookings", ORDERS),
    ("ServiceOrder.report", ORDERS),
    ("ServiceOrder.rating", ORDERS),
    ("ServiceOrderReport.uploadedBy", ORDERS),
    ("ServiceOrderRating.user", ORDERS),
    ("ServiceOrder.thread", ORDERS),
];

const R_READS: &str = "rest::rest_reads_keep_tenants_apart";
const R_EXPORTS: &str = "exports::csv_and_calendar_exports_keep_tenants_apart";
const R_FEEDS: &str = "exports::calendar_feeds_keep_tenants_apart";

/// REST read (GET path of the OpenAPI document) → case.
const REST: &[(&str, &str)] = &[
    ("/api/v1/attachments/{id}", THREADS),
    ("/api/v1/capabilities", R_READS),
    ("/api/v1/capabilities/{id}", R_READS),
    ("/api/v1/instruments", R_READS),
    ("/api/v1/instruments/{id}", R_READS),
    ("/api/v1/instruments/{id}/calendar.ics", R_EXPORTS),
    ("/api/v1/me/bookings.ics", R_FEEDS),
    ("/api/v1/needs", R_READS),
    ("/api/v1/needs/{id}", R_READS),
    ("/api/v1/needs/{id}/matches", R_READS),
    ("/api/v1/openapi.json", R_READS),
    ("/api/v1/organizations", R_READS),
    ("/api/v1/organizations/{id}", R_READS),
    ("/api/v1/projects", R_READS),
    ("/api/v1/projects.csv", R_EXPORTS),
    ("/api/v1/agreements/{id}/review.csv", REVIEWS),
    ("/api/v1/centers/{id}/assessment.csv", CENTERS),
    ("/api/v1/centers/{id}/assessment.xlsx", CENTERS),
    ("/api/v1/invoices/{id}.csv", BILLING),
    ("/api/v1/centers/{id}/settlement.csv", BILLING),
    ("/api/v1/projects/{id}", R_READS),
    ("/api/v1/talents", R_READS),
    ("/api/v1/talents/{id}", R_READS),
    ("/api/v1/service-orders/{id}/report", ORDERS),
];

/// Types that carry no tenant's data of their own: an edge leading to
/// one of them needs no case. Any other type — including every type added
/// later — is treated as tenant data.
const VALUE_TYPES: &[&str] = &[
    "Achievement",
    "CapabilityStatusCount",
    "MatchFactor",
    "MatchStatusCount",
    "NeedStatusCount",
    "Money",
    "Organization",
    "PageInfo",
    "ProjectAreaCount",
    "ProjectProgress",
    "ProjectStatusCount",
    "Region",
    "SharedDiscipline",
    "TaxonomyEntry",
    "TierPrices",
];

/// One definition of the SDL.
#[derive(Debug)]
struct Def {
    keyword: String,
    name: String,
    implements: Vec<String>,
    /// (field, return type without `[]` and `!`)
    fields: Vec<(String, String)>,
}

/// Removes `"""…"""` and `"…"` descriptions and `#` comments.
fn strip_descriptions(sdl: &str) -> String {
    let mut out = String::new();
    let mut rest = sdl;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let (quote, body) = match after.strip_prefix("\"\"\"") {
            Some(body) => ("\"\"\"", body),
            None => ("\"", &after[1..]),
        };
        let end = body.find(quote).expect("a closed description");
        rest = &body[end + quote.len()..];
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A small SDL reader: definitions with their fields and return types.
fn parse(sdl: &str) -> Vec<Def> {
    let text = strip_descriptions(sdl);
    let mut defs = Vec::new();
    let mut rest = text.as_str();
    while let Some((head, tail)) = next_definition(rest) {
        let words: Vec<&str> = head
            .split(|c: char| c.is_whitespace() || c == '&')
            .filter(|w| !w.is_empty())
            .collect();
        let (keyword, name) = (words[0].to_owned(), words[1].to_owned());
        let implements = match words.iter().position(|w| *w == "implements") {
            Some(i) => words[i + 1..].iter().map(|w| (*w).to_owned()).collect(),
            None => Vec::new(),
        };
        let (body, after) = match tail.strip_prefix('{') {
            Some(t) => {
                let end = closing_brace(t);
                (&t[..end], &t[end + 1..])
            }
            None => ("", tail),
        };
        let fields = if keyword == "type" || keyword == "interface" {
            fields(body)
        } else {
            Vec::new()
        };
        defs.push(Def {
            keyword,
            name,
            implements,
            fields,
        });
        rest = after;
    }
    defs
}

/// Where the body opened just before `text` closes (object-valued
/// defaults may nest braces).
fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    panic!("an unclosed body in schema.graphql")
}

/// The next `type|interface|input|enum|union|scalar|directive|schema …`
/// header and what follows it (from its `{`, or the rest of its line).
fn next_definition(text: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let first = trimmed.split_whitespace().next().unwrap_or_default();
        if matches!(
            first,
            "type" | "interface" | "input" | "enum" | "union" | "scalar" | "directive"
        ) {
            let start = offset + (line.len() - trimmed.len());
            let from = &text[start..];
            return Some(match (first, from.find('{'), from.find('\n')) {
                ("type" | "interface" | "input" | "enum", Some(brace), _) => {
                    (&from[..brace], &from[brace..])
                }
                (_, _, Some(eol)) => (&from[..eol], &from[eol..]),
                _ => (from, ""),
            });
        }
        offset += line.len();
    }
    None
}

/// `name(args): Type` entries of a type body; arguments may span lines.
fn fields(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if !(c.is_alphanumeric() || c == '_') {
            chars.next();
            continue;
        }
        let mut end = i;
        while let Some(&(j, c)) = chars.peek() {
            if c.is_alphanumeric() || c == '_' {
                end = j + c.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let name = body[i..end].to_owned();
        let mut depth = 0;
        for (_, c) in chars.by_ref() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ':' if depth == 0 => break,
                _ => {}
            }
        }
        let mut ty = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c == '\n' {
                break;
            }
            ty.push(c);
            chars.next();
        }
        let base: String = ty
            .split('@')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.push((name, base));
    }
    out
}

fn field_names(defs: &[Def], type_name: &str) -> BTreeSet<String> {
    defs.iter()
        .find(|d| d.name == type_name)
        .unwrap_or_else(|| panic!("type {type_name} in schema.graphql"))
        .fields
        .iter()
        .map(|(f, _)| f.clone())
        .collect()
}

fn is_wrapper(name: &str) -> bool {
    name.ends_with("Connection") || name.ends_with("Edge") || name.ends_with("Payload")
}

/// Every `Type.field` of an object type (not a root, a connection, an
/// edge or a payload) whose type is an object, interface or union that is
/// not a [`VALUE_TYPES`] entry.
fn edges(defs: &[Def]) -> BTreeSet<String> {
    let composite: BTreeSet<&str> = defs
        .iter()
        .filter(|d| matches!(d.keyword.as_str(), "type" | "interface" | "union"))
        .map(|d| d.name.as_str())
        .collect();
    defs.iter()
        .filter(|d| d.keyword == "type")
        .filter(|d| !matches!(d.name.as_str(), "Query" | "Mutation" | "Subscription"))
        .filter(|d| !is_wrapper(&d.name) && !VALUE_TYPES.contains(&d.name.as_str()))
        .flat_map(|d| {
            d.fields
                .iter()
                .filter(|(_, ty)| composite.contains(ty.as_str()))
                .filter(|(_, ty)| !VALUE_TYPES.contains(&ty.as_str()))
                .map(move |(f, _)| format!("{}.{f}", d.name))
        })
        .collect()
}

/// The GET paths of the OpenAPI document.
fn rest_reads() -> BTreeSet<String> {
    let json = OPENAPI
        .splitn(3, "---\n")
        .nth(2)
        .expect("an insta snapshot: header between `---` lines, then the document");
    let doc: serde_json::Value = serde_json::from_str(json).expect("the OpenAPI JSON");
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect()
}

/// The `e2e!` cases of the case modules, as `module::name`.
fn cases() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (module, source) in SOURCES {
        for piece in source.split("e2e!(").skip(1) {
            let name: String = piece
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(format!("{module}::{name}"));
        }
    }
    out
}

/// The table covers exactly `expected`, and each entry's case exists and
/// mentions what it covers.
fn check(
    what: &str,
    table: &[(&str, &str)],
    expected: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    let listed: BTreeSet<String> = table.iter().map(|(k, _)| (*k).to_owned()).collect();
    for missing in expected.difference(&listed) {
        problems.push(format!(
            "{what} `{missing}` has no isolation case: add one and list it in tests/isolation/coverage.rs"
        ));
    }
    for stale in listed.difference(expected) {
        problems.push(format!(
            "{what} `{stale}` is listed but not in the API any more"
        ));
    }
    let cases = cases();
    for (key, case) in table {
        if !cases.contains(*case) {
            problems.push(format!("{what} `{key}`: no case `{case}`"));
            continue;
        }
        let module = case.split("::").next().unwrap();
        let source = SOURCES.iter().find(|(m, _)| *m == module).unwrap().1;
        // `Type.field` → field; `/a/{id}/b` → `/a/` and `/b`.
        let needles: Vec<&str> = match key.split_once('.') {
            Some((_, field)) if !key.starts_with('/') => vec![field],
            _ => key.split("{id}").filter(|p| !p.is_empty()).collect(),
        };
        for needle in needles {
            if !source.contains(needle) {
                problems.push(format!(
                    "{what} `{key}`: {module}.rs never mentions `{needle}`"
                ));
            }
        }
    }
}

#[test]
fn every_field_node_type_edge_and_rest_read_has_an_isolation_case() {
    let defs = parse(SCHEMA);
    let mut problems = Vec::new();
    check(
        "Query field",
        QUERY,
        &field_names(&defs, "Query"),
        &mut problems,
    );
    check(
        "Mutation field",
        MUTATION,
        &field_names(&defs, "Mutation"),
        &mut problems,
    );
    check(
        "Subscription field",
        SUBSCRIPTION,
        &field_names(&defs, "Subscription"),
        &mut problems,
    );
    let node_types: BTreeSet<String> = defs
        .iter()
        .filter(|d| d.implements.iter().any(|i| i == "Node"))
        .map(|d| d.name.clone())
        .collect();
    check("Node type", NODE_TYPES, &node_types, &mut problems);
    check("Nested edge", EDGES, &edges(&defs), &mut problems);
    check("REST read", REST, &rest_reads(), &mut problems);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The reader itself: it sees what a hand count of the schema gives, so a
/// parsing slip cannot make the check above vacuous.
#[test]
fn the_schema_reader_finds_every_root_field() {
    let defs = parse(SCHEMA);
    assert_eq!(field_names(&defs, "Query").len(), 48);
    assert_eq!(field_names(&defs, "Mutation").len(), 123);
    assert_eq!(field_names(&defs, "Subscription").len(), 7);
    let need = defs.iter().find(|d| d.name == "Need").unwrap();
    assert_eq!(need.implements, ["Node"]);
    assert!(
        need.fields
            .contains(&("matches".to_owned(), "MatchConnection".to_owned()))
    );
    assert!(rest_reads().contains("/api/v1/projects.csv"));
    let sample = "\"\"\"doc with { braces }\"\"\"\ntype T implements A & B {\n\t\"x\"\n\tf(a: Int,\n\t  b: [String!]! = [\"y\"]): [U!]! @deprecated(reason: \"z\")\n\tg: V\n}\nunion W = T | U\n";
    let defs = parse(sample);
    assert_eq!(defs[0].implements, ["A", "B"]);
    assert_eq!(
        defs[0].fields,
        [
            ("f".to_owned(), "U".to_owned()),
            ("g".to_owned(), "V".to_owned())
        ]
    );
    assert_eq!(defs[1].keyword, "union");
}
