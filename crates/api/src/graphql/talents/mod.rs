//! Talent (expertise) profiles.

mod objects;

pub use objects::TalentObject;
