//! Access to the request's caller, the store and the loaders from resolvers.

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use std::sync::Arc;

use crate::graphql::loaders::{LoadError, StoreLoader};
use iurhub_matching::{SearchIndex, Weights};
use iurhub_store::Store;

use crate::auth::{Caller, Identity};
use crate::error::{ApiError, ApiResult};
use crate::events::Events;
use crate::service::match_cache::MatchCache;

pub trait ContextExt {
    fn identity(&self) -> &Identity;
    fn caller(&self) -> ApiResult<&Caller>;
    fn store(&self) -> &Store;
    fn loader(&self) -> &DataLoader<StoreLoader>;
    fn index(&self) -> &SearchIndex;
    fn weights(&self) -> &Weights;
    fn match_cache(&self) -> &MatchCache;
    fn events(&self) -> &Events;
}

impl ContextExt for Context<'_> {
    fn identity(&self) -> &Identity {
        self.data_unchecked::<Identity>()
    }

    fn caller(&self) -> ApiResult<&Caller> {
        self.identity().require()
    }

    fn store(&self) -> &Store {
        self.data_unchecked::<Store>()
    }

    fn loader(&self) -> &DataLoader<StoreLoader> {
        self.data_unchecked::<DataLoader<StoreLoader>>()
    }

    fn index(&self) -> &SearchIndex {
        self.data_unchecked::<Arc<SearchIndex>>()
    }

    fn weights(&self) -> &Weights {
        self.data_unchecked::<Weights>()
    }

    fn match_cache(&self) -> &MatchCache {
        self.data_unchecked::<Arc<MatchCache>>()
    }

    fn events(&self) -> &Events {
        self.data_unchecked::<Events>()
    }
}

/// Loads one value through the request's DataLoader.
pub async fn load_one<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = LoadError>,
{
    ctx.loader().load_one(key).await.map_err(ApiError::from)
}

/// Loads many values through the request's DataLoader, in key order.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: Vec<K>,
) -> ApiResult<Vec<<StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = LoadError>,
{
    let mut found = ctx
        .loader()
        .load_many(keys.clone())
        .await
        .map_err(ApiError::from)?;
    Ok(keys.into_iter().filter_map(|k| found.remove(&k)).collect())
}
