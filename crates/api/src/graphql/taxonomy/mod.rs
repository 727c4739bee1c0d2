use async_graphql::Object;
use iurhub_store::taxonomy::TaxonomyEntry;

/// A code of a hierarchical classification: disciplines follow GB/T 13745
/// (e.g. 460 机械工程 → 46020 机械设计), industries GB/T 4754 (C → C34 → C345).
pub struct TaxonomyEntryObject(pub TaxonomyEntry);

#[Object(name = "TaxonomyEntry")]
impl TaxonomyEntryObject {
    /// The code; the codes below it start with it.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The code one level up; null at the top level.
    async fn parent_code(&self) -> Option<&str> {
        self.0.parent_code.as_deref()
    }

    /// Chinese name.
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }

    /// English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Depth in the classification, 1 at the top.
    async fn level(&self) -> i32 {
        self.0.level
    }
}
