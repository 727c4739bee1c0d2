//! Secret calendar feeds: per-user URLs that calendar apps fetch without a
//! bearer header, for an instrument's calendar or the user's own bookings.
//!
//! The transports mint the secret and hand over its digest (as they do for
//! refresh tokens); this module keeps the rules: who may create and revoke a
//! feed, how many a user may hold, and that a fetch shows only what the
//! feed's user may see now — the user is resolved again at every fetch, and
//! a revoked feed or one presented for another calendar is refused.

use chrono::{Duration, Utc};
use iurhub_domain::{BookingStatus, Message};
use iurhub_store::instruments::{Booking, CalendarFeed, Instrument};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};
use crate::instruments;

/// Most feeds a user holds at once (revoked ones do not count).
pub const MAX_ACTIVE_FEEDS: usize = 20;

/// Which calendar a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOf {
    /// An instrument's calendar (its approved bookings, as "booked").
    Instrument(i64),
    /// The user's own bookings.
    MyBookings,
}

impl FeedOf {
    fn instrument_id(self) -> Option<i64> {
        match self {
            FeedOf::Instrument(id) => Some(id),
            FeedOf::MyBookings => None,
        }
    }
}

/// Records a feed for the caller whose secret has `token_hash`; the
/// instrument must exist. BAD_USER_INPUT past [`MAX_ACTIVE_FEEDS`].
pub async fn create(
    app: &App,
    caller: &Caller,
    of: FeedOf,
    token_hash: String,
) -> AppResult<CalendarFeed> {
    if let FeedOf::Instrument(id) = of {
        instruments::instrument(app, id)
            .await
            .map_err(|err| match err {
                AppError::NotFound(_) => AppError::invalid(
                    "instrumentId",
                    Message::new("calendar_feed.instrument.unknown"),
                ),
                other => other,
            })?;
    }
    if app.store.active_calendar_feeds(caller.id()).await?.len() >= MAX_ACTIVE_FEEDS {
        return Err(AppError::invalid(
            "instrumentId",
            Message::new("calendar_feed.too_many").with("max", MAX_ACTIVE_FEEDS),
        ));
    }
    Ok(app.wrote(
        app.store
            .create_calendar_feed(caller.id(), of.instrument_id(), token_hash)
            .await?,
    ))
}

/// The caller's feeds that are not revoked, oldest first.
pub async fn list(app: &App, caller: &Caller) -> AppResult<Vec<CalendarFeed>> {
    Ok(app.store.active_calendar_feeds(caller.id()).await?)
}

/// One of the caller's feeds, revoked or not; another user's feed is
/// NOT_FOUND (its existence is not revealed).
pub async fn own(app: &App, caller: &Caller, id: i64) -> AppResult<CalendarFeed> {
    match app.store.calendar_feed(id).await? {
        Some(feed) if feed.user_id == caller.id() => Ok(feed),
        _ => Err(AppError::NotFound("calendar feed")),
    }
}

/// Revokes one of the caller's feeds; another user's feed is NOT_FOUND.
pub async fn revoke(app: &App, caller: &Caller, id: i64) -> AppResult<CalendarFeed> {
    own(app, caller, id).await?;
    Ok(app.wrote(app.store.revoke_calendar_feed(id).await?))
}

/// The user a feed secret (by its digest) stands for, for calendar `of`:
/// UNAUTHENTICATED when the secret is unknown, revoked, for another
/// calendar, or its user no longer exists. The user is resolved as they
/// are now (roles, memberships).
pub async fn resolve(app: &App, token_hash: &str, of: FeedOf) -> AppResult<std::sync::Arc<Caller>> {
    let refused = AppError::Unauthenticated("calendar_feed.token.refused");
    let Some(feed) = app.store.calendar_feed_by_hash(token_hash).await? else {
        return Err(refused);
    };
    if feed.revoked_at.is_some() || feed.instrument_id != of.instrument_id() {
        return Err(refused);
    }
    crate::accounts::caller(app, feed.user_id)
        .await
        .map_err(|err| match err {
            AppError::Unauthenticated(_) => refused,
            other => other,
        })
}

/// The caller's own bookings (requested, approved, completed) from 90 days
/// back to the booking horizon, by start, each with its instrument.
pub async fn my_bookings(app: &App, caller: &Caller) -> AppResult<Vec<(Booking, Instrument)>> {
    let now = Utc::now();
    let bookings = app
        .store
        .bookings_of_user_between(
            caller.id(),
            &[
                BookingStatus::Requested,
                BookingStatus::Approved,
                BookingStatus::Completed,
            ],
            now - Duration::days(90),
            now + Duration::days(app.booking.horizon_days),
        )
        .await?;
    let mut ids: Vec<i64> = bookings.iter().map(|b| b.instrument_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let found = app.store.instruments_by_ids(&ids).await?;
    Ok(bookings
        .into_iter()
        .filter_map(|b| {
            let i = found.iter().find(|i| i.id == b.instrument_id)?.clone();
            Some((b, i))
        })
        .collect())
}
