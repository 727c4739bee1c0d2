//! Database migrations of iurhub. The same migrations run on SQLite and
//! PostgreSQL; each has a `down` that removes what its `up` created.

// The `MigrationTrait` signatures come from `async_trait` and elide lifetimes.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod defs;
mod m20261125_000001_core;
mod m20261125_000002_catalogue;
mod m20261125_000003_projects;
mod m20261125_000004_testing_center;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_core::Migration),
            Box::new(m20261125_000002_catalogue::Migration),
            Box::new(m20261125_000003_projects::Migration),
            Box::new(m20261125_000004_testing_center::Migration),
        ]
    }
}
