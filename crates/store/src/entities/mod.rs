//! sea-orm entities, one per table. Plain data: repositories convert them
//! into domain-shaped structs and nothing outside this crate sees them.

pub mod bookings;
pub mod capability_disciplines;
pub mod capability_talents;
pub mod checklist_items;
pub mod cooperation_projects;
pub mod disciplines;
pub mod industries;
pub mod instrument_maintenance;
pub mod instruments;
pub mod matches;
pub mod memberships;
pub mod milestones;
pub mod need_disciplines;
pub mod need_industries;
pub mod organizations;
pub mod project_events;
pub mod project_parties;
pub mod qualifications;
pub mod refresh_tokens;
pub mod research_capabilities;
pub mod talent_disciplines;
pub mod talent_profiles;
pub mod tech_needs;
pub mod users;
