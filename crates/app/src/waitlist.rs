//! Instruments' waiting lists: a user queues for a window of an instrument
//! that is taken; when a booking or a maintenance window that blocked it is
//! cancelled, rejected or deleted, the first users in line whose window is
//! wholly free are offered it (`WAITLIST_SLOT_OFFERED`), held for them for
//! `waitlist_offer_hold_secs`. Within the hold nobody else can book the
//! window; the user accepts (a REQUESTED booking is made) or leaves the
//! list; a hold that runs out passes the window to the next in line (the
//! `waitlist_offers` job, [`pass_lapsed`]).

use chrono::{DateTime, Utc};
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::{Message, WaitlistStatus};
use iurhub_store::instruments::Booking;
use iurhub_store::waitlist::{NewWaitlistEntry, WaitlistEntry};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};
use crate::instruments::{Asked, check_request, check_time, offer_hold};

/// Most places one user holds on waiting lists at once.
pub const MAX_ACTIVE: u64 = 20;

/// Puts the caller on an instrument's waiting list for `[start, end)`: the
/// same checks as a booking request (limits, purpose, the instrument
/// available, the organisation, the qualification), except that the window
/// must be taken (by a booking, a maintenance window or a held offer) — a
/// free window is a CONFLICT: book it.
pub async fn join(
    app: &App,
    caller: &Caller,
    asked: &Asked<'_>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<WaitlistEntry> {
    app.booking.check_slot(start, end, Utc::now())?;
    let checked = check_request(app, caller, asked).await?;
    check_time(app, caller, &checked.found, (start, end), false).await?;
    let entry = app
        .store
        .join_waitlist(
            NewWaitlistEntry {
                instrument_id: checked.found.id,
                user_id: caller.id(),
                organization_id: checked.organization_id,
                start,
                end,
                purpose: checked.purpose,
            },
            MAX_ACTIVE,
        )
        .await?;
    Ok(app.wrote(entry))
}

/// One of the caller's places on a waiting list (anybody else's is
/// NOT_FOUND, like a missing one).
pub async fn own_entry(app: &App, caller: &Caller, id: i64) -> AppResult<WaitlistEntry> {
    match app.store.waitlist_entry(id).await? {
        Some(e) if e.user_id == caller.id() => Ok(e),
        _ => Err(AppError::NotFound("waitlist entry")),
    }
}

/// The caller's places on waiting lists that are still active (waiting or
/// holding an offer), by start; at most [`MAX_ACTIVE`].
pub async fn entries(app: &App, caller: &Caller) -> AppResult<Vec<WaitlistEntry>> {
    Ok(app.store.active_waitlist_of_user(caller.id()).await?)
}

/// How many users are on an instrument's waiting list (waiting or holding
/// an offer).
pub async fn length(app: &App, instrument_id: i64) -> AppResult<u64> {
    Ok(app.store.waitlist_length(instrument_id).await?)
}

/// The caller leaves a waiting list; an offer they held passes to the next
/// in line at once.
pub async fn leave(app: &App, caller: &Caller, id: i64) -> AppResult<WaitlistEntry> {
    let entry = own_entry(app, caller, id).await?;
    entry.status.transition(WaitlistStatus::Cancelled)?;
    let mut notices = Notices::none();
    let left = app
        .store
        .leave_waitlist(id, offer_hold(app), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(left))
}

/// The caller takes the window their place was offered: a REQUESTED
/// booking of it, made with the checks of any request, while the offer
/// holds (an expired one is a CONFLICT). Returns the place (BOOKED) and
/// the booking.
pub async fn accept(app: &App, caller: &Caller, id: i64) -> AppResult<(WaitlistEntry, Booking)> {
    let entry = own_entry(app, caller, id).await?;
    if entry.status != WaitlistStatus::Offered {
        return Err(AppError::conflict_on(
            "id",
            Message::new("waitlist.not_offered"),
        ));
    }
    let asked = Asked {
        instrument_id: entry.instrument_id,
        organization_id: Some(entry.organization_id),
        purpose: &entry.purpose,
        agreement_id: None,
    };
    let mut made =
        crate::instruments::book(app, caller, &asked, &[(entry.start, entry.end)], Some(id))
            .await?;
    let entry = own_entry(app, caller, id).await?;
    Ok((entry, made.remove(0)))
}

/// Passes every offer whose hold ran out to the next in line (the
/// `waitlist_offers` job); how many instruments' lists moved.
pub async fn pass_lapsed(app: &App) -> anyhow::Result<i64> {
    let mut moved = 0;
    for instrument_id in app.store.instruments_with_lapsed_offers(Utc::now()).await? {
        let mut notices = Notices::none();
        app.store
            .pass_lapsed_offers(instrument_id, offer_hold(app), &mut notices)
            .await?;
        crate::notifications::written(app, &notices);
        moved += 1;
    }
    Ok(moved)
}
