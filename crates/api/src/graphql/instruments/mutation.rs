//! The testing center's mutations: instruments, maintenance windows,
//! qualifications, the life cycle of a booking and secret calendar feeds.
//! Each takes one input object and returns a payload.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::{Date, DateTime, Decimal};
use chrono::Utc;
use iurhub_domain::records::instruments::{Instrument, InstrumentFields};

use super::{
    BookingObject, CalendarFeedObject, InstrumentObject, MaintenanceObject, QualificationObject,
};
use crate::error::ApiResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::InstrumentStatus;
use crate::graphql::ids::{Kind, decode, encode};
use iurhub_app::AppError;
use iurhub_app::calendar_feeds::{self, FeedOf};
use iurhub_app::instruments as service;
use iurhub_domain::Message;

/// Input of `createInstrument`.
#[derive(InputObject)]
pub struct CreateInstrumentInput {
    /// The owning organisation (usually the testing center).
    pub organization_id: ID,
    /// Its name, 1–200 characters.
    pub name: String,
    /// Maker's model designation.
    #[graphql(default)]
    pub model: String,
    /// E.g. "SEM", "CMM", "fatigue testing" (1–100 characters).
    pub category: String,
    /// Building and room.
    #[graphql(default)]
    pub location: String,
    /// Hourly price of the INTERNAL tier (the owners and below them), in
    /// yuan (CNY).
    pub rate_internal: Decimal,
    /// Hourly price of the GROUP tier (the owners' legal entities, the
    /// center's co-builders), in yuan; the INTERNAL price when omitted.
    pub rate_group: Option<Decimal>,
    /// Hourly price of the EXTERNAL tier (everybody else), in yuan (CNY).
    pub rate_external: Decimal,
    /// Whether users need a valid qualification to book it.
    #[graphql(default)]
    pub requires_qualification: bool,
    /// What it does and what samples it takes.
    #[graphql(default)]
    pub description: String,
    /// The testing center it belongs to: one run or co-built by the
    /// organisation's legal entity. Omitted: the oldest center run by the
    /// organisation's legal entity (made, named after it, when there is
    /// none).
    pub center_id: Option<ID>,
    /// What it cost, in yuan (CNY); omitted: not recorded.
    pub original_value: Option<Decimal>,
    /// When it was bought.
    pub purchase_date: Option<Date>,
    /// Its asset or national registration number (at most 100 characters).
    #[graphql(default)]
    pub registration_number: String,
    /// Whether the public catalogue shows it to anonymous visitors.
    #[graphql(default)]
    pub public: bool,
}

/// Input of `updateInstrument`: omitted fields are kept.
#[derive(InputObject, Default)]
pub struct UpdateInstrumentInput {
    /// The instrument.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New model designation.
    pub model: Option<String>,
    /// New category.
    pub category: Option<String>,
    /// New location.
    pub location: Option<String>,
    /// Hourly price of the INTERNAL tier, in yuan (CNY).
    pub rate_internal: Option<Decimal>,
    /// Hourly price of the GROUP tier, in yuan (CNY).
    pub rate_group: Option<Decimal>,
    /// Hourly price of the EXTERNAL tier, in yuan (CNY).
    pub rate_external: Option<Decimal>,
    /// Whether users need a valid qualification to book it.
    pub requires_qualification: Option<bool>,
    /// New description.
    pub description: Option<String>,
    /// AVAILABLE or MAINTENANCE (use `retireInstrument` to retire).
    pub status: Option<InstrumentStatus>,
    /// What it cost, in yuan (CNY); null clears it.
    pub original_value: MaybeUndefined<Decimal>,
    /// When it was bought; null clears it.
    pub purchase_date: MaybeUndefined<Date>,
    /// Its asset or national registration number.
    pub registration_number: Option<String>,
    /// Whether the public catalogue shows it to anonymous visitors.
    pub public: Option<bool>,
}

impl UpdateInstrumentInput {
    /// The instrument's fields with the changes given here; the others as
    /// they are.
    fn apply(self, c: &Instrument) -> InstrumentFields {
        InstrumentFields {
            name: self.name.unwrap_or_else(|| c.name.clone()),
            model: self.model.unwrap_or_else(|| c.model.clone()),
            category: self.category.unwrap_or_else(|| c.category.clone()),
            location: self.location.unwrap_or_else(|| c.location.clone()),
            rate_internal_cents: self.rate_internal.map_or(c.rate_internal_cents, |d| d.0),
            rate_group_cents: self.rate_group.map_or(c.rate_group_cents, |d| d.0),
            rate_external_cents: self.rate_external.map_or(c.rate_external_cents, |d| d.0),
            requires_qualification: self
                .requires_qualification
                .unwrap_or(c.requires_qualification),
            description: self.description.unwrap_or_else(|| c.description.clone()),
            original_value_cents: match self.original_value {
                MaybeUndefined::Undefined => c.original_value_cents,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(d) => Some(d.0),
            },
            purchase_date: match self.purchase_date {
                MaybeUndefined::Undefined => c.purchase_date,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(d) => Some(d.0),
            },
            registration_number: self
                .registration_number
                .unwrap_or_else(|| c.registration_number.clone()),
            public: self.public.unwrap_or(c.public),
        }
    }
}

/// Input of `retireInstrument`.
#[derive(InputObject)]
pub struct RetireInstrumentInput {
    /// The instrument to take out of service for good.
    pub id: ID,
}

/// Input of `addMaintenanceWindow`.
#[derive(InputObject)]
pub struct AddMaintenanceWindowInput {
    /// The instrument.
    pub instrument_id: ID,
    /// Start of the window, RFC 3339 with an offset.
    pub start: DateTime,
    /// End of the window (exclusive), after `start`.
    pub end: DateTime,
    /// Why (1–500 characters); shown to users.
    pub reason: String,
}

/// Input of `deleteMaintenanceWindow`.
#[derive(InputObject)]
pub struct DeleteMaintenanceWindowInput {
    /// The maintenance window.
    pub id: ID,
}

/// Input of `grantQualification`.
#[derive(InputObject)]
pub struct GrantQualificationInput {
    /// The instrument.
    pub instrument_id: ID,
    /// The user to qualify.
    pub user_id: ID,
    /// Until when (in the future); null or omitted: without end.
    pub expires_at: MaybeUndefined<DateTime>,
}

/// Input of `revokeQualification`.
#[derive(InputObject)]
pub struct RevokeQualificationInput {
    /// The instrument.
    pub instrument_id: ID,
    /// The user whose qualification ends.
    pub user_id: ID,
}

/// Input of `requestBooking`.
#[derive(InputObject)]
pub struct RequestBookingInput {
    /// The instrument to book.
    pub instrument_id: ID,
    /// RFC 3339 with an offset, on a whole minute.
    pub start: DateTime,
    /// Exclusive: a booking ending at 10:00 and one starting at 10:00 do not clash.
    pub end: DateTime,
    /// What the instrument is used for (1–1,000 characters).
    pub purpose: String,
    /// The organisation the booking is for (it decides the price tier,
    /// `PriceTier`: INTERNAL, GROUP or EXTERNAL). Defaults to the
    /// caller's first membership as `me.memberships` lists it.
    pub organization_id: Option<ID>,
    /// The framework agreement the booking is filed under (one the caller
    /// works under, a DRAFT or ACTIVE): its hours count in the agreement's
    /// plan (`INSTRUMENT_HOURS`).
    pub agreement_id: Option<ID>,
}

/// Input of `approveBooking`.
#[derive(InputObject)]
pub struct ApproveBookingInput {
    /// The REQUESTED booking.
    pub id: ID,
}

/// Input of `rejectBooking`.
#[derive(InputObject)]
pub struct RejectBookingInput {
    /// The REQUESTED booking.
    pub id: ID,
    /// Why (1–1,000 characters); the booker sees it.
    pub reason: String,
}

/// Input of `cancelBooking`.
#[derive(InputObject)]
pub struct CancelBookingInput {
    /// The REQUESTED or APPROVED booking.
    pub id: ID,
}

/// Input of `completeBooking`.
#[derive(InputObject)]
pub struct CompleteBookingInput {
    /// The APPROVED booking.
    pub id: ID,
    /// When the instrument was actually taken into use (not in the future).
    pub actual_start: DateTime,
    /// When it was released, after `actualStart`.
    pub actual_end: DateTime,
}

/// Input of `createCalendarFeed`.
#[derive(InputObject)]
pub struct CreateCalendarFeedInput {
    /// The instrument whose calendar to subscribe to; omit it for a feed of
    /// your own bookings.
    pub instrument_id: Option<ID>,
}

/// Input of `revokeCalendarFeed`.
#[derive(InputObject)]
pub struct RevokeCalendarFeedInput {
    /// One of your calendar feeds.
    pub id: ID,
}

/// Result of the instrument mutations.
#[derive(SimpleObject)]
pub struct InstrumentPayload {
    /// The instrument as it is now.
    pub instrument: InstrumentObject,
}

/// Result of the booking mutations.
#[derive(SimpleObject)]
pub struct BookingPayload {
    /// The booking as it is now.
    pub booking: BookingObject,
}

/// Result of `grantQualification` and `revokeQualification`.
#[derive(SimpleObject)]
pub struct QualificationPayload {
    /// The qualification as it is now.
    pub qualification: QualificationObject,
}

/// Result of `addMaintenanceWindow`.
#[derive(SimpleObject)]
pub struct MaintenancePayload {
    /// The new window.
    pub maintenance: MaintenanceObject,
}

/// Result of `deleteMaintenanceWindow`.
#[derive(SimpleObject)]
pub struct DeleteMaintenanceWindowPayload {
    /// The id of the window that was deleted.
    pub deleted_maintenance_window_id: ID,
    /// Its instrument.
    pub instrument: InstrumentObject,
}

/// Result of `createCalendarFeed`.
#[derive(SimpleObject)]
pub struct CreateCalendarFeedPayload {
    /// The feed.
    pub feed: CalendarFeedObject,
    /// The feed's secret: shown this once and never again (only a digest is
    /// stored). It opens this calendar and nothing else; it is not a bearer
    /// token.
    pub token: String,
    /// The subscription URL on this server, with the secret as its `token`
    /// parameter; prefix it with the server's origin and give it to a
    /// calendar app.
    pub url: String,
}

/// Result of `revokeCalendarFeed`.
#[derive(SimpleObject)]
pub struct RevokeCalendarFeedPayload {
    /// The feed, with `revokedAt` set: its URL is refused from now on.
    pub feed: CalendarFeedObject,
}

async fn decide(
    ctx: &Context<'_>,
    id: ID,
    to: iurhub_domain::BookingStatus,
    reason: Option<String>,
    actual: Option<(DateTime, DateTime)>,
) -> Result<BookingPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Booking, &id)?;
    let actual = actual.map(|(start, end)| (start.0, end.0));
    let booking = service::decide(ctx.app(), caller, id, to, reason, actual).await?;
    Ok(BookingPayload {
        booking: BookingObject(booking),
    })
}

fn ids(instrument: &ID, user: &ID) -> ApiResult<(i64, i64)> {
    Ok((
        decode("instrumentId", Kind::Instrument, instrument)?,
        decode("userId", Kind::User, user)?,
    ))
}

#[derive(Default)]
pub struct InstrumentsMutation;

#[Object]
impl InstrumentsMutation {
    /// Registers an AVAILABLE instrument (admins of the owning organisation, or ADMIN).
    async fn create_instrument(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateInstrumentInput`.")]
        input: CreateInstrumentInput,
    ) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let center = id_of("centerId", Kind::Center, input.center_id)?;
        let instrument = service::create(
            ctx.app(),
            caller,
            org,
            center,
            InstrumentFields {
                name: input.name,
                model: input.model,
                category: input.category,
                location: input.location,
                rate_internal_cents: input.rate_internal.0,
                rate_group_cents: input.rate_group.unwrap_or(input.rate_internal).0,
                rate_external_cents: input.rate_external.0,
                requires_qualification: input.requires_qualification,
                description: input.description,
                original_value_cents: input.original_value.map(|d| d.0),
                purchase_date: input.purchase_date.map(|d| d.0),
                registration_number: input.registration_number,
                public: input.public,
            },
        )
        .await?;
        Ok(InstrumentPayload {
            instrument: InstrumentObject(instrument),
        })
    }

    /// Edits an instrument or sets it AVAILABLE / MAINTENANCE (staff).
    async fn update_instrument(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateInstrumentInput`.")]
        input: UpdateInstrumentInput,
    ) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Instrument, &input.id)?;
        let status = match input.status.map(iurhub_domain::InstrumentStatus::from) {
            Some(iurhub_domain::InstrumentStatus::Retired) => {
                return Err(AppError::invalid(
                    "status",
                    Message::new("instrument.status.retire_separately"),
                )
                .into());
            }
            other => other,
        };
        let instrument = service::update(ctx.app(), caller, id, |c| input.apply(c), status).await?;
        Ok(InstrumentPayload {
            instrument: InstrumentObject(instrument),
        })
    }

    /// Takes an instrument out of service for good (staff); no new bookings.
    async fn retire_instrument(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RetireInstrumentInput`.")]
        input: RetireInstrumentInput,
    ) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Instrument, &input.id)?;
        let instrument = service::update(
            ctx.app(),
            caller,
            id,
            |c| UpdateInstrumentInput::default().apply(c),
            Some(iurhub_domain::InstrumentStatus::Retired),
        )
        .await?;
        Ok(InstrumentPayload {
            instrument: InstrumentObject(instrument),
        })
    }

    /// Blocks `[start, end)` for maintenance (staff); bookings there are refused.
    async fn add_maintenance_window(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `AddMaintenanceWindowInput`.")]
        input: AddMaintenanceWindowInput,
    ) -> Result<MaintenancePayload> {
        let caller = ctx.caller()?;
        let id = decode("instrumentId", Kind::Instrument, &input.instrument_id)?;
        let window = service::add_maintenance(
            ctx.app(),
            caller,
            id,
            input.start.with_timezone(&Utc),
            input.end.with_timezone(&Utc),
            &input.reason,
        )
        .await?;
        Ok(MaintenancePayload {
            maintenance: MaintenanceObject(window),
        })
    }

    /// Deletes a maintenance window (the instrument's staff); its time can
    /// be booked again.
    async fn delete_maintenance_window(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `DeleteMaintenanceWindowInput`.")]
        input: DeleteMaintenanceWindowInput,
    ) -> Result<DeleteMaintenanceWindowPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::MaintenanceWindow, &input.id)?;
        let (window, instrument) = service::delete_maintenance(ctx.app(), caller, id).await?;
        Ok(DeleteMaintenanceWindowPayload {
            deleted_maintenance_window_id: ID(encode(Kind::MaintenanceWindow, window.id)),
            instrument: InstrumentObject(instrument),
        })
    }

    /// Qualifies a user for an instrument until `expiresAt` (staff).
    async fn grant_qualification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `GrantQualificationInput`.")]
        input: GrantQualificationInput,
    ) -> Result<QualificationPayload> {
        let caller = ctx.caller()?;
        let (instrument, user) = ids(&input.instrument_id, &input.user_id)?;
        let expires = match input.expires_at {
            MaybeUndefined::Value(t) => Some(t.with_timezone(&Utc)),
            _ => None,
        };
        let q = service::grant(ctx.app(), caller, instrument, user, expires).await?;
        Ok(QualificationPayload {
            qualification: QualificationObject(q),
        })
    }

    /// Withdraws a user's qualification (staff).
    async fn revoke_qualification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RevokeQualificationInput`.")]
        input: RevokeQualificationInput,
    ) -> Result<QualificationPayload> {
        let caller = ctx.caller()?;
        let (instrument, user) = ids(&input.instrument_id, &input.user_id)?;
        let q = service::revoke(ctx.app(), caller, instrument, user).await?;
        Ok(QualificationPayload {
            qualification: QualificationObject(q),
        })
    }

    /// Asks for `[start, end)`. Overlapping requested or approved bookings
    /// of the instrument are refused with CONFLICT naming the booked slot,
    /// whatever the concurrency; back-to-back bookings are fine.
    async fn request_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RequestBookingInput`.")]
        input: RequestBookingInput,
    ) -> Result<BookingPayload> {
        let caller = ctx.caller()?;
        let instrument = decode("instrumentId", Kind::Instrument, &input.instrument_id)?;
        let org = id_of("organizationId", Kind::Organization, input.organization_id)?;
        let booking = service::request(
            ctx.app(),
            caller,
            instrument,
            org,
            input.start.with_timezone(&Utc),
            input.end.with_timezone(&Utc),
            &input.purpose,
            id_of("agreementId", Kind::Agreement, input.agreement_id)?,
        )
        .await?;
        Ok(BookingPayload {
            booking: BookingObject(booking),
        })
    }

    /// REQUESTED → APPROVED (staff).
    async fn approve_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ApproveBookingInput`.")]
        input: ApproveBookingInput,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            input.id,
            iurhub_domain::BookingStatus::Approved,
            None,
            None,
        )
        .await
    }

    /// REQUESTED → REJECTED with a reason (staff).
    async fn reject_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RejectBookingInput`.")] input: RejectBookingInput,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            input.id,
            iurhub_domain::BookingStatus::Rejected,
            Some(input.reason),
            None,
        )
        .await
    }

    /// REQUESTED or APPROVED → CANCELLED (the booker or staff); the slot is free again.
    async fn cancel_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CancelBookingInput`.")] input: CancelBookingInput,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            input.id,
            iurhub_domain::BookingStatus::Cancelled,
            None,
            None,
        )
        .await
    }

    /// APPROVED → COMPLETED with the times the instrument was actually used (staff).
    async fn complete_booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CompleteBookingInput`.")]
        input: CompleteBookingInput,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            input.id,
            iurhub_domain::BookingStatus::Completed,
            None,
            Some((input.actual_start, input.actual_end)),
        )
        .await
    }

    /// Creates a secret calendar feed for the caller: a URL calendar apps
    /// fetch without a bearer header, for an instrument's calendar or (without
    /// `instrumentId`) the caller's own bookings. The feed shows what the
    /// caller may see at each fetch; revoke it with `revokeCalendarFeed`. At
    /// most 20 at once.
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateCalendarFeedInput`.")]
        input: CreateCalendarFeedInput,
    ) -> Result<CreateCalendarFeedPayload> {
        let caller = ctx.caller()?;
        let of = match id_of("instrumentId", Kind::Instrument, input.instrument_id)? {
            Some(id) => FeedOf::Instrument(id),
            None => FeedOf::MyBookings,
        };
        let (token, digest) = crate::exports::new_feed_token();
        let feed = calendar_feeds::create(ctx.app(), caller, of, digest).await?;
        let url = crate::exports::feed_url(of, &token);
        Ok(CreateCalendarFeedPayload {
            feed: CalendarFeedObject(feed),
            token,
            url,
        })
    }

    /// Revokes one of the caller's calendar feeds: its URL is refused from
    /// now on.
    async fn revoke_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RevokeCalendarFeedInput`.")]
        input: RevokeCalendarFeedInput,
    ) -> Result<RevokeCalendarFeedPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::CalendarFeed, &input.id)?;
        let feed = calendar_feeds::revoke(ctx.app(), caller, id).await?;
        Ok(RevokeCalendarFeedPayload {
            feed: CalendarFeedObject(feed),
        })
    }
}
