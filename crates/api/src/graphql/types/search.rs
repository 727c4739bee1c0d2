use async_graphql::{Enum, SimpleObject, Union};

use super::{CapabilityObject, NeedObject, TalentObject};

/// What `search` looks through.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SearchType {
    Need,
    Capability,
    Talent,
}

/// An object found by `search`.
#[derive(Union)]
pub enum SearchResult {
    Need(NeedObject),
    Capability(CapabilityObject),
    Talent(TalentObject),
}

/// One search result with why it was found.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// BM25 relevance; comparable within one search.
    pub score: f64,
    /// Analysed query terms found in the object.
    pub matched_terms: Vec<String>,
    /// An excerpt with the matched words in `<b>…</b>`; the text is HTML-escaped.
    pub snippet: String,
    pub node: SearchResult,
}
