//! Saved searches (`saved_searches`): each user's, at most
//! [`iurhub_domain::records::saved_searches::MAX_SAVED_SEARCHES`].

use chrono::{DateTime, Utc};
use iurhub_domain::records::saved_searches::{SavedSearch, SavedSearchFields};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::saved_searches::{self, Column};
use crate::{Store, StoreError, StoreResult, parse_json, to_json};

impl TryFrom<saved_searches::Model> for SavedSearch {
    type Error = StoreError;
    fn try_from(m: saved_searches::Model) -> StoreResult<Self> {
        Ok(SavedSearch {
            id: m.id,
            user_id: m.user_id,
            query: m.query,
            types: parse_json(&m.types)?,
            filters: parse_json(&m.filters)?,
            created_at: m.created_at,
            checked_at: m.checked_at,
        })
    }
}

impl Store {
    /// Saves a search of `user_id` (checked fields), new to what is
    /// published after `now`; `None` when the user has `max` already
    /// (counted in the same transaction).
    pub async fn create_saved_search(
        &self,
        user_id: i64,
        fields: SavedSearchFields,
        max: usize,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SavedSearch>> {
        let txn = self.write().await?;
        let kept = saved_searches::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .count(&txn)
            .await?;
        if kept >= max as u64 {
            return Ok(None);
        }
        let model = saved_searches::ActiveModel {
            user_id: Set(user_id),
            query: Set(fields.query),
            types: Set(to_json(&fields.types)),
            filters: Set(to_json(&fields.filters)),
            created_at: Set(now),
            checked_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(Some(model.try_into()?))
    }

    /// Deletes a saved search of `user_id`; `false` when they have none
    /// with that id.
    pub async fn delete_saved_search(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        let done = saved_searches::Entity::delete_many()
            .filter(Column::Id.eq(id))
            .filter(Column::UserId.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// A user's saved searches, oldest first.
    pub async fn saved_searches_of(&self, user_id: i64) -> StoreResult<Vec<SavedSearch>> {
        saved_searches::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .order_by_asc(Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(SavedSearch::try_from)
            .collect()
    }

    /// Every saved search, by id.
    pub async fn all_saved_searches(&self) -> StoreResult<Vec<SavedSearch>> {
        saved_searches::Entity::find()
            .order_by_asc(Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(SavedSearch::try_from)
            .collect()
    }

    /// Records that a search was run: what is published after `at` is new
    /// to it.
    pub async fn saved_search_checked(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        saved_searches::Entity::update_many()
            .col_expr(Column::CheckedAt, Expr::value(at))
            .filter(Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
