//! The HTTP surface of iurhub: configuration, the axum router, the GraphQL
//! schema, REST auth, and the service layer that enforces who may do what.

pub mod auth;
pub mod config;
pub mod error;
pub mod exports;
pub mod graphql;
pub mod i18n;
mod json;
pub mod metrics;
pub mod ratelimit;
pub mod rest;
mod server;
mod state;
pub mod telemetry;

pub use config::{LogFormat, Profile, Settings};
pub use server::{Server, router};
pub use state::AppState;
