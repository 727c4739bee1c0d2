//! The tenant isolation matrix (issue 7, item 6).
//!
//! One world — two competing enterprises (A, B) and a university (U), each
//! owning objects of every kind, with a unique marker string in every text
//! that some tenant must not see (`world.rs`) — and, for every Query,
//! Mutation and Subscription root field, `node(id:)` with every object type
//! and every nested edge that leads to tenant data, a case showing that the
//! other tenants (and anonymous callers) are refused or simply do not see
//! the object, and that no hidden marker appears anywhere in any response
//! body, REST page, CSV or iCalendar export, WebSocket message or error
//! message. `coverage.rs` reads `schema.graphql` and fails when a field has
//! no case, so a new field cannot ship without one.
//!
//! Every request a case makes goes through `Tenants`, which scans the raw
//! response for the markers hidden from the caller; every refusal is paired
//! with the same request by the owner, which must succeed and show the
//! marker (so a check cannot pass because the query itself is broken).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

// Shared with the `api` test binary; not every helper is used here.
#[allow(dead_code)]
#[path = "../api/fixtures.rs"]
mod fixtures;

mod attacks;
mod billing;
mod centers;
mod consent;
mod coverage;
mod disclosures;
mod docking;
mod edges;
mod exports;
mod mutations;
mod node;
mod notifications;
mod opportunities;
mod plans;
mod queries;
mod rest;
mod roles;
mod subscriptions;
mod threads;
mod world;
mod ws;
