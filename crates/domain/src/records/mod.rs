//! The records of iurhub as the rest of the system sees them: plain data
//! read from and written to the store, with their pure rules (who may see
//! them, whether they are shared). The store converts its rows into these;
//! nothing here knows about tables or SQL.

pub mod activities;
pub mod agreements;
pub mod billing;
pub mod capabilities;
pub mod centers;
pub mod consent;
pub mod disclosures;
#[cfg(test)]
pub(crate) mod examples;
pub mod freshness;
pub mod instruments;
pub mod matches;
pub mod needs;
pub mod notifications;
pub mod opportunities;
pub mod organizations;
pub mod page;
pub mod plans;
pub mod projects;
pub mod saved_searches;
pub mod scope;
pub mod service_orders;
pub mod stats;
pub mod talents;
pub mod taxonomy;
pub mod threads;
pub mod users;
