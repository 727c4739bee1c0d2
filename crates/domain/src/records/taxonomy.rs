//! Discipline (GB/T 13745) and industry (GB/T 4754) codes.

use serde::Deserialize;

/// Which code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    Discipline,
    Industry,
}

/// One code of a hierarchical classification.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxonomyEntry {
    pub code: String,
    pub parent_code: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub level: i32,
}
