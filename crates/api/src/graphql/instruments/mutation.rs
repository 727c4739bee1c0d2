//! The testing center's mutations: instruments, maintenance windows,
//! qualifications and the life cycle of a booking.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::{DateTime, Decimal};
use chrono::Utc;
use iurhub_domain::records::instruments::{Instrument, InstrumentFields};

use super::{BookingObject, InstrumentObject, MaintenanceObject, QualificationObject};
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::InstrumentStatus;
use crate::graphql::ids::{Kind, decode};
use iurhub_app::instruments as service;

#[derive(InputObject)]
pub struct CreateInstrumentInput {
    /// The owning organisation (usually the testing center).
    pub organization_id: ID,
    pub name: String,
    #[graphql(default)]
    pub model: String,
    pub category: String,
    #[graphql(default)]
    pub location: String,
    /// Hourly rate for the owning organisation, in yuan (CNY).
    pub rate_internal: Decimal,
    /// Hourly rate for other organisations, in yuan (CNY).
    pub rate_external: Decimal,
    #[graphql(default)]
    pub requires_qualification: bool,
    #[graphql(default)]
    pub description: String,
}

#[derive(InputObject, Default)]
pub struct UpdateInstrumentInput {
    pub id: ID,
    pub name: Option<String>,
    pub model: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    /// Hourly rate for the owning organisation, in yuan (CNY).
    pub rate_internal: Option<Decimal>,
    /// Hourly rate for other organisations, in yuan (CNY).
    pub rate_external: Option<Decimal>,
    pub requires_qualification: Option<bool>,
    pub description: Option<String>,
    /// AVAILABLE or MAINTENANCE (use `retireInstrument` to retire).
    pub status: Option<InstrumentStatus>,
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
            rate_external_cents: self.rate_external.map_or(c.rate_external_cents, |d| d.0),
            requires_qualification: self
                .requires_qualification
                .unwrap_or(c.requires_qualification),
            description: self.description.unwrap_or_else(|| c.description.clone()),
        }
    }
}

#[derive(InputObject)]
pub struct RequestBookingInput {
    pub instrument_id: ID,
    /// RFC 3339 with an offset, on a whole minute.
    pub start: DateTime,
    /// Exclusive: a booking ending at 10:00 and one starting at 10:00 do not clash.
    pub end: DateTime,
    pub purpose: String,
    /// The organisation the booking is for (decides the rate); defaults to
    /// the caller's first.
    pub organization_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct InstrumentPayload {
    pub instrument: InstrumentObject,
}

#[derive(SimpleObject)]
pub struct BookingPayload {
    pub booking: BookingObject,
}

#[derive(SimpleObject)]
pub struct QualificationPayload {
    pub qualification: QualificationObject,
}

#[derive(SimpleObject)]
pub struct MaintenancePayload {
    pub maintenance: MaintenanceObject,
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
        input: CreateInstrumentInput,
    ) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let instrument = service::create(
            ctx.app(),
            caller,
            org,
            InstrumentFields {
                name: input.name,
                model: input.model,
                category: input.category,
                location: input.location,
                rate_internal_cents: input.rate_internal.0,
                rate_external_cents: input.rate_external.0,
                requires_qualification: input.requires_qualification,
                description: input.description,
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
        input: UpdateInstrumentInput,
    ) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Instrument, &input.id)?;
        let status = match input.status.map(iurhub_domain::InstrumentStatus::from) {
            Some(iurhub_domain::InstrumentStatus::Retired) => {
                return Err(ApiError::bad_input("status", "use retireInstrument"));
            }
            other => other,
        };
        let instrument = service::update(ctx.app(), caller, id, |c| input.apply(c), status).await?;
        Ok(InstrumentPayload {
            instrument: InstrumentObject(instrument),
        })
    }

    /// Takes an instrument out of service for good (staff); no new bookings.
    async fn retire_instrument(&self, ctx: &Context<'_>, id: ID) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Instrument, &id)?;
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
        instrument_id: ID,
        start: DateTime,
        end: DateTime,
        reason: String,
    ) -> Result<MaintenancePayload> {
        let caller = ctx.caller()?;
        let id = decode("instrumentId", Kind::Instrument, &instrument_id)?;
        let window = service::add_maintenance(
            ctx.app(),
            caller,
            id,
            start.with_timezone(&Utc),
            end.with_timezone(&Utc),
            &reason,
        )
        .await?;
        Ok(MaintenancePayload {
            maintenance: MaintenanceObject(window),
        })
    }

    /// Qualifies a user for an instrument until `expiresAt` (staff).
    async fn grant_qualification(
        &self,
        ctx: &Context<'_>,
        instrument_id: ID,
        user_id: ID,
        expires_at: MaybeUndefined<DateTime>,
    ) -> Result<QualificationPayload> {
        let caller = ctx.caller()?;
        let (instrument, user) = ids(&instrument_id, &user_id)?;
        let expires = match expires_at {
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
        instrument_id: ID,
        user_id: ID,
    ) -> Result<QualificationPayload> {
        let caller = ctx.caller()?;
        let (instrument, user) = ids(&instrument_id, &user_id)?;
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
        )
        .await?;
        Ok(BookingPayload {
            booking: BookingObject(booking),
        })
    }

    /// REQUESTED → APPROVED (staff).
    async fn approve_booking(&self, ctx: &Context<'_>, id: ID) -> Result<BookingPayload> {
        decide(ctx, id, iurhub_domain::BookingStatus::Approved, None, None).await
    }

    /// REQUESTED → REJECTED with a reason (staff).
    async fn reject_booking(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            id,
            iurhub_domain::BookingStatus::Rejected,
            Some(reason),
            None,
        )
        .await
    }

    /// REQUESTED or APPROVED → CANCELLED (the booker or staff); the slot is free again.
    async fn cancel_booking(&self, ctx: &Context<'_>, id: ID) -> Result<BookingPayload> {
        decide(ctx, id, iurhub_domain::BookingStatus::Cancelled, None, None).await
    }

    /// APPROVED → COMPLETED with the times the instrument was actually used (staff).
    async fn complete_booking(
        &self,
        ctx: &Context<'_>,
        id: ID,
        actual_start: DateTime,
        actual_end: DateTime,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            id,
            iurhub_domain::BookingStatus::Completed,
            None,
            Some((actual_start, actual_end)),
        )
        .await
    }
}
