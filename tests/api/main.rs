//! End-to-end tests of the HTTP API: each test starts the real server on port
//! 0 with a fresh database, once on SQLite and once on PostgreSQL.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod activities;
mod agreement_coordinators;
mod agreements;
mod auth;
mod billing;
mod bookings_sharing;
mod caller_cache;
mod capabilities;
mod centers;
mod cli;
mod concurrency;
mod contract;
mod demo;
mod digests;
mod disclosures;
mod docking;
mod document_limits;
mod errors;
mod fixtures;
mod freshness;
mod graphiql;
mod hardening;
mod import;
mod index_on_disk;
mod instruments;
mod limits;
mod matching;
mod messages_instruments;
mod messages_organizations;
mod messages_projects;
mod metrics;
mod needs;
mod notifications;
mod opportunities;
mod ops;
mod organizations;
mod people;
mod plans;
mod project_consent;
mod projects;
mod ratelimit;
mod replicas;
mod resilience;
mod response_cache;
mod rest;
mod roles;
mod saved_searches;
mod search_statistics;
mod security;
mod service_orders;
mod stats;
mod subscriptions;
mod talents;
mod threads;
mod ws_rights;
