//! Research capabilities.

mod objects;

pub use objects::CapabilityObject;
