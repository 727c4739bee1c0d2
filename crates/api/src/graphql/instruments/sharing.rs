//! Ratings of completed bookings, recurring bookings and instruments'
//! waiting lists in the schema: their object types and mutations.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;
use iurhub_domain::records::instruments::{BookingRating, RatingSummary, WaitlistEntry};

use super::{BookingObject, InstrumentObject};
use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::WaitlistStatus;
use crate::graphql::ids::{Kind, decode, encode};
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::DateTime;
use iurhub_app::instruments::{self as service, Asked};
use iurhub_app::{ratings, waitlist};

/// A booker's rating of a completed booking.
pub struct BookingRatingObject(pub BookingRating);

/// A booker's rating of a completed booking (1–5 and a comment); shown on
/// the instrument to every signed-in user, without who rated.
#[Object(name = "BookingRating")]
impl BookingRatingObject {
    /// 1 (poor) to 5 (excellent).
    async fn score(&self) -> i32 {
        self.0.score
    }
    /// What the booker said (may be empty).
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// When it was given.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// The ratings of an instrument in figures.
#[derive(SimpleObject)]
pub struct InstrumentRating {
    /// How many ratings it has.
    pub count: u64,
    /// Their mean score (1–5); null without ratings.
    pub average: Option<f64>,
}

impl From<RatingSummary> for InstrumentRating {
    fn from(s: RatingSummary) -> Self {
        InstrumentRating {
            count: s.count,
            average: s.average,
        }
    }
}

/// A place of the signed-in user on an instrument's waiting list.
pub struct WaitlistEntryObject(pub WaitlistEntry);

/// A place of the signed-in user on an instrument's waiting list for a
/// window `[start, end)` that was taken when they queued.
#[Object(name = "WaitlistEntry")]
impl WaitlistEntryObject {
    /// Its global id (for `acceptWaitlistOffer` and `leaveWaitlist`).
    async fn id(&self) -> ID {
        ID(encode(Kind::WaitlistEntry, self.0.id))
    }
    /// The instrument.
    async fn instrument(&self, ctx: &Context<'_>) -> Result<InstrumentObject> {
        Ok(InstrumentObject(
            service::instrument(ctx.app(), self.0.instrument_id).await?,
        ))
    }
    /// Start of the window wanted.
    async fn start(&self) -> DateTime {
        DateTime(self.0.start)
    }
    /// End of the window wanted (exclusive).
    async fn end(&self) -> DateTime {
        DateTime(self.0.end)
    }
    /// What the instrument would be used for.
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    /// Where the place is in its life cycle.
    async fn status(&self) -> WaitlistStatus {
        self.0.status.into()
    }
    /// When the window came free and was offered (OFFERED and later).
    async fn offered_at(&self) -> Option<DateTime> {
        self.0.offered_at.map(DateTime)
    }
    /// Until when the offer holds the window for the user; after that it
    /// passes to the next in line.
    async fn offer_expires_at(&self) -> Option<DateTime> {
        self.0.offer_expires_at.map(DateTime)
    }
    /// The booking made from the offer (BOOKED places).
    async fn booking(&self, ctx: &Context<'_>) -> Result<Option<BookingObject>> {
        let Some(id) = self.0.booking_id else {
            return Ok(None);
        };
        let caller = ctx.caller()?;
        Ok(Some(BookingObject(
            service::visible_booking(ctx.app(), caller, id).await?,
        )))
    }
    /// When the user queued.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Input of `rateBooking`.
#[derive(InputObject)]
pub struct RateBookingInput {
    /// A COMPLETED booking you made.
    pub booking_id: ID,
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    /// What you would tell other users (at most 2,000 characters).
    #[graphql(default)]
    pub comment: String,
}

/// Input of `requestRecurringBooking`.
#[derive(InputObject)]
pub struct RequestRecurringBookingInput {
    /// The instrument to book.
    pub instrument_id: ID,
    /// Start of the first occurrence, RFC 3339 with an offset, on a whole
    /// minute.
    pub start: DateTime,
    /// End of the first occurrence (exclusive).
    pub end: DateTime,
    /// How many weeks in all, the first included (2–12): the same time in
    /// each following week.
    pub weeks: i32,
    /// What the instrument is used for (1–1,000 characters).
    pub purpose: String,
    /// The organisation the bookings are for (as in `requestBooking`).
    pub organization_id: Option<ID>,
    /// The framework agreement they are filed under (as in
    /// `requestBooking`).
    pub agreement_id: Option<ID>,
}

/// Input of `joinWaitlist`.
#[derive(InputObject)]
pub struct JoinWaitlistInput {
    /// The instrument.
    pub instrument_id: ID,
    /// Start of the window wanted, RFC 3339 with an offset, on a whole
    /// minute; the window must be taken now (a free one: book it).
    pub start: DateTime,
    /// End of the window wanted (exclusive).
    pub end: DateTime,
    /// What the instrument would be used for (1–1,000 characters).
    pub purpose: String,
    /// The organisation the booking would be for (as in `requestBooking`).
    pub organization_id: Option<ID>,
}

/// Input of `acceptWaitlistOffer` and `leaveWaitlist`.
#[derive(InputObject)]
pub struct WaitlistEntryInput {
    /// One of your places on a waiting list.
    pub id: ID,
}

/// Result of `rateBooking`.
#[derive(SimpleObject)]
pub struct RateBookingPayload {
    /// The rating.
    pub rating: BookingRatingObject,
    /// The booking rated.
    pub booking: BookingObject,
}

/// Result of `requestRecurringBooking`.
#[derive(SimpleObject)]
pub struct RequestRecurringBookingPayload {
    /// The REQUESTED bookings, one per week, in order.
    pub bookings: Vec<BookingObject>,
}

/// Result of `joinWaitlist` and `leaveWaitlist`.
#[derive(SimpleObject)]
pub struct WaitlistEntryPayload {
    /// The place as it is now.
    pub entry: WaitlistEntryObject,
}

/// Result of `acceptWaitlistOffer`.
#[derive(SimpleObject)]
pub struct AcceptWaitlistOfferPayload {
    /// The place, now BOOKED.
    pub entry: WaitlistEntryObject,
    /// The REQUESTED booking of the offered window.
    pub booking: BookingObject,
}

#[derive(Default)]
pub struct SharingMutation;

#[Object]
impl SharingMutation {
    /// Rates a booking (its booker, once it is COMPLETED, once): FORBIDDEN
    /// for anybody else who may see it, CONFLICT before completion or for a
    /// second rating.
    async fn rate_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RateBookingInput`.")] input: RateBookingInput,
    ) -> Result<RateBookingPayload> {
        let caller = ctx.caller()?;
        let id = decode("bookingId", Kind::Booking, &input.booking_id)?;
        let rating =
            ratings::rate_booking(ctx.app(), caller, id, input.score, &input.comment).await?;
        let booking = service::visible_booking(ctx.app(), caller, id).await?;
        Ok(RateBookingPayload {
            rating: BookingRatingObject(rating),
            booking: BookingObject(booking),
        })
    }

    /// Books the same time every week for `weeks` weeks, all in one
    /// transaction or none: an occurrence that is refused (limits,
    /// qualification, maintenance, an overlap, a window held for a waiting
    /// list) fails the whole request, and the error names it.
    async fn request_recurring_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RequestRecurringBookingInput`.")]
        input: RequestRecurringBookingInput,
    ) -> Result<RequestRecurringBookingPayload> {
        let caller = ctx.caller()?;
        let instrument = decode("instrumentId", Kind::Instrument, &input.instrument_id)?;
        let org = id_of("organizationId", Kind::Organization, input.organization_id)?;
        let agreement = id_of("agreementId", Kind::Agreement, input.agreement_id)?;
        // A negative count is out of range like any other.
        let weeks = u32::try_from(input.weeks).unwrap_or(0);
        let made = service::request_recurring(
            ctx.app(),
            caller,
            instrument,
            org,
            (
                input.start.with_timezone(&Utc),
                input.end.with_timezone(&Utc),
            ),
            weeks,
            &input.purpose,
            agreement,
        )
        .await?;
        Ok(RequestRecurringBookingPayload {
            bookings: made.into_iter().map(BookingObject).collect(),
        })
    }

    /// Queues the caller for a taken window of an instrument (at most 20
    /// places at once, one per window). When a booking or maintenance window
    /// blocking it is cancelled, rejected or deleted, the first in line
    /// whose window is wholly free is offered it (`WAITLIST_SLOT_OFFERED`)
    /// and it is held for them for a while (`offerExpiresAt`).
    async fn join_waitlist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `JoinWaitlistInput`.")] input: JoinWaitlistInput,
    ) -> Result<WaitlistEntryPayload> {
        let caller = ctx.caller()?;
        let asked = Asked {
            instrument_id: decode("instrumentId", Kind::Instrument, &input.instrument_id)?,
            organization_id: id_of("organizationId", Kind::Organization, input.organization_id)?,
            purpose: &input.purpose,
            agreement_id: None,
        };
        let window = (
            input.start.with_timezone(&Utc),
            input.end.with_timezone(&Utc),
        );
        let entry = waitlist::join(ctx.app(), caller, &asked, window).await?;
        Ok(WaitlistEntryPayload {
            entry: WaitlistEntryObject(entry),
        })
    }

    /// Takes the window a place was offered while the offer holds: a
    /// REQUESTED booking of it (staff approve it as any other). CONFLICT
    /// when the place holds no offer or the offer expired.
    async fn accept_waitlist_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `WaitlistEntryInput`.")] input: WaitlistEntryInput,
    ) -> Result<AcceptWaitlistOfferPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::WaitlistEntry, &input.id)?;
        let (entry, booking) = waitlist::accept(ctx.app(), caller, id).await?;
        Ok(AcceptWaitlistOfferPayload {
            entry: WaitlistEntryObject(entry),
            booking: BookingObject(booking),
        })
    }

    /// Leaves a waiting list (WAITING or OFFERED → CANCELLED); an offer the
    /// place held passes to the next in line at once.
    async fn leave_waitlist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `WaitlistEntryInput`.")] input: WaitlistEntryInput,
    ) -> Result<WaitlistEntryPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::WaitlistEntry, &input.id)?;
        let entry = waitlist::leave(ctx.app(), caller, id).await?;
        Ok(WaitlistEntryPayload {
            entry: WaitlistEntryObject(entry),
        })
    }
}
