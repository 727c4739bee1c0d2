//! Domain model of iurhub: plain Rust types, validation rules and state machines.
//!
//! This crate knows nothing about storage, HTTP or GraphQL. Everything in it is
//! pure and synchronous, so the rules are unit-tested without a database.

mod enums;
mod error;
pub mod validate;

pub use enums::*;
pub use error::{DomainError, FieldError};

/// Largest page a client may ask for in one connection page.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Page size used when a client asks for none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
