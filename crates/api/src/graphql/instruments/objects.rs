//! The testing center's object types: instruments, maintenance windows,
//! qualifications, bookings and usage figures.

use crate::graphql::agreements::AgreementObject;
use crate::graphql::centers::{CenterObject, OwnerObject};
use crate::graphql::loaders::{CenterId, InstrumentOwners, OrganizationId, UserId};
use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::scalars::{Date, DateTime, Money};
use chrono::Utc;
use iurhub_domain::records::instruments::{
    Booking, CalendarFeed, Instrument, Maintenance, Qualification,
};

use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{BookingStatus, InstrumentStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use iurhub_app::instruments as service;

use super::{BookingRatingObject, InstrumentRating};
use crate::graphql::paging::{Conn, PageInput, connection};

/// An instrument of the shared testing center (大型仪器).
pub struct InstrumentObject(pub Instrument);

/// A free time of an instrument, `[start, end)`.
#[derive(SimpleObject)]
pub struct Slot {
    /// Start of the free time.
    pub start: DateTime,
    /// End of the free time (exclusive).
    pub end: DateTime,
}

/// A time the instrument is out of service.
pub struct MaintenanceObject(pub Maintenance);

/// A time the instrument is out of service: bookings there are refused.
#[Object(name = "MaintenanceWindow")]
impl MaintenanceObject {
    /// Its global id (for `deleteMaintenanceWindow`).
    pub async fn id(&self) -> ID {
        ID(encode(Kind::MaintenanceWindow, self.0.id))
    }
    /// Start of the window.
    async fn start(&self) -> DateTime {
        DateTime(self.0.start)
    }
    /// End of the window (exclusive).
    async fn end(&self) -> DateTime {
        DateTime(self.0.end)
    }
    /// Why the instrument is out of service.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The instrument out of service.
    async fn instrument(&self, ctx: &Context<'_>) -> Result<InstrumentObject> {
        Ok(InstrumentObject(
            service::instrument(ctx.app(), self.0.instrument_id).await?,
        ))
    }
}

/// A user's qualification to operate an instrument.
pub struct QualificationObject(pub Qualification);

/// A user's qualification to operate an instrument.
#[Object(name = "Qualification")]
impl QualificationObject {
    /// The qualified user.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or_else(|| ApiError::not_found("user"))
    }
    /// Until when it holds; null: without end.
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }
    /// When the staff revoked it, if they did.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
    /// Granted, not revoked and not expired now.
    async fn valid(&self) -> bool {
        self.0.valid_at(Utc::now())
    }
}

fn staff(ctx: &Context<'_>, instrument: &Instrument) -> bool {
    ctx.caller().is_ok_and(|c| service::is_staff(c, instrument))
}

/// An instrument of the shared testing center (大型仪器).
#[Object(name = "Instrument")]
impl InstrumentObject {
    /// Its global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Instrument, self.0.id))
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Maker's model designation.
    async fn model(&self) -> &str {
        &self.0.model
    }
    /// E.g. "SEM", "CMM", "fatigue testing".
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// Building and room.
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// What it does and what samples it takes.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Hourly price of the INTERNAL tier: the owners and the organisations
    /// below them.
    async fn rate_internal(&self) -> Money {
        Money::fen(self.0.rate_internal_cents)
    }
    /// Hourly price of the GROUP tier: the owners' legal entities and the
    /// organisations running or co-building the center (and below them).
    async fn rate_group(&self) -> Money {
        Money::fen(self.0.rate_group_cents)
    }
    /// Hourly price of the EXTERNAL tier: everybody else.
    async fn rate_external(&self) -> Money {
        Money::fen(self.0.rate_external_cents)
    }
    /// Whether users need a valid qualification to book it.
    async fn requires_qualification(&self) -> bool {
        self.0.requires_qualification
    }
    /// Whether it can be booked.
    async fn status(&self) -> InstrumentStatus {
        self.0.status.into()
    }
    /// The testing center it belongs to.
    async fn center(&self, ctx: &Context<'_>) -> Result<CenterObject> {
        load_one(ctx, CenterId(self.0.center_id))
            .await?
            .map(CenterObject)
            .ok_or_else(|| ApiError::not_found("center"))
    }
    /// Its owners and their shares (co-built instruments have several),
    /// largest share first. Bookings for their legal entities are internal.
    async fn owners(&self, ctx: &Context<'_>) -> Result<Vec<OwnerObject>> {
        Ok(load_one(ctx, InstrumentOwners(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OwnerObject)
            .collect())
    }
    /// What it cost; null when not recorded.
    async fn original_value(&self) -> Option<Money> {
        self.0.original_value_cents.map(Money::fen)
    }
    /// When it was bought.
    async fn purchase_date(&self) -> Option<Date> {
        self.0.purchase_date.map(Date)
    }
    /// Its asset or national registration number ("" when none).
    async fn registration_number(&self) -> &str {
        &self.0.registration_number
    }
    /// Whether the public catalogue shows it to anonymous visitors.
    async fn public(&self) -> bool {
        self.0.public
    }
    /// The organisation that runs it (its ORG_ADMINs are the staff).
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or_else(|| ApiError::not_found("organization"))
    }
    /// Free slots in `[from, to)` (at most 93 days): the time outside
    /// requested and approved bookings and maintenance windows.
    async fn availability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the period (inclusive).")] from: DateTime,
        #[graphql(desc = "End of the period (exclusive), at most 93 days after `from`.")]
        to: DateTime,
    ) -> Result<Vec<Slot>> {
        let slots = service::availability(
            ctx.app(),
            &self.0,
            from.with_timezone(&Utc),
            to.with_timezone(&Utc),
        )
        .await?;
        Ok(slots
            .into_iter()
            .map(|(start, end)| Slot {
                start: start.into(),
                end: end.into(),
            })
            .collect())
    }
    /// Maintenance windows overlapping `[from, to)`.
    async fn maintenance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the period (inclusive).")] from: DateTime,
        #[graphql(desc = "End of the period (exclusive).")] to: DateTime,
    ) -> Result<Vec<MaintenanceObject>> {
        let found = service::maintenance_between(
            ctx.app(),
            self.0.id,
            from.with_timezone(&Utc),
            to.with_timezone(&Utc),
        )
        .await?;
        Ok(found.into_iter().map(MaintenanceObject).collect())
    }
    /// Whether the signed-in user runs this instrument (testing-center staff).
    async fn viewer_is_staff(&self, ctx: &Context<'_>) -> bool {
        staff(ctx, &self.0)
    }
    /// The signed-in user's own qualification, if any.
    async fn viewer_qualification(&self, ctx: &Context<'_>) -> Result<Option<QualificationObject>> {
        let caller = ctx.caller()?;
        Ok(service::own_qualification(ctx.app(), caller, self.0.id)
            .await?
            .map(QualificationObject))
    }
    /// Its users' ratings in figures: how many and their average.
    async fn rating(&self, ctx: &Context<'_>) -> Result<InstrumentRating> {
        ctx.caller()?;
        Ok(iurhub_app::ratings::summary(ctx.app(), self.0.id)
            .await?
            .into())
    }
    /// Its users' ratings of completed bookings, newest first (without who
    /// rated).
    async fn ratings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n ratings (at most the page size limit).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the ratings after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n ratings (at most the page size limit).")] last: Option<
            i32,
        >,
        #[graphql(desc = "Returns the ratings before this cursor.")] before: Option<String>,
    ) -> Result<Conn<BookingRatingObject>> {
        ctx.caller()?;
        let tag = format!("instrumentRatings:{}", self.0.id);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page = iurhub_app::ratings::of_instrument(ctx.app(), self.0.id, args).await?;
        Ok(connection(&tag, page, BookingRatingObject))
    }
    /// How many users are on its waiting list (waiting, or holding an
    /// offer).
    async fn waitlist_length(&self, ctx: &Context<'_>) -> Result<u64> {
        ctx.caller()?;
        Ok(iurhub_app::waitlist::length(ctx.app(), self.0.id).await?)
    }
    /// Everyone's qualifications; staff only (FORBIDDEN otherwise).
    async fn qualifications(&self, ctx: &Context<'_>) -> Result<Vec<QualificationObject>> {
        let caller = ctx.caller()?;
        Ok(service::qualifications(ctx.app(), caller, &self.0)
            .await?
            .into_iter()
            .map(QualificationObject)
            .collect())
    }
}

/// A booking of an instrument, `[start, end)`.
pub struct BookingObject(pub Booking);

/// A booking of an instrument, `[start, end)`.
#[Object(name = "Booking")]
impl BookingObject {
    /// Its global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Booking, self.0.id))
    }
    /// The instrument booked.
    async fn instrument(&self, ctx: &Context<'_>) -> Result<InstrumentObject> {
        Ok(InstrumentObject(
            service::instrument(ctx.app(), self.0.instrument_id).await?,
        ))
    }
    /// Who booked.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or_else(|| ApiError::not_found("user"))
    }
    /// The organisation the booking is for (it decides the rate).
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or_else(|| ApiError::not_found("organization"))
    }
    /// The framework agreement the booking is filed under; null when none,
    /// and for readers who may not see the agreement.
    async fn agreement(&self, ctx: &Context<'_>) -> Option<AgreementObject> {
        let id = self.0.agreement_id?;
        load_one(ctx, crate::graphql::loaders::AgreementId(id))
            .await
            .ok()
            .flatten()
            .filter(|a| a.visible_to(ctx.identity().scope()))
            .map(AgreementObject)
    }
    /// The service order the testing center's staff booked this time under
    /// (`serviceOrder(id:)`): order time, billed with the order, not an
    /// ordinary booking. Null for ordinary bookings.
    async fn service_order_id(&self) -> Option<ID> {
        self.0
            .service_order_id
            .map(|id| ID(encode(Kind::ServiceOrder, id)))
    }
    /// Booked from (UTC, a whole minute).
    async fn start(&self) -> DateTime {
        DateTime(self.0.start)
    }
    /// Booked until (exclusive).
    async fn end(&self) -> DateTime {
        DateTime(self.0.end)
    }
    /// What the instrument is used for.
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    /// Where it is in its life cycle.
    async fn status(&self) -> BookingStatus {
        self.0.status.into()
    }
    /// When the instrument was actually taken into use (COMPLETED bookings).
    async fn actual_start(&self) -> Option<DateTime> {
        self.0.actual_start.map(DateTime)
    }
    /// When it was released (COMPLETED bookings).
    async fn actual_end(&self) -> Option<DateTime> {
        self.0.actual_end.map(DateTime)
    }
    /// Why the staff rejected it (REJECTED bookings).
    async fn reject_reason(&self) -> Option<&str> {
        self.0.reject_reason.as_deref()
    }
    /// When it was requested.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// The booker's rating, once given (`rateBooking`).
    async fn rating(&self, ctx: &Context<'_>) -> Result<Option<BookingRatingObject>> {
        Ok(iurhub_app::ratings::of_booking(ctx.app(), self.0.id)
            .await?
            .map(BookingRatingObject))
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
    /// Effective hours for other legal entities than the owners'.
    pub external_hours: f64,
    /// External / effective hours; null without use.
    pub sharing_rate: Option<f64>,
    /// Approved bookings that ended in the period and were never completed.
    pub no_show_count: u32,
    /// Effective hours at each client's tier price (`PriceTier`), each
    /// booking rounded half up to the fen.
    pub revenue: Money,
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
    pub(super) fn of(u: service::Usage, instrument: Option<Instrument>) -> Usage {
        Usage {
            booked_hours: u.booked_hours,
            effective_hours: u.effective_hours,
            external_hours: u.external_hours,
            sharing_rate: u.sharing_rate,
            no_show_count: u.no_shows,
            revenue: Money::fen(u.revenue_cents),
            instrument,
        }
    }
}

/// Usage of the center and of each instrument.
#[derive(SimpleObject)]
pub struct UsageStats {
    /// Start of the period.
    pub from: DateTime,
    /// End of the period (exclusive).
    pub to: DateTime,
    /// All instruments the caller may see the figures of, together.
    pub center: Usage,
    /// Each of those instruments, by name.
    pub instruments: Vec<Usage>,
}

/// Which calendar a feed shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CalendarFeedKind {
    /// An instrument's calendar: its approved bookings, as "booked" (not who
    /// or why).
    Instrument,
    /// The feed owner's own bookings (requested, approved, completed), with
    /// instrument, status and purpose.
    MyBookings,
}

/// A secret calendar feed of the signed-in user: a URL calendar apps fetch
/// without a bearer header (`createCalendarFeed` shows it once).
pub struct CalendarFeedObject(pub CalendarFeed);

/// A secret calendar feed of the signed-in user: a URL calendar apps fetch
/// without a bearer header (`createCalendarFeed` shows it once).
#[Object(name = "CalendarFeed")]
impl CalendarFeedObject {
    /// Its global id (for `revokeCalendarFeed`).
    pub async fn id(&self) -> ID {
        ID(encode(Kind::CalendarFeed, self.0.id))
    }
    /// Which calendar it shows.
    async fn kind(&self) -> CalendarFeedKind {
        match self.0.instrument_id {
            Some(_) => CalendarFeedKind::Instrument,
            None => CalendarFeedKind::MyBookings,
        }
    }
    /// The instrument of an INSTRUMENT feed; null for MY_BOOKINGS.
    async fn instrument(&self, ctx: &Context<'_>) -> Result<Option<InstrumentObject>> {
        match self.0.instrument_id {
            Some(id) => Ok(Some(InstrumentObject(
                service::instrument(ctx.app(), id).await?,
            ))),
            None => Ok(None),
        }
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it was revoked; its URL is refused since.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
}
