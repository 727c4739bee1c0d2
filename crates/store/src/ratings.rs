//! Ratings of completed bookings: one per booking (a unique index has the
//! last word), read per instrument with their count and average.

use chrono::Utc;
use iurhub_domain::Message;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::entities::booking_ratings;
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::{Store, StoreError, StoreResult};

pub use iurhub_domain::records::instruments::{BookingRating, RatingSummary};

impl TryFrom<booking_ratings::Model> for BookingRating {
    type Error = StoreError;
    fn try_from(m: booking_ratings::Model) -> StoreResult<Self> {
        Ok(BookingRating {
            id: m.id,
            booking_id: m.booking_id,
            instrument_id: m.instrument_id,
            user_id: m.user_id,
            score: m.score,
            comment: m.comment,
            created_at: m.created_at,
        })
    }
}

impl Store {
    /// Stores the rating of a booking; a second rating of the same booking
    /// (whatever the concurrency) is a CONFLICT on `bookingId`.
    pub async fn rate_booking(
        &self,
        booking_id: i64,
        instrument_id: i64,
        user_id: i64,
        score: i32,
        comment: String,
    ) -> StoreResult<BookingRating> {
        let inserted = booking_ratings::ActiveModel {
            booking_id: Set(booking_id),
            instrument_id: Set(instrument_id),
            user_id: Set(user_id),
            score: Set(score),
            comment: Set(comment),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(m) => m.try_into(),
            Err(StoreError::Conflict { .. }) => Err(StoreError::conflict(
                "bookingId",
                Message::new("rating.exists"),
            )),
            Err(err) => Err(err),
        }
    }

    /// The rating of a booking, if it has one.
    pub async fn booking_rating(&self, booking_id: i64) -> StoreResult<Option<BookingRating>> {
        booking_ratings::Entity::find()
            .filter(booking_ratings::Column::BookingId.eq(booking_id))
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// The scores of those of `booking_ids` that were rated, by booking id.
    pub async fn booking_scores(
        &self,
        booking_ids: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, i32>> {
        use booking_ratings::Column as C;
        let mut scores = std::collections::HashMap::new();
        // In slices, so that no statement binds more parameters than the
        // databases take.
        for ids in booking_ids.chunks(10_000) {
            let rows: Vec<(i64, i32)> = booking_ratings::Entity::find()
                .select_only()
                .columns([C::BookingId, C::Score])
                .filter(C::BookingId.is_in(ids.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            scores.extend(rows);
        }
        Ok(scores)
    }

    /// How many ratings an instrument has and their mean score.
    pub async fn rating_summary(&self, instrument_id: i64) -> StoreResult<RatingSummary> {
        use booking_ratings::Column as C;
        let (count, total): (i64, Option<i64>) = booking_ratings::Entity::find()
            .select_only()
            .column_as(Expr::col(C::Id).count(), "count")
            .column_as(Expr::col(C::Score).sum(), "total")
            .filter(C::InstrumentId.eq(instrument_id))
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((0, None));
        Ok(RatingSummary {
            count: count as u64,
            average: (count > 0).then(|| total.unwrap_or(0) as f64 / count as f64),
        })
    }

    /// An instrument's ratings, newest first, one page.
    pub async fn ratings_of_instrument(
        &self,
        instrument_id: i64,
        args: PageArgs,
    ) -> StoreResult<Page<BookingRating>> {
        use booking_ratings::Column as C;
        let select = booking_ratings::Entity::find().filter(C::InstrumentId.eq(instrument_id));
        let order: Order<booking_ratings::Entity> =
            (C::CreatedAt, |m| Key::new(m.created_at, m.id));
        paginate_records(&self.db, select, order, C::Id, true, args).await
    }
}
