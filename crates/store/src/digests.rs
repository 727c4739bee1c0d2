//! Digests: the notifications whose channel is `DIGEST` wait in the inbox
//! (`notifications.digest`) until the `digests` job writes their user one
//! e-mail listing them — an outbox row like any other
//! ([`crate::notifications`]), so a digest is never lost either.

use chrono::{DateTime, Utc};
use iurhub_domain::DigestFrequency;
use iurhub_domain::records::notifications::Notification;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{mail_outbox, notifications, users};
use crate::{Store, StoreError, StoreResult, to_json};

/// A user with notifications waiting for their digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestReader {
    pub user_id: i64,
    pub frequency: DigestFrequency,
    /// When their last digest was written.
    pub last_sent_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The users with notifications no digest took yet.
    pub async fn digest_readers(&self) -> StoreResult<Vec<DigestReader>> {
        let waiting: Vec<i64> = notifications::Entity::find()
            .select_only()
            .column(notifications::Column::UserId)
            .distinct()
            .filter(notifications::Column::Digest.eq(true))
            .filter(notifications::Column::DigestedAt.is_null())
            .into_tuple::<i64>()
            .all(&self.db)
            .await?;
        if waiting.is_empty() {
            return Ok(Vec::new());
        }
        Ok(users::Entity::find()
            .filter(users::Column::Id.is_in(waiting))
            .order_by_asc(users::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| DigestReader {
                user_id: u.id,
                frequency: u.digest_frequency.parse().unwrap_or_default(),
                last_sent_at: u.digest_sent_at,
            })
            .collect())
    }

    /// A user's notifications no digest took yet, oldest first.
    pub async fn digest_pending(&self, user_id: i64) -> StoreResult<Vec<Notification>> {
        notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::Digest.eq(true))
            .filter(notifications::Column::DigestedAt.is_null())
            .order_by_asc(notifications::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Notification::try_from)
            .collect()
    }

    /// Writes a user's digest in one transaction: `listed` (ids of their
    /// waiting notifications, at least one) go into one e-mail of the
    /// outbox and `dropped` (those they may no longer see) are left out;
    /// both are marked taken, and the user's last digest is `now`. With
    /// nothing listed, only `dropped` are marked. `false` when another
    /// digest took them meanwhile (nothing is written).
    pub async fn write_digest(
        &self,
        user_id: i64,
        listed: &[i64],
        dropped: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.write().await?;
        let all: Vec<i64> = listed.iter().chain(dropped).copied().collect();
        let taken = notifications::Entity::update_many()
            .col_expr(notifications::Column::DigestedAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::Id.is_in(all.iter().copied()))
            .filter(notifications::Column::Digest.eq(true))
            .filter(notifications::Column::DigestedAt.is_null())
            .exec(&txn)
            .await?;
        if taken.rows_affected != all.len() as u64 {
            return Ok(false);
        }
        if let Some(newest) = listed.iter().max() {
            mail_outbox::ActiveModel {
                notification_id: Set(*newest),
                attempts: Set(0),
                next_attempt_at: Set(now),
                created_at: Set(now),
                digest_of: Set(Some(to_json(&listed))),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            users::Entity::update_many()
                .col_expr(users::Column::DigestSentAt, Expr::value(now))
                .filter(users::Column::Id.eq(user_id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Sets how often a user's digest goes out.
    pub async fn set_digest_frequency(
        &self,
        user_id: i64,
        frequency: DigestFrequency,
    ) -> StoreResult<()> {
        let done = users::Entity::update_many()
            .col_expr(
                users::Column::DigestFrequency,
                Expr::value(frequency.as_str()),
            )
            .filter(users::Column::Id.eq(user_id))
            .exec(&self.db)
            .await?;
        if done.rows_affected == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }
}
