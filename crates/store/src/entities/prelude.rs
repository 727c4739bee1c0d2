//! Every entity under its table's name in CamelCase (`TechNeeds`, `Bookings`, …).

pub use super::bookings::Entity as Bookings;
pub use super::calendar_feeds::Entity as CalendarFeeds;
pub use super::capability_disciplines::Entity as CapabilityDisciplines;
pub use super::capability_talents::Entity as CapabilityTalents;
pub use super::checklist_items::Entity as ChecklistItems;
pub use super::cooperation_projects::Entity as CooperationProjects;
pub use super::disciplines::Entity as Disciplines;
pub use super::industries::Entity as Industries;
pub use super::instrument_maintenance::Entity as InstrumentMaintenance;
pub use super::instruments::Entity as Instruments;
pub use super::matches::Entity as Matches;
pub use super::memberships::Entity as Memberships;
pub use super::milestones::Entity as Milestones;
pub use super::need_disciplines::Entity as NeedDisciplines;
pub use super::need_industries::Entity as NeedIndustries;
pub use super::organizations::Entity as Organizations;
pub use super::project_events::Entity as ProjectEvents;
pub use super::project_parties::Entity as ProjectParties;
pub use super::qualifications::Entity as Qualifications;
pub use super::refresh_tokens::Entity as RefreshTokens;
pub use super::research_capabilities::Entity as ResearchCapabilities;
pub use super::talent_disciplines::Entity as TalentDisciplines;
pub use super::talent_profiles::Entity as TalentProfiles;
pub use super::tech_needs::Entity as TechNeeds;
pub use super::users::Entity as Users;
