//! Access to the request's caller, the application layer and the loaders
//! from resolvers.

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use iurhub_app::App;

use crate::auth::{Caller, Identity};
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{LoadError, RelationLoader};

pub trait ContextExt {
    fn identity(&self) -> &Identity;
    fn caller(&self) -> ApiResult<&Caller>;
    fn app(&self) -> &App;
    fn loader(&self) -> &DataLoader<RelationLoader>;
}

impl ContextExt for Context<'_> {
    fn identity(&self) -> &Identity {
        self.data_unchecked::<Identity>()
    }

    fn caller(&self) -> ApiResult<&Caller> {
        Ok(self.identity().require()?)
    }

    fn app(&self) -> &App {
        self.data_unchecked::<App>()
    }

    fn loader(&self) -> &DataLoader<RelationLoader> {
        self.data_unchecked::<DataLoader<RelationLoader>>()
    }
}

/// Loads one value through the request's DataLoader.
pub async fn load_one<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<RelationLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    RelationLoader: Loader<K, Error = LoadError>,
{
    ctx.loader().load_one(key).await.map_err(ApiError::from)
}

/// Loads many values through the request's DataLoader, in key order.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: Vec<K>,
) -> ApiResult<Vec<<RelationLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    RelationLoader: Loader<K, Error = LoadError>,
{
    let mut found = ctx
        .loader()
        .load_many(keys.clone())
        .await
        .map_err(ApiError::from)?;
    Ok(keys.into_iter().filter_map(|k| found.remove(&k)).collect())
}
