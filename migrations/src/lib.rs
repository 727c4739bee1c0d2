//! Database migrations of iurhub (see docs/DATA-MODEL.md).
//!
//! The same migrations run on SQLite and PostgreSQL. Each runs in a
//! transaction on both backends and has a `down` that removes what its `up`
//! created, children before parents, so `Migrator::down(db, None)` empties
//! the schema.

// The `MigrationTrait` signatures come from `async_trait` and elide lifetimes.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod defs;
mod m20261125_000001_organizations_users;
mod m20261125_000002_taxonomy;
mod m20261125_000003_needs_capabilities_talents;
mod m20261125_000004_matches;
mod m20261125_000005_projects;
mod m20261125_000006_testing_center;
mod m20261125_000007_project_progress;
mod m20261125_000008_change_notifications;
mod m20261206_000009_one_project_per_match;
mod m20261206_000010_instrument_milestone_versions;
mod m20261206_000011_talent_versions;
mod m20261206_000012_calendar_feeds;
mod m20261206_000013_budgets_in_fen;
mod m20261206_000014_organization_pairing;
mod m20261206_000015_access_version;
mod m20261206_000016_database_identity;
mod m20261207_000017_role_grants;
mod m20261207_000018_agreements;
mod m20261207_000019_activities;
mod m20261207_000020_plans;
mod m20261207_000021_agreement_coordinators;
mod m20261207_000022_docking;
mod m20261207_000023_project_consent;
mod m20261207_000024_threads;
mod m20261207_000025_disclosures;
mod m20261207_000026_docking_notifications;
mod m20261207_000027_notifications;
mod m20261207_000028_scheduled_jobs;
mod m20261207_000029_opportunities;
mod m20261207_000030_listing_freshness_digests;
mod m20261207_000031_testing_centers;
mod m20261207_000032_ratings_waitlist;
mod m20261207_000033_service_order_runs;
mod m20261207_000034_billing;
mod m20261207_000035_opportunity_reach_indexes;
mod m20261208_000036_service_order_items;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_organizations_users::Migration),
            Box::new(m20261125_000002_taxonomy::Migration),
            Box::new(m20261125_000003_needs_capabilities_talents::Migration),
            Box::new(m20261125_000004_matches::Migration),
            Box::new(m20261125_000005_projects::Migration),
            Box::new(m20261125_000006_testing_center::Migration),
            Box::new(m20261125_000007_project_progress::Migration),
            Box::new(m20261125_000008_change_notifications::Migration),
            Box::new(m20261206_000009_one_project_per_match::Migration),
            Box::new(m20261206_000010_instrument_milestone_versions::Migration),
            Box::new(m20261206_000011_talent_versions::Migration),
            Box::new(m20261206_000012_calendar_feeds::Migration),
            Box::new(m20261206_000013_budgets_in_fen::Migration),
            Box::new(m20261206_000014_organization_pairing::Migration),
            Box::new(m20261206_000015_access_version::Migration),
            Box::new(m20261206_000016_database_identity::Migration),
            Box::new(m20261207_000017_role_grants::Migration),
            Box::new(m20261207_000018_agreements::Migration),
            Box::new(m20261207_000019_activities::Migration),
            Box::new(m20261207_000020_plans::Migration),
            Box::new(m20261207_000021_agreement_coordinators::Migration),
            Box::new(m20261207_000022_docking::Migration),
            Box::new(m20261207_000023_project_consent::Migration),
            Box::new(m20261207_000024_threads::Migration),
            Box::new(m20261207_000025_disclosures::Migration),
            Box::new(m20261207_000026_docking_notifications::Migration),
            Box::new(m20261207_000027_notifications::Migration),
            Box::new(m20261207_000028_scheduled_jobs::Migration),
            Box::new(m20261207_000029_opportunities::Migration),
            Box::new(m20261207_000030_listing_freshness_digests::Migration),
            Box::new(m20261207_000031_testing_centers::Migration),
            Box::new(m20261207_000032_ratings_waitlist::Migration),
            Box::new(m20261207_000033_service_order_runs::Migration),
            Box::new(m20261207_000034_billing::Migration),
            Box::new(m20261207_000035_opportunity_reach_indexes::Migration),
            Box::new(m20261208_000036_service_order_items::Migration),
        ]
    }
}
