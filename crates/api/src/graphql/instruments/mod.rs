//! The shared testing center in the schema: instruments, availability,
//! qualifications, bookings and usage statistics. The object types are in
//! `objects`, the mutations in `mutation`.

mod mutation;
mod objects;

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, FixedOffset, Utc};
use iurhub_store::instruments::{BookingFilter, BookingVisibility, Instrument};

use super::context::ContextExt;
use super::enums::{BookingStatus, InstrumentStatus};
use super::ids::{Kind, decode};
use super::paging::{Conn, PageInput, connection};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::instruments as service;

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
