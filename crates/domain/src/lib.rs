//! Domain model of iurhub: plain Rust types, the records the store reads and
//! writes, access policy, validation rules and state machines.
//!
//! This crate knows nothing about storage, HTTP or GraphQL. Everything in it is
//! pure and synchronous, so the rules are unit-tested without a database.

pub mod assessment;
pub mod billing;
pub mod booking;
pub mod docking;
mod enums;
mod error;
pub mod messages;
pub mod policy;
pub mod records;
pub mod validate;

pub use enums::*;
pub use error::{DomainError, FieldError};
pub use messages::{Locale, Message};

/// Largest page a client may ask for in one connection page.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Page size used when a client asks for none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// The track record of an organisation (a matching factor) counts the
/// COMPLETED cooperation projects it was a party to that really were a
/// cooperation:
/// - another party belongs to a different top-level organisation (two
///   departments of one group are not a cooperation between organisations);
/// - the other side agreed to it: it was started from an ACCEPTED match (a
///   need's owners accepted a capability another organisation published), or
///   created by a coordinator or admin brokering it;
/// - it ran for a while: at least [`TRACK_RECORD_MIN_DAYS`] days from its
///   creation to its completion (a completed project no longer changes).
///
/// So one member cannot raise their organisation's track record by
/// completing projects of their own in seconds.
pub const TRACK_RECORD_MIN_DAYS: u32 = 30;
