//! Technology needs.

mod objects;

pub use objects::NeedObject;
