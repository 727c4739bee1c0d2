//! Matches between needs, capabilities and talents, and free-text search.

mod objects;

pub use objects::{
    MatchFactorObject, MatchObject, NeedMatchObject, SearchHit, SearchResult, SearchType,
    TalentMatchObject,
};
