//! Organisations, their members and the users of the platform.

mod objects;

pub use objects::{MembershipObject, OrganizationObject, UserObject};
