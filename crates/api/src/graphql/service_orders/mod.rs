//! Testing service orders in the schema: the order with its quote,
//! history, instrument time, report and rating, the lists, and the
//! mutations of its life cycle (`mutation`: request to decision;
//! `running`: start, book time, complete, rate).

mod mutation;
mod running;

use async_graphql::{Context, ID, InputObject, Object};
use iurhub_domain::records::service_orders::{
    ItemLine, QuoteLine, ServiceOrder, ServiceOrderEvent, ServiceOrderRating, ServiceOrderReport,
};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::centers::CenterObject;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::ServiceOrderStatus;
use crate::graphql::ids::{Kind, decode, encode};
use crate::graphql::inputs::all;
use crate::graphql::instruments::{BookingObject, InstrumentObject};
use crate::graphql::loaders::{CenterId, OrganizationId, UserId};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::scalars::{DateTime, Money};
use crate::graphql::threads::ThreadObject;
use iurhub_app::service_orders as service;
use iurhub_domain::records::threads::ThreadSubject;

pub use mutation::ServiceOrdersMutation;
pub use running::ServiceOrderRunMutation;

/// A testing service order (检测委托): a client organisation's request for
/// tests at a testing center, its quote and its history.
pub struct ServiceOrderObject(pub ServiceOrder);

async fn organization(ctx: &Context<'_>, id: i64) -> Result<OrganizationObject> {
    load_one(ctx, OrganizationId(id))
        .await?
        .map(OrganizationObject)
        .ok_or_else(|| ApiError::not_found("organization"))
}

/// A testing service order (检测委托): a client organisation's request for
/// tests at a testing center, its quote and its history. Seen by the
/// client organisation, the center's staff and admins.
#[Object(name = "ServiceOrder")]
impl ServiceOrderObject {
    /// Its global id.
    async fn id(&self) -> ID {
        ID(encode(Kind::ServiceOrder, self.0.id))
    }
    /// The testing center asked for the tests; its instruments are quoted
    /// and booked under the order.
    async fn center(&self, ctx: &Context<'_>) -> Result<CenterObject> {
        load_one(ctx, CenterId(self.0.center_id))
            .await?
            .map(CenterObject)
            .ok_or_else(|| ApiError::not_found("center"))
    }
    /// The organisation running the center: its ORG_ADMINs (and those of
    /// the organisations above it) are the order's staff.
    async fn center_organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.center_organization_id).await
    }
    /// The client organisation (it pays).
    async fn client(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.client_organization_id).await
    }
    /// Who asked for the tests.
    async fn requested_by(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.requested_by))
            .await?
            .map(UserObject)
            .ok_or_else(|| ApiError::not_found("user"))
    }
    /// The samples sent (what, how many, condition).
    async fn samples(&self) -> &str {
        &self.0.samples
    }
    /// The tests asked for.
    async fn test_items(&self) -> &str {
        &self.0.test_items
    }
    /// The standards to test by (may be empty).
    async fn standards(&self) -> &str {
        &self.0.standards
    }
    /// When the client needs the results.
    async fn required_by(&self) -> DateTime {
        DateTime(self.0.required_by)
    }
    /// Where it is in its life cycle.
    async fn status(&self) -> ServiceOrderStatus {
        self.0.status.into()
    }
    /// The quote's lines of instrument time, each at the instrument's hourly
    /// price for the client's tier (empty before the quote).
    async fn quote_lines(&self, ctx: &Context<'_>) -> Result<Vec<QuoteLineObject>> {
        Ok(service::quote_of(ctx.app(), self.0.id)
            .await?
            .lines
            .into_iter()
            .map(QuoteLineObject)
            .collect())
    }
    /// The quote's test items from the center's price list, each at its
    /// unit price for the client's tier (empty before the quote, or when
    /// the quote is instrument time only).
    async fn quote_items(&self, ctx: &Context<'_>) -> Result<Vec<QuoteItemLineObject>> {
        Ok(service::quote_of(ctx.app(), self.0.id)
            .await?
            .items
            .into_iter()
            .map(QuoteItemLineObject)
            .collect())
    }
    /// The sum of the quote's lines and items; null before the quote.
    async fn quote_total(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let quote = service::quote_of(ctx.app(), self.0.id).await?;
        Ok((!quote.is_empty()).then(|| Money::fen(quote.total_cents())))
    }
    /// The order's fee: the sum of its quote's lines of instrument time and
    /// of test items, priced for the client's tier when quoted (zero before
    /// the quote). Instrument time booked under the order does not add to
    /// it; this is what the order's invoice line charges.
    async fn total(&self, ctx: &Context<'_>) -> Result<Money> {
        let quote = service::quote_of(ctx.app(), self.0.id).await?;
        Ok(Money::fen(quote.total_cents()))
    }
    /// The instrument time the center's staff booked under the order (for
    /// the client organisation), by start.
    async fn bookings(&self, ctx: &Context<'_>) -> Result<Vec<BookingObject>> {
        Ok(service::bookings(ctx.app(), self.0.id)
            .await?
            .into_iter()
            .map(BookingObject)
            .collect())
    }
    /// The test report the staff attached; null until then. Download it
    /// from `GET /api/v1/service-orders/{id}/report`.
    async fn report(&self, ctx: &Context<'_>) -> Result<Option<ServiceOrderReportObject>> {
        Ok(service::report(ctx.app(), self.0.id)
            .await?
            .map(ServiceOrderReportObject))
    }
    /// The conversation between the client side and the center's staff
    /// (made when first read or written; write with `postMessage(input:
    /// {subjectId: <this order's id>})`); each message tells the other
    /// side. Null for nobody who may see the order.
    async fn thread(&self, ctx: &Context<'_>) -> Result<Option<ThreadObject>> {
        crate::graphql::threads::thread_of(ctx, ThreadSubject::ServiceOrder(self.0.id)).await
    }
    /// The client side's rating of the completed order; null until rated.
    async fn rating(&self, ctx: &Context<'_>) -> Result<Option<ServiceOrderRatingObject>> {
        Ok(service::rating(ctx.app(), self.0.id)
            .await?
            .map(ServiceOrderRatingObject))
    }
    /// What the staff said with the quote.
    async fn quote_note(&self) -> Option<&str> {
        self.0.quote_note.as_deref()
    }
    /// When it was quoted.
    async fn quoted_at(&self) -> Option<DateTime> {
        self.0.quoted_at.map(DateTime)
    }
    /// Every move of the order, oldest first (the request first).
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ServiceOrderEventObject>> {
        Ok(service::history(ctx.app(), self.0.id)
            .await?
            .into_iter()
            .map(ServiceOrderEventObject)
            .collect())
    }
    /// Whether the signed-in user is the center's staff for this order (they
    /// quote, reject, start, book time, attach the report and complete).
    async fn viewer_is_staff(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| service::is_staff(c, &self.0))
    }
    /// When it was asked for.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// The report file of a service order.
pub struct ServiceOrderReportObject(pub ServiceOrderReport);

/// The test report of a service order: a file the center's staff upload
/// (`POST /api/v1/service-orders/{id}/report`), checked like a
/// conversation's attachment; the client side and the staff download it
/// (`GET /api/v1/service-orders/{id}/report`).
#[Object(name = "ServiceOrderReport")]
impl ServiceOrderReportObject {
    /// The file name, made safe.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The media type of the checked file type.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    /// Size in bytes.
    async fn size(&self) -> i64 {
        self.0.size
    }
    /// Who uploaded it.
    async fn uploaded_by(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.uploaded_by))
            .await?
            .map(UserObject)
            .ok_or_else(|| ApiError::not_found("user"))
    }
    /// When it was uploaded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Where to download it (REST, with the same bearer token).
    async fn download_path(&self) -> String {
        format!(
            "/api/v1/service-orders/{}/report",
            encode(Kind::ServiceOrder, self.0.order_id)
        )
    }
}

/// The client side's rating of a completed service order.
pub struct ServiceOrderRatingObject(pub ServiceOrderRating);

/// The client side's rating of a completed service order (1–5 and a
/// comment), given once.
#[Object(name = "ServiceOrderRating")]
impl ServiceOrderRatingObject {
    /// 1 (poor) to 5 (excellent).
    async fn score(&self) -> i32 {
        self.0.score
    }
    /// What the client said (may be empty).
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// Who rated.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or_else(|| ApiError::not_found("user"))
    }
    /// When it was given.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// One line of a quote.
pub struct QuoteLineObject(pub QuoteLine);

/// One line of a service order's quote: instrument time at the
/// instrument's hourly price of the client's tier (`PriceTier`: INTERNAL,
/// GROUP or EXTERNAL, by the legal-entity relation).
#[Object(name = "QuoteLine")]
impl QuoteLineObject {
    /// The instrument.
    async fn instrument(&self, ctx: &Context<'_>) -> Result<InstrumentObject> {
        Ok(InstrumentObject(
            iurhub_app::instruments::instrument(ctx.app(), self.0.instrument_id).await?,
        ))
    }
    /// Instrument time, in minutes.
    async fn minutes(&self) -> i64 {
        self.0.minutes
    }
    /// The hourly rate applied.
    async fn rate(&self) -> Money {
        Money::fen(self.0.rate_cents)
    }
    /// minutes × rate / 60, rounded half up to the fen.
    async fn amount(&self) -> Money {
        Money::fen(self.0.amount_cents)
    }
}

/// One test item line of a quote.
pub struct QuoteItemLineObject(pub ItemLine);

/// One line of a service order's quote charging a test item of the
/// center's price list: a quantity at the item's unit price of the
/// client's tier for the center's own work (INTERNAL within the
/// organisation running the center, GROUP within its legal entity or for a
/// co-builder, EXTERNAL otherwise), fixed when quoted. Its amount settles
/// to the organisation running the center.
#[Object(name = "QuoteItemLine")]
impl QuoteItemLineObject {
    /// The test item (`TestItem` of the center's price list; an item on a
    /// quote cannot be removed from the list).
    async fn test_item(
        &self,
        ctx: &Context<'_>,
    ) -> Result<crate::graphql::billing::TestItemObject> {
        Ok(crate::graphql::billing::TestItemObject(
            iurhub_app::billing::test_item(ctx.app(), self.0.test_item_id).await?,
        ))
    }
    /// How many units of the item (its `unit`: samples, points …).
    async fn quantity(&self) -> i64 {
        self.0.quantity
    }
    /// The client's tier the price was taken from.
    async fn tier(&self) -> crate::graphql::enums::PriceTier {
        self.0.tier.into()
    }
    /// The unit price applied.
    async fn unit_price(&self) -> Money {
        Money::fen(self.0.unit_price_cents)
    }
    /// quantity × unit price.
    async fn amount(&self) -> Money {
        Money::fen(self.0.amount_cents)
    }
}

/// One move of a service order.
pub struct ServiceOrderEventObject(pub ServiceOrderEvent);

/// One move of a service order (its history).
#[Object(name = "ServiceOrderEvent")]
impl ServiceOrderEventObject {
    /// The status before; null for the request itself.
    async fn from(&self) -> Option<ServiceOrderStatus> {
        self.0.from.map(Into::into)
    }
    /// The status after.
    async fn to(&self) -> ServiceOrderStatus {
        self.0.to.into()
    }
    /// Who moved it.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }
    /// What they said (may be empty).
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Filters of `serviceOrders`.
#[derive(InputObject, Default)]
pub struct ServiceOrderFilterInput {
    /// Only orders in one of these statuses.
    pub status: Option<Vec<ServiceOrderStatus>>,
}

#[derive(Default)]
pub struct ServiceOrdersQuery;

#[Object]
impl ServiceOrdersQuery {
    /// One service order the caller may see (the client organisation, the
    /// center's staff, admins).
    async fn service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<ServiceOrderObject>> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::ServiceOrder, &id)?;
        Ok(Some(ServiceOrderObject(
            service::visible(ctx.app(), caller, id).await?,
        )))
    }

    /// The service orders the caller may see — their organisations' and
    /// those of the centers they staff (admins: all) — newest first.
    async fn service_orders(
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
        filter: Option<ServiceOrderFilterInput>,
    ) -> Result<Conn<ServiceOrderObject>> {
        let caller = ctx.caller()?;
        let tag = "serviceOrders";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let statuses: Vec<iurhub_domain::ServiceOrderStatus> =
            all(filter.unwrap_or_default().status);
        let page = service::list(ctx.app(), caller, &statuses, args).await?;
        Ok(connection(tag, page, ServiceOrderObject))
    }
}
