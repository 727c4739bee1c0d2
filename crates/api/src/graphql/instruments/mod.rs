//! The shared testing center in the schema: instruments, availability,
//! qualifications, bookings and usage statistics. The object types are in
//! `objects`, the mutations in `mutation`.

mod mutation;
mod objects;
mod sharing;

use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::error::ApiResult as Result;
use crate::graphql::enums::OrderDirection;
use crate::graphql::inputs::{all, id_of, order_tag};
use crate::graphql::scalars::DateTime;
use chrono::Utc;

use super::context::ContextExt;
use super::enums::{BookingStatus, InstrumentStatus};
use super::ids::{Kind, decode};
use super::paging::{Conn, PageInput, connection};
use iurhub_app::instruments::{self as service, BookingQuery, BookingSort, InstrumentSort};

pub use mutation::InstrumentsMutation;
pub use objects::{
    BookingObject, CalendarFeedKind, CalendarFeedObject, InstrumentObject, MaintenanceObject,
    QualificationObject, Usage, UsageStats,
};
pub use sharing::{BookingRatingObject, InstrumentRating, SharingMutation, WaitlistEntryObject};

/// Filters of `instruments`.
#[derive(InputObject, Default)]
pub struct InstrumentFilterInput {
    /// Only instruments of this organisation.
    pub organization_id: Option<ID>,
    /// Only this category (exactly, at most 100 characters).
    pub category: Option<String>,
    /// Only instruments in one of these statuses.
    pub status: Option<Vec<InstrumentStatus>>,
    /// Only instruments of this testing center.
    pub center_id: Option<ID>,
    /// Free text, Chinese or English (at most 200 characters): every word
    /// of it, analysed as the matching engine analyses texts, is in the
    /// instrument's name, model, category, location or description.
    pub search: Option<String>,
}

/// Filters of `bookings`.
#[derive(InputObject, Default)]
pub struct BookingFilterInput {
    /// Only bookings of this instrument.
    pub instrument_id: Option<ID>,
    /// Only the caller's own bookings.
    #[graphql(default)]
    pub mine: bool,
    /// Only bookings in one of these statuses.
    pub status: Option<Vec<BookingStatus>>,
    /// Bookings ending after this instant.
    pub from: Option<DateTime>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime>,
}

/// Orderings of `instruments`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum InstrumentOrderField {
    /// The instrument's name.
    Name,
    /// When it was registered.
    CreatedAt,
}

/// How to sort `instruments`; without `orderBy` they are by name (NAME, ASC).
#[derive(InputObject)]
pub struct InstrumentOrder {
    /// What to sort by.
    pub field: InstrumentOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

/// Orderings of `bookings`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum BookingOrderField {
    /// When the booked time starts.
    Start,
    /// When the booking was requested.
    CreatedAt,
}

/// How to sort `bookings`; without `orderBy` they are by start, earliest
/// first (START, ASC).
#[derive(InputObject)]
pub struct BookingOrder {
    /// What to sort by.
    pub field: BookingOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct InstrumentsQuery;

#[Object]
impl InstrumentsQuery {
    /// One instrument: any for signed-in users; for anonymous visitors a
    /// public one (UNAUTHENTICATED for any other id).
    async fn instrument(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<InstrumentObject>> {
        let id = decode("id", Kind::Instrument, &id)?;
        Ok(Some(InstrumentObject(
            service::readable(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// The instruments of the testing centers: all of them for signed-in
    /// users, the public ones for anonymous visitors (the public
    /// catalogue); by name unless `orderBy` says otherwise.
    #[allow(clippy::too_many_arguments)]
    async fn instruments(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
        #[graphql(
            desc = "Only the items matching every condition given (all visible items when omitted)."
        )]
        filter: Option<InstrumentFilterInput>,
        #[graphql(desc = "The order of the list (its default is named on the ordering input).")]
        order_by: Option<InstrumentOrder>,
    ) -> Result<Conn<InstrumentObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or(InstrumentOrder {
            field: InstrumentOrderField::Name,
            direction: OrderDirection::Asc,
        });
        let tag = &order_tag("instruments", order.field, order.direction);
        let sort = match order.field {
            InstrumentOrderField::Name => InstrumentSort::Name,
            InstrumentOrderField::CreatedAt => InstrumentSort::CreatedAt,
        };
        let descending = order.direction == OrderDirection::Desc;
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let org = id_of(
            "filter.organizationId",
            Kind::Organization,
            filter.organization_id,
        )?;
        let query = service::InstrumentQuery {
            organization_id: org,
            center_id: id_of("filter.centerId", Kind::Center, filter.center_id)?,
            category: filter.category,
            statuses: all(filter.status),
            search: filter.search,
        };
        let page =
            service::list(ctx.app(), ctx.identity(), query, (sort, descending), args).await?;
        Ok(connection(tag, page, InstrumentObject))
    }

    /// Bookings the caller may see: their own, their organisations', those of
    /// the instruments they run (coordinators: their scope's; admins: all); by start
    /// unless `orderBy` says otherwise.
    #[allow(clippy::too_many_arguments)]
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
        #[graphql(
            desc = "Only the items matching every condition given (all visible items when omitted)."
        )]
        filter: Option<BookingFilterInput>,
        #[graphql(desc = "The order of the list (its default is named on the ordering input).")]
        order_by: Option<BookingOrder>,
    ) -> Result<Conn<BookingObject>> {
        let caller = ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or(BookingOrder {
            field: BookingOrderField::Start,
            direction: OrderDirection::Asc,
        });
        let tag = &order_tag("bookings", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let query = BookingQuery {
            instrument_id: id_of(
                "filter.instrumentId",
                Kind::Instrument,
                filter.instrument_id,
            )?,
            mine: filter.mine,
            statuses: all(filter.status),
            from: filter.from.map(|t| t.with_timezone(&Utc)),
            to: filter.to.map(|t| t.with_timezone(&Utc)),
            sort: match order.field {
                BookingOrderField::Start => BookingSort::Start,
                BookingOrderField::CreatedAt => BookingSort::CreatedAt,
            },
            descending: order.direction == OrderDirection::Desc,
        };
        let page = service::bookings(ctx.app(), caller, query, args).await?;
        Ok(connection(tag, page, BookingObject))
    }

    /// The signed-in user's calendar feeds that are not revoked, oldest
    /// first (at most 20).
    async fn calendar_feeds(&self, ctx: &Context<'_>) -> Result<Vec<CalendarFeedObject>> {
        let caller = ctx.caller()?;
        Ok(iurhub_app::calendar_feeds::list(ctx.app(), caller)
            .await?
            .into_iter()
            .map(CalendarFeedObject)
            .collect())
    }

    /// The signed-in user's places on waiting lists that are still active
    /// (waiting, or holding an offer), by start (at most 20).
    async fn waitlist_entries(&self, ctx: &Context<'_>) -> Result<Vec<WaitlistEntryObject>> {
        let caller = ctx.caller()?;
        Ok(iurhub_app::waitlist::entries(ctx.app(), caller)
            .await?
            .into_iter()
            .map(WaitlistEntryObject)
            .collect())
    }

    /// One booking the caller may see.
    async fn booking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<BookingObject>> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Booking, &id)?;
        Ok(Some(BookingObject(
            service::visible_booking(ctx.app(), caller, id).await?,
        )))
    }

    /// Usage over `[from, to)`: for platform staff and supervisors every
    /// instrument, for organisation admins their organisations' instruments.
    async fn usage_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the period (inclusive).")] from: DateTime,
        #[graphql(desc = "End of the period (exclusive).")] to: DateTime,
    ) -> Result<UsageStats> {
        let caller = ctx.caller()?;
        let (from, to) = (from.with_timezone(&Utc), to.with_timezone(&Utc));
        let report = service::usage_report(ctx.app(), caller, from, to).await?;
        Ok(UsageStats {
            from: from.into(),
            to: to.into(),
            center: Usage::of(report.center, None),
            instruments: report
                .instruments
                .into_iter()
                .map(|(i, u)| Usage::of(u, Some(i)))
                .collect(),
        })
    }
}
