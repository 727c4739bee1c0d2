//! The shared testing center in the schema: instruments, availability,
//! qualifications, bookings and usage statistics. The object types are in
//! `objects`, the mutations in `mutation`.

mod mutation;
mod objects;

use async_graphql::{Context, ID, InputObject, Object};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::all;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::DateTime;
use chrono::Utc;

use super::context::ContextExt;
use super::enums::{BookingStatus, InstrumentStatus};
use super::ids::{Kind, decode};
use super::paging::{Conn, PageInput, connection};
use iurhub_app::instruments::{self as service, BookingQuery};

pub use mutation::InstrumentsMutation;
pub use objects::{
    BookingObject, InstrumentObject, MaintenanceObject, QualificationObject, Usage, UsageStats,
};

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
    pub from: Option<DateTime>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime>,
}

#[derive(Default)]
pub struct InstrumentsQuery;

#[Object]
impl InstrumentsQuery {
    /// One instrument of the testing center (signed-in users).
    async fn instrument(&self, ctx: &Context<'_>, id: ID) -> Result<Option<InstrumentObject>> {
        ctx.caller()?;
        let id = decode("id", Kind::Instrument, &id)?;
        Ok(Some(InstrumentObject(
            service::instrument(ctx.app(), id).await?,
        )))
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
        let org = id_of(
            "filter.organizationId",
            Kind::Organization,
            filter.organization_id,
        )?;
        let statuses: Vec<iurhub_domain::InstrumentStatus> = all(filter.status);
        let page =
            service::list(ctx.app(), org, filter.category.as_deref(), &statuses, args).await?;
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
        };
        let page = service::bookings(ctx.app(), caller, query, args).await?;
        Ok(connection(tag, page, BookingObject))
    }

    /// One booking the caller may see.
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> Result<Option<BookingObject>> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Booking, &id)?;
        Ok(Some(BookingObject(
            service::visible_booking(ctx.app(), caller, id).await?,
        )))
    }

    /// Usage over `[from, to)`: for coordinators and admins every
    /// instrument, for organisation admins their organisations' instruments.
    async fn usage_stats(
        &self,
        ctx: &Context<'_>,
        from: DateTime,
        to: DateTime,
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
