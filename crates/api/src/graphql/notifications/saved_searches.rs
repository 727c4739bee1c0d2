//! Saved searches in the schema: `savedSearches`, `saveSearch`,
//! `deleteSavedSearch`. Rules are in `iurhub_app::saved_searches`; the
//! `saved_searches` job tells the user of new objects that fit one.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_domain::records::saved_searches::{SavedSearch, SavedSearchFields, SavedSearchFilters};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::SavedSearchType;
use crate::graphql::ids::{Kind, decode, encode};
use crate::graphql::scalars::DateTime;

/// A saved search as the schema shows it.
pub struct SavedSearchObject(pub SavedSearch);

/// A search you saved: you are told (`SAVED_SEARCH_MATCHED`, by default in
/// your digest) once of each need or capability published after you saved
/// it that fits it and that you may see. Only its owner reads it.
#[Object(name = "SavedSearch")]
impl SavedSearchObject {
    /// Its id (for `deleteSavedSearch`).
    async fn id(&self) -> ID {
        ID(encode(Kind::SavedSearch, self.0.id))
    }

    /// The words looked for.
    async fn query(&self) -> &str {
        &self.0.query
    }

    /// What it looks through.
    async fn types(&self) -> Vec<SavedSearchType> {
        self.0.types.iter().map(|t| (*t).into()).collect()
    }

    /// The discipline code its hits must have (or one below it), if any.
    async fn discipline_code(&self) -> Option<&str> {
        self.0.filters.discipline_code.as_deref()
    }

    /// When it was saved.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last looked for new objects (what is published after it is
    /// new to it).
    async fn checked_at(&self) -> DateTime {
        DateTime(self.0.checked_at)
    }
}

#[derive(Default)]
pub struct SavedSearchesQuery;

#[Object]
impl SavedSearchesQuery {
    /// Your saved searches, oldest first (at most 20). Sign-in required.
    async fn saved_searches(&self, ctx: &Context<'_>) -> Result<Vec<SavedSearchObject>> {
        let caller = ctx.caller()?;
        Ok(iurhub_app::saved_searches::list(ctx.app(), caller)
            .await?
            .into_iter()
            .map(SavedSearchObject)
            .collect())
    }
}

/// What a saved search narrows its hits to.
#[derive(InputObject, Default)]
pub struct SavedSearchFiltersInput {
    /// Only objects with this discipline code or one below it.
    pub discipline_code: Option<String>,
}

/// A search to save.
#[derive(InputObject)]
pub struct SaveSearchInput {
    /// Words to look for (Chinese, English or mixed), 1–200 characters.
    pub query: String,
    /// What to look through; needs and capabilities when omitted or empty.
    pub types: Option<Vec<SavedSearchType>>,
    /// What to narrow the hits to; nothing when omitted.
    pub filters: Option<SavedSearchFiltersInput>,
}

/// The search saved.
#[derive(SimpleObject)]
pub struct SaveSearchPayload {
    /// The saved search.
    pub saved_search: SavedSearchObject,
}

/// A saved search to delete.
#[derive(InputObject)]
pub struct DeleteSavedSearchInput {
    /// One of your saved searches; any other id is NOT_FOUND.
    pub id: ID,
}

/// What deleting did.
#[derive(SimpleObject)]
pub struct DeleteSavedSearchPayload {
    /// The id of the deleted search.
    pub deleted_id: ID,
    /// Your saved searches left.
    pub saved_searches: Vec<SavedSearchObject>,
}

#[derive(Default)]
pub struct SavedSearchesMutation;

#[Object]
impl SavedSearchesMutation {
    /// Saves a search: from now on you are told once of each need or
    /// capability published that fits it and that you may see
    /// (`SAVED_SEARCH_MATCHED`). At most 20 per user (BAD_USER_INPUT
    /// beyond). Sign-in required.
    async fn save_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The query, types and filters.")] input: SaveSearchInput,
    ) -> Result<SaveSearchPayload> {
        let caller = ctx.caller()?;
        let filters = input.filters.unwrap_or_default();
        let fields = SavedSearchFields {
            query: input.query,
            types: input
                .types
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            filters: SavedSearchFilters {
                discipline_code: filters.discipline_code,
            },
        };
        let saved = iurhub_app::saved_searches::save(ctx.app(), caller, fields).await?;
        Ok(SaveSearchPayload {
            saved_search: SavedSearchObject(saved),
        })
    }

    /// Deletes one of your saved searches. Sign-in required.
    async fn delete_saved_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The saved search.")] input: DeleteSavedSearchInput,
    ) -> Result<DeleteSavedSearchPayload> {
        let caller = ctx.caller()?;
        let id = decode("input.id", Kind::SavedSearch, &input.id)?;
        iurhub_app::saved_searches::delete(ctx.app(), caller, id).await?;
        Ok(DeleteSavedSearchPayload {
            deleted_id: input.id,
            saved_searches: iurhub_app::saved_searches::list(ctx.app(), caller)
                .await?
                .into_iter()
                .map(SavedSearchObject)
                .collect(),
        })
    }
}
