//! Ratings of completed bookings: the booker rates a booking once, after it
//! is completed (1–5 and a comment); an instrument shows its ratings and
//! their average to every signed-in user.

use iurhub_domain::Message;
use iurhub_domain::booking;
use iurhub_domain::records::page::{Page, PageArgs};
use iurhub_store::ratings::{BookingRating, RatingSummary};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// Rates a booking the caller may see: FORBIDDEN unless they booked it, a
/// CONFLICT before it is completed or when it is rated already.
pub async fn rate_booking(
    app: &App,
    caller: &Caller,
    booking_id: i64,
    score: i32,
    comment: &str,
) -> AppResult<BookingRating> {
    let found = crate::instruments::visible_booking(app, caller, booking_id).await?;
    match booking::rating_refusal(&found, caller.id()) {
        Some(key @ "rating.not_booker") => return Err(AppError::denied(Message::new(key))),
        Some(key) => return Err(AppError::conflict_on("bookingId", Message::new(key))),
        None => {}
    }
    let (score, comment) = booking::check_rating(score, comment)?;
    if app.store.booking_rating(booking_id).await?.is_some() {
        return Err(AppError::conflict_on(
            "bookingId",
            Message::new("rating.exists"),
        ));
    }
    Ok(app.wrote(
        app.store
            .rate_booking(booking_id, found.instrument_id, caller.id(), score, comment)
            .await?,
    ))
}

/// The rating of a booking (for whoever may see the booking).
pub async fn of_booking(app: &App, booking_id: i64) -> AppResult<Option<BookingRating>> {
    Ok(app.store.booking_rating(booking_id).await?)
}

/// How many ratings an instrument has and their average.
pub async fn summary(app: &App, instrument_id: i64) -> AppResult<RatingSummary> {
    Ok(app.store.rating_summary(instrument_id).await?)
}

/// An instrument's ratings, newest first, one page.
pub async fn of_instrument(
    app: &App,
    instrument_id: i64,
    args: PageArgs,
) -> AppResult<Page<BookingRating>> {
    Ok(app.store.ratings_of_instrument(instrument_id, args).await?)
}
