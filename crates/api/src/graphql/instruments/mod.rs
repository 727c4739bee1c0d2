//! The shared testing center in the schema: instruments, availability,
//! qualifications, bookings and usage statistics.

use crate::graphql::loaders::{OrganizationId, UserId};
use async_graphql::{
    ComplexObject, Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject,
};
use chrono::{DateTime, FixedOffset, Utc};
use iurhub_store::instruments::{
    Booking, BookingFilter, BookingVisibility, Instrument, InstrumentFields, Maintenance,
    Qualification,
};

use super::context::{ContextExt, load_one};
use super::enums::{BookingStatus, InstrumentStatus};
use super::ids::{Kind, decode, encode};
use super::organizations::{OrganizationObject, UserObject};
use super::paging::{Conn, PageInput, connection};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::service::instruments::{self as service, BookingRules};

/// An instrument of the shared testing center (大型仪器).
pub struct InstrumentObject(pub Instrument);

/// A free time of an instrument, `[start, end)`.
#[derive(SimpleObject)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A time the instrument is out of service.
pub struct MaintenanceObject(pub Maintenance);

#[Object(name = "MaintenanceWindow")]
impl MaintenanceObject {
    async fn start(&self) -> DateTime<Utc> {
        self.0.start
    }
    async fn end(&self) -> DateTime<Utc> {
        self.0.end
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

/// A user's qualification to operate an instrument.
pub struct QualificationObject(pub Qualification);

#[Object(name = "Qualification")]
impl QualificationObject {
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.user_id)).await?.map(UserObject))
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// Granted, not revoked and not expired now.
    async fn valid(&self) -> bool {
        self.0.valid_at(Utc::now())
    }
}

fn staff(ctx: &Context<'_>, instrument: &Instrument) -> bool {
    ctx.caller().is_ok_and(|c| service::is_staff(c, instrument))
}

#[Object(name = "Instrument")]
impl InstrumentObject {
    async fn id(&self) -> ID {
        ID(encode(Kind::Instrument, self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn model(&self) -> &str {
        &self.0.model
    }
    /// E.g. "SEM", "CMM", "fatigue testing".
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn location(&self) -> &str {
        &self.0.location
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Hourly rate for the owning organisation, in fen (0.01 CNY).
    async fn rate_internal_cents(&self) -> i64 {
        self.0.rate_internal_cents
    }
    /// Hourly rate for other organisations, in fen.
    async fn rate_external_cents(&self) -> i64 {
        self.0.rate_external_cents
    }
    /// Whether users need a valid qualification to book it.
    async fn requires_qualification(&self) -> bool {
        self.0.requires_qualification
    }
    async fn status(&self) -> InstrumentStatus {
        self.0.status.into()
    }
    /// The organisation that owns and runs it.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }
    /// Free slots in `[from, to)` (at most 93 days): the time outside
    /// requested and approved bookings and maintenance windows.
    async fn availability(
        &self,
        ctx: &Context<'_>,
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    ) -> Result<Vec<Slot>> {
        let slots = service::availability(
            ctx.store(),
            &self.0,
            from.with_timezone(&Utc),
            to.with_timezone(&Utc),
        )
        .await?;
        Ok(slots
            .into_iter()
            .map(|(start, end)| Slot { start, end })
            .collect())
    }
    /// Maintenance windows overlapping `[from, to)`.
    async fn maintenance(
        &self,
        ctx: &Context<'_>,
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    ) -> Result<Vec<MaintenanceObject>> {
        let found = ctx
            .store()
            .maintenance_between(self.0.id, from.with_timezone(&Utc), to.with_timezone(&Utc))
            .await
            .map_err(ApiError::from)?;
        Ok(found.into_iter().map(MaintenanceObject).collect())
    }
    /// Whether the signed-in user runs this instrument (testing-center staff).
    async fn viewer_is_staff(&self, ctx: &Context<'_>) -> bool {
        staff(ctx, &self.0)
    }
    /// The signed-in user's own qualification, if any.
    async fn viewer_qualification(&self, ctx: &Context<'_>) -> Result<Option<QualificationObject>> {
        let caller = ctx.caller()?;
        Ok(ctx
            .store()
            .qualification(self.0.id, caller.id())
            .await
            .map_err(ApiError::from)?
            .map(QualificationObject))
    }
    /// Everyone's qualifications; staff only (FORBIDDEN otherwise).
    async fn qualifications(&self, ctx: &Context<'_>) -> Result<Vec<QualificationObject>> {
        if !staff(ctx, &self.0) {
            return Err(
                ApiError::forbidden("only the testing center's staff see qualifications").into(),
            );
        }
        Ok(ctx
            .store()
            .qualifications_of_instrument(self.0.id)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(QualificationObject)
            .collect())
    }
}

/// A booking of an instrument, `[start, end)`.
pub struct BookingObject(pub Booking);

#[Object(name = "Booking")]
impl BookingObject {
    async fn id(&self) -> ID {
        ID(encode(Kind::Booking, self.0.id))
    }
    async fn instrument(&self, ctx: &Context<'_>) -> Result<InstrumentObject> {
        Ok(InstrumentObject(
            service::instrument(ctx.store(), self.0.instrument_id).await?,
        ))
    }
    /// Who booked.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.user_id)).await?.map(UserObject))
    }
    /// The organisation the booking is for (it decides the rate).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }
    async fn start(&self) -> DateTime<Utc> {
        self.0.start
    }
    async fn end(&self) -> DateTime<Utc> {
        self.0.end
    }
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    async fn status(&self) -> BookingStatus {
        self.0.status.into()
    }
    async fn actual_start(&self) -> Option<DateTime<Utc>> {
        self.0.actual_start
    }
    async fn actual_end(&self) -> Option<DateTime<Utc>> {
        self.0.actual_end
    }
    async fn reject_reason(&self) -> Option<&str> {
        self.0.reject_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Usage figures over a period, as the national large-instrument sharing
/// assessments ask for them.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Usage {
    /// Hours of approved and completed bookings within the period.
    pub booked_hours: f64,
    /// Hours actually used (completed bookings, actual times).
    pub effective_hours: f64,
    /// Effective hours for organisations other than the owner.
    pub external_hours: f64,
    /// External / effective hours; null without use.
    pub sharing_rate: Option<f64>,
    /// Approved bookings that ended in the period and were never completed.
    pub no_show_count: u32,
    /// Effective hours at the applicable rates, in fen (0.01 CNY).
    pub revenue_cents: i64,
    #[graphql(skip)]
    pub instrument: Option<Instrument>,
}

#[ComplexObject]
impl Usage {
    /// The instrument (null for the center's total).
    async fn instrument(&self) -> Option<InstrumentObject> {
        self.instrument.clone().map(InstrumentObject)
    }
}

impl Usage {
    fn of(u: service::Usage, instrument: Option<Instrument>) -> Usage {
        Usage {
            booked_hours: u.booked_hours,
            effective_hours: u.effective_hours,
            external_hours: u.external_hours,
            sharing_rate: u.sharing_rate,
            no_show_count: u.no_shows,
            revenue_cents: u.revenue_cents,
            instrument,
        }
    }
}

/// Usage of the center and of each instrument.
#[derive(SimpleObject)]
pub struct UsageStats {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// All instruments the caller may see the figures of, together.
    pub center: Usage,
    pub instruments: Vec<Usage>,
}

/// Filters of `instruments`.
#[derive(InputObject, Default)]
pub struct InstrumentFilterInput {
    pub organization_id: Option<ID>,
    pub category: Option<String>,
    pub status: Option<Vec<InstrumentStatus>>,
}

/// Filters of `bookings`.
#[derive(InputObject, Default)]
pub struct BookingFilterInput {
    pub instrument_id: Option<ID>,
    /// Only the caller's own bookings.
    #[graphql(default)]
    pub mine: bool,
    pub status: Option<Vec<BookingStatus>>,
    /// Bookings ending after this instant.
    pub from: Option<DateTime<FixedOffset>>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime<FixedOffset>>,
}

fn visibility(caller: &Caller) -> Option<BookingVisibility> {
    if caller.is_staff() {
        return None;
    }
    Some(BookingVisibility {
        user_id: caller.id(),
        organization_ids: caller.managed_org_ids.clone(),
        instrument_owner_ids: caller.administered_org_ids.clone(),
    })
}

#[derive(Default)]
pub struct InstrumentsQuery;

#[Object]
impl InstrumentsQuery {
    /// One instrument of the testing center (signed-in users).
    async fn instrument(&self, ctx: &Context<'_>, id: ID) -> Result<InstrumentObject> {
        ctx.caller()?;
        let id = decode("id", Kind::Instrument, &id)?;
        Ok(InstrumentObject(
            service::instrument(ctx.store(), id).await?,
        ))
    }

    /// The instruments of the testing center, by name (signed-in users).
    async fn instruments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<InstrumentFilterInput>,
    ) -> Result<Conn<InstrumentObject>> {
        ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let tag = "instruments:name";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let org = filter
            .organization_id
            .map(|id| decode("filter.organizationId", Kind::Organization, &id))
            .transpose()?;
        let statuses: Vec<iurhub_domain::InstrumentStatus> = filter
            .status
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let page = ctx
            .store()
            .list_instruments(org, filter.category.as_deref(), &statuses, args)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(tag, page, InstrumentObject))
    }

    /// Bookings the caller may see: their own, their organisations', those of
    /// the instruments they run (coordinators and admins: all), by start.
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<BookingFilterInput>,
    ) -> Result<Conn<BookingObject>> {
        let caller = ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let tag = "bookings:start";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let store_filter = BookingFilter {
            instrument_id: filter
                .instrument_id
                .map(|id| decode("filter.instrumentId", Kind::Instrument, &id))
                .transpose()?,
            user_id: filter.mine.then(|| caller.id()),
            statuses: filter
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            from: filter.from.map(|t| t.with_timezone(&Utc)),
            to: filter.to.map(|t| t.with_timezone(&Utc)),
            visible: visibility(caller),
        };
        let page = ctx
            .store()
            .list_bookings(&store_filter, args)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(tag, page, BookingObject))
    }

    /// One booking the caller may see.
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> Result<BookingObject> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Booking, &id)?;
        Ok(BookingObject(
            service::visible_booking(ctx.store(), caller, id).await?,
        ))
    }

    /// Usage over `[from, to)`: for coordinators and admins every
    /// instrument, for organisation admins their organisations' instruments.
    async fn usage_stats(
        &self,
        ctx: &Context<'_>,
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    ) -> Result<UsageStats> {
        let caller = ctx.caller()?;
        let (from, to) = (from.with_timezone(&Utc), to.with_timezone(&Utc));
        if to <= from {
            return Err(ApiError::bad_input("to", "must be after from").into());
        }
        let instruments: Vec<Instrument> = ctx
            .store()
            .all_instruments()
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .filter(|i| caller.is_staff() || service::is_staff(caller, i))
            .collect();
        if instruments.is_empty() && !caller.is_staff() {
            return Err(ApiError::forbidden(
                "usage statistics are for the testing center's staff and coordinators",
            )
            .into());
        }
        let bookings = ctx
            .store()
            .bookings_between(
                None,
                &[
                    iurhub_domain::BookingStatus::Approved,
                    iurhub_domain::BookingStatus::Completed,
                ],
                from,
                to,
            )
            .await
            .map_err(ApiError::from)?;
        let now = Utc::now();
        let per: Vec<service::Usage> = instruments
            .iter()
            .map(|i| service::usage(i, &bookings, (from, to), now))
            .collect();
        let mut center = service::Usage::default();
        for u in &per {
            center.booked_hours += u.booked_hours;
            center.effective_hours += u.effective_hours;
            center.external_hours += u.external_hours;
            center.no_shows += u.no_shows;
            center.revenue_cents += u.revenue_cents;
        }
        center.sharing_rate =
            (center.effective_hours > 0.0).then(|| center.external_hours / center.effective_hours);
        Ok(UsageStats {
            from,
            to,
            center: Usage::of(center, None),
            instruments: per
                .into_iter()
                .zip(instruments)
                .map(|(u, i)| Usage::of(u, Some(i)))
                .collect(),
        })
    }
}

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
    /// Hourly rate for the owning organisation, in fen.
    pub rate_internal_cents: i64,
    /// Hourly rate for other organisations, in fen.
    pub rate_external_cents: i64,
    #[graphql(default)]
    pub requires_qualification: bool,
    #[graphql(default)]
    pub description: String,
}

#[derive(InputObject)]
pub struct UpdateInstrumentInput {
    pub id: ID,
    pub name: Option<String>,
    pub model: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub rate_internal_cents: Option<i64>,
    pub rate_external_cents: Option<i64>,
    pub requires_qualification: Option<bool>,
    pub description: Option<String>,
    /// AVAILABLE or MAINTENANCE (use `retireInstrument` to retire).
    pub status: Option<InstrumentStatus>,
}

#[derive(InputObject)]
pub struct RequestBookingInput {
    pub instrument_id: ID,
    /// RFC 3339 with an offset, on a whole minute.
    pub start: DateTime<FixedOffset>,
    /// Exclusive: a booking ending at 10:00 and one starting at 10:00 do not clash.
    pub end: DateTime<FixedOffset>,
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
    actual: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<BookingPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Booking, &id)?;
    let booking = service::decide(ctx.store(), caller, id, to, reason, actual).await?;
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
            ctx.store(),
            caller,
            org,
            InstrumentFields {
                name: input.name,
                model: input.model,
                category: input.category,
                location: input.location,
                rate_internal_cents: input.rate_internal_cents,
                rate_external_cents: input.rate_external_cents,
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
                return Err(ApiError::bad_input("status", "use retireInstrument").into());
            }
            other => other,
        };
        let instrument = service::update(
            ctx.store(),
            caller,
            id,
            |c| InstrumentFields {
                name: input.name.unwrap_or_else(|| c.name.clone()),
                model: input.model.unwrap_or_else(|| c.model.clone()),
                category: input.category.unwrap_or_else(|| c.category.clone()),
                location: input.location.unwrap_or_else(|| c.location.clone()),
                rate_internal_cents: input.rate_internal_cents.unwrap_or(c.rate_internal_cents),
                rate_external_cents: input.rate_external_cents.unwrap_or(c.rate_external_cents),
                requires_qualification: input
                    .requires_qualification
                    .unwrap_or(c.requires_qualification),
                description: input.description.unwrap_or_else(|| c.description.clone()),
            },
            status,
        )
        .await?;
        Ok(InstrumentPayload {
            instrument: InstrumentObject(instrument),
        })
    }

    /// Takes an instrument out of service for good (staff); no new bookings.
    async fn retire_instrument(&self, ctx: &Context<'_>, id: ID) -> Result<InstrumentPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Instrument, &id)?;
        let instrument = service::update(
            ctx.store(),
            caller,
            id,
            |c| InstrumentFields {
                name: c.name.clone(),
                model: c.model.clone(),
                category: c.category.clone(),
                location: c.location.clone(),
                rate_internal_cents: c.rate_internal_cents,
                rate_external_cents: c.rate_external_cents,
                requires_qualification: c.requires_qualification,
                description: c.description.clone(),
            },
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
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        reason: String,
    ) -> Result<MaintenancePayload> {
        let caller = ctx.caller()?;
        let id = decode("instrumentId", Kind::Instrument, &instrument_id)?;
        let window = service::add_maintenance(
            ctx.store(),
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
        expires_at: MaybeUndefined<DateTime<FixedOffset>>,
    ) -> Result<QualificationPayload> {
        let caller = ctx.caller()?;
        let (instrument, user) = ids(&instrument_id, &user_id)?;
        let expires = match expires_at {
            MaybeUndefined::Value(t) => Some(t.with_timezone(&Utc)),
            _ => None,
        };
        let q = service::grant(ctx.store(), caller, instrument, user, expires).await?;
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
        let q = service::revoke(ctx.store(), caller, instrument, user).await?;
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
        let org = input
            .organization_id
            .map(|id| decode("organizationId", Kind::Organization, &id))
            .transpose()?;
        let rules = *ctx.data_unchecked::<BookingRules>();
        let booking = service::request(
            ctx.store(),
            caller,
            rules,
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
        actual_start: DateTime<FixedOffset>,
        actual_end: DateTime<FixedOffset>,
    ) -> Result<BookingPayload> {
        decide(
            ctx,
            id,
            iurhub_domain::BookingStatus::Completed,
            None,
            Some((
                actual_start.with_timezone(&Utc),
                actual_end.with_timezone(&Utc),
            )),
        )
        .await
    }
}
