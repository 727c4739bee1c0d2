//! Matching of technology needs with research capabilities and talents.
//!
//! Two stages, both explainable:
//! 1. [`index::SearchIndex`] retrieves candidates by BM25 over a bilingual
//!    analysis (jieba segmentation for Chinese, stemming for English, mixed
//!    text in one field), kept in memory and updated on every write.
//! 2. [`score::explain`] combines the text relevance with structured factors
//!    (disciplines, keywords, TRL, cooperation modes, region, track record)
//!    into one score with a per-factor breakdown.
//!
//! [`eval`] measures ranking quality (nDCG@10, Recall@100, MRR@10) on BEIR data.

pub mod analyzer;
mod disk;
pub mod eval;
pub mod index;
pub mod rank;
pub mod score;

pub use index::{DocKind, FieldBoosts, Hit, IndexDoc, Reach, SearchIndex};
pub use rank::{Ranked, query_text, rank_candidates, rank_needs};
pub use score::{
    CandidateProfile, CodePair, Explanation, Factor, FactorName, NeedProfile, Weights, explain,
};
