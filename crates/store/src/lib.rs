//! Persistence of iurhub: sea-orm entities and repositories.
//!
//! Repositories are methods on [`Store`], grouped by domain area, one file
//! each. They return domain-shaped structs, never sea-orm models, so the API
//! layer does not depend on the table layout.

pub mod db;
pub mod entities;
mod error;
mod links;
pub mod page;
mod rows;
pub mod scope;
mod versioned;

pub mod activities;
pub mod agreements;
pub mod billing;
pub mod capabilities;
pub mod centers;
pub mod changes;
pub mod digests;
pub mod disclosures;
pub mod history;
pub mod instruments;
pub mod matches;
pub mod needs;
pub mod notifications;
pub mod opportunities;
pub mod organizations;
pub mod plans;
pub mod projects;
pub mod ratings;
pub mod saved_searches;
pub mod schedule;
pub mod seed;
pub mod service_orders;
pub mod stats;
pub mod talents;
pub mod taxonomy;
pub mod threads;
pub mod users;
pub mod waitlist;

pub use error::{StoreError, StoreResult};
pub use scope::Scope;
pub use sea_orm::DatabaseConnection;

use std::str::FromStr;

/// Handle to the database; cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The underlying connection pool.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite, see
    /// [`db::begin_write`]); every transaction of the store that writes
    /// begins here, so concurrent writers wait for each other instead of
    /// failing.
    pub(crate) async fn write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        db::begin_write(&self.db).await
    }
}

/// Parses an enum stored as text; a stored value the code does not know is a
/// database inconsistency, reported as an internal error.
pub(crate) fn parse_enum<T: FromStr>(text: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>()
        .map_err(|e| StoreError::Database(sea_orm::DbErr::Type(format!("stored value: {e}"))))
}

/// Parses a JSON text column.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Database(sea_orm::DbErr::Json(format!("stored JSON: {e}"))))
}

/// Serialises a value for a JSON text column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// Page size when the client gives neither `first` nor `last`.
pub(crate) const DEFAULT_PAGE: u64 = iurhub_domain::DEFAULT_PAGE_SIZE;
