//! The discipline and industry classifications: `disciplines` and
//! `industries`.

use async_graphql::{Context, Object};

use crate::error::ApiResult as Result;
use iurhub_app::relations;
use iurhub_domain::records::taxonomy::{TaxonomyEntry, TaxonomyKind};

use async_graphql::dataloader::Loader;

use super::context::{ContextExt, load_many, load_one};
use super::inputs::code;
use super::loaders::{LoadError, RelationLoader};
use super::paging::{Conn, PageInput, slice};

/// A code of a hierarchical classification: disciplines follow GB/T 13745
/// (e.g. 460 机械工程 → 46020 机械设计), industries GB/T 4754 (C → C34 → C345).
pub struct TaxonomyEntryObject(pub TaxonomyEntry);

/// The codes a record is classified with (`key` names the record's link).
pub async fn linked_codes<K>(ctx: &Context<'_>, key: K) -> Result<Vec<String>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    RelationLoader: Loader<K, Value = Vec<String>, Error = LoadError>,
{
    Ok(load_one(ctx, key).await?.unwrap_or_default())
}

/// The entries, with names, a record is classified with; `entry` makes the
/// key of one code (a discipline or an industry).
pub async fn linked_entries<K, C>(
    ctx: &Context<'_>,
    key: K,
    entry: fn(String) -> C,
) -> Result<Vec<TaxonomyEntryObject>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    C: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    RelationLoader: Loader<K, Value = Vec<String>, Error = LoadError>
        + Loader<C, Value = TaxonomyEntry, Error = LoadError>,
{
    let codes = linked_codes(ctx, key).await?;
    let entries = load_many(ctx, codes.into_iter().map(entry).collect()).await?;
    Ok(entries.into_iter().map(TaxonomyEntryObject).collect())
}

/// A code of a hierarchical classification: disciplines follow GB/T 13745
/// (e.g. 460 机械工程 → 46020 机械设计), industries GB/T 4754 (C → C34 → C345).
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

#[derive(Default)]
pub struct TaxonomyQuery;

#[Object]
impl TaxonomyQuery {
    /// Discipline codes (GB/T 13745), by code. Without `parentCode`: the top level.
    async fn disciplines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code whose children to list; the top level when omitted.")]
        parent_code: Option<String>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
    ) -> Result<Conn<TaxonomyEntryObject>> {
        taxonomy(
            ctx,
            TaxonomyKind::Discipline,
            parent_code,
            PageInput::new(first, after, last, before),
        )
        .await
    }

    /// Industry codes (GB/T 4754), by code. Without `parentCode`: the sections.
    async fn industries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code whose children to list; the top level when omitted.")]
        parent_code: Option<String>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
    ) -> Result<Conn<TaxonomyEntryObject>> {
        taxonomy(
            ctx,
            TaxonomyKind::Industry,
            parent_code,
            PageInput::new(first, after, last, before),
        )
        .await
    }
}

/// A code list level (small reference data, paged in memory).
async fn taxonomy(
    ctx: &Context<'_>,
    kind: TaxonomyKind,
    parent: Option<String>,
    page: PageInput,
) -> Result<Conn<TaxonomyEntryObject>> {
    let parent = code("parentCode", parent)?;
    let entries = relations::taxonomy_level(ctx.app(), kind, parent.as_deref()).await?;
    let tag = format!("taxonomy:{kind:?}:{}", parent.unwrap_or_default());
    slice(ctx, &tag, entries, &page, TaxonomyEntryObject)
}
