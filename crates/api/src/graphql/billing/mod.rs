//! Billing in the schema: the test items of a center's price list, billing
//! accounts, invoices with their lines and the owners' settlement, and the
//! mutations (`mutation`).

mod mutation;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::billing as service;
use iurhub_domain::records::billing::{
    BillingAccount, Invoice, InvoiceLine, Prices, Share, TestItem,
};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::centers::CenterObject;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{InvoiceLineKind, InvoiceStatus, PriceTier};
use crate::graphql::ids::{Kind, decode, encode};
use crate::graphql::inputs::{all, id_of};
use crate::graphql::instruments::InstrumentObject;
use crate::graphql::loaders::{CenterId, InvoiceLines, OrganizationId};
use crate::graphql::organizations::OrganizationObject;
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::scalars::{Date, DateTime, Money};

pub use mutation::BillingMutation;

async fn center(ctx: &Context<'_>, id: i64) -> Result<CenterObject> {
    load_one(ctx, CenterId(id))
        .await?
        .map(CenterObject)
        .ok_or_else(|| ApiError::not_found("center"))
}

async fn lines_of(ctx: &Context<'_>, invoice_id: i64) -> Result<Vec<InvoiceLine>> {
    Ok(load_one(ctx, InvoiceLines(invoice_id))
        .await?
        .unwrap_or_default())
}

async fn organization(ctx: &Context<'_>, id: i64) -> Result<OrganizationObject> {
    load_one(ctx, OrganizationId(id))
        .await?
        .map(OrganizationObject)
        .ok_or_else(|| ApiError::not_found("organization"))
}

/// A price per tier.
#[derive(SimpleObject)]
#[graphql(name = "TierPrices")]
pub struct TierPrices {
    /// INTERNAL: the owners and the organisations below them.
    pub internal: Money,
    /// GROUP: the owners' legal entities, the organisations running or
    /// co-building the center (and below them).
    pub group: Money,
    /// EXTERNAL: everybody else.
    pub external: Money,
}

impl From<Prices> for TierPrices {
    fn from(p: Prices) -> Self {
        TierPrices {
            internal: Money::fen(p.internal_cents),
            group: Money::fen(p.group_cents),
            external: Money::fen(p.external_cents),
        }
    }
}

/// A test item of a center's price list.
pub struct TestItemObject(pub TestItem);

/// A test item (检测项目) of a testing center's price list: a code, a name
/// in Chinese and English, a unit and a price per tier. Read by signed-in
/// users; kept by the center's staff.
#[Object(name = "TestItem")]
impl TestItemObject {
    /// Its global id.
    async fn id(&self) -> ID {
        ID(encode(Kind::TestItem, self.0.id))
    }
    /// The center whose price list it is on.
    async fn center(&self, ctx: &Context<'_>) -> Result<CenterObject> {
        center(ctx, self.0.center_id).await
    }
    /// Its code, unique within the center (e.g. `HV-10`).
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Its Chinese name.
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    /// Its English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// What one price buys: "sample", "point" …
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// The unit price per tier.
    async fn prices(&self) -> TierPrices {
        self.0.prices.into()
    }
}

/// The billing account of a client organisation.
pub struct BillingAccountObject(pub BillingAccount);

/// The billing account of a client organisation (one each, created on first
/// use): who receives its invoices and what they carry. Seen by the
/// organisation's admins and the staff of the centers that invoiced it.
#[Object(name = "BillingAccount")]
impl BillingAccountObject {
    /// Its global id.
    async fn id(&self) -> ID {
        ID(encode(Kind::BillingAccount, self.0.id))
    }
    /// The client organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.organization_id).await
    }
    /// Who to contact about invoices (may be empty).
    async fn contact_name(&self) -> &str {
        &self.0.fields.contact_name
    }
    /// Where invoices go (may be empty).
    async fn contact_email(&self) -> &str {
        &self.0.fields.contact_email
    }
    /// The contact's phone (may be empty).
    async fn contact_phone(&self) -> &str {
        &self.0.fields.contact_phone
    }
    /// The invoice title (发票抬头; may be empty).
    async fn invoice_title(&self) -> &str {
        &self.0.fields.invoice_title
    }
    /// The taxpayer identification number (纳税人识别号; may be empty).
    async fn tax_number(&self) -> &str {
        &self.0.fields.tax_number
    }
    /// The postal address (may be empty).
    async fn address(&self) -> &str {
        &self.0.fields.address
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// One owner's part of an invoice line.
pub struct LineShareObject(pub Share);

/// One owner's part of an invoice line: the line's amount split by the
/// owners' shares of the instrument when it was billed, rounded by largest
/// remainder so the parts sum exactly to the line.
#[Object(name = "InvoiceLineShare")]
impl LineShareObject {
    /// The owning organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.organization_id).await
    }
    /// Its share of the instrument, in percent.
    async fn share_percent(&self) -> i32 {
        self.0.share_percent
    }
    /// Its part of the line.
    async fn amount(&self) -> Money {
        Money::fen(self.0.amount_cents)
    }
}

/// One owner's total of a settlement.
pub struct OwnerSettlementObject(pub (i64, i64));

/// One owning organisation's total of a settlement: the sum of its parts
/// of the lines.
#[Object(name = "OwnerSettlement")]
impl OwnerSettlementObject {
    /// The owning organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.0).await
    }
    /// Its total.
    async fn amount(&self) -> Money {
        Money::fen(self.0.1)
    }
}

fn owner_totals(totals: Vec<(i64, i64)>) -> Vec<OwnerSettlementObject> {
    totals.into_iter().map(OwnerSettlementObject).collect()
}

/// A line of an invoice.
pub struct InvoiceLineObject(pub InvoiceLine);

/// A line of an invoice: a completed booking (instrument time at the
/// client's tier price) or, later, a service order.
#[Object(name = "InvoiceLine")]
impl InvoiceLineObject {
    /// What it bills.
    async fn kind(&self) -> InvoiceLineKind {
        self.0.line.kind.into()
    }
    /// The booking billed (BOOKING lines).
    async fn booking_id(&self) -> Option<ID> {
        self.0
            .line
            .booking_id
            .map(|id| ID(encode(Kind::Booking, id)))
    }
    /// The service order billed (SERVICE_ORDER lines).
    async fn service_order_id(&self) -> Option<ID> {
        self.0
            .line
            .service_order_id
            .map(|id| ID(encode(Kind::ServiceOrder, id)))
    }
    /// The instrument used (time lines).
    async fn instrument(&self, ctx: &Context<'_>) -> Result<Option<InstrumentObject>> {
        let Some(id) = self.0.line.instrument_id else {
            return Ok(None);
        };
        Ok(Some(InstrumentObject(
            iurhub_app::instruments::instrument(ctx.app(), id).await?,
        )))
    }
    /// What was billed (the instrument's name).
    async fn description(&self) -> &str {
        &self.0.line.description
    }
    /// Instrument time billed, in hours (actual times, else booked ones).
    async fn hours(&self) -> Option<f64> {
        self.0.line.seconds.map(|s| s as f64 / 3600.0)
    }
    /// The client's price tier.
    async fn tier(&self) -> PriceTier {
        self.0.line.tier.into()
    }
    /// The hourly (or unit) price of that tier.
    async fn unit_price(&self) -> Money {
        Money::fen(self.0.line.unit_price_cents)
    }
    /// hours × unit price, rounded half up to the fen.
    async fn amount(&self) -> Money {
        Money::fen(self.0.line.amount_cents)
    }
    /// The owners' parts of the amount (they sum exactly to it).
    async fn shares(&self) -> Vec<LineShareObject> {
        self.0
            .line
            .shares
            .iter()
            .copied()
            .map(LineShareObject)
            .collect()
    }
}

/// An invoice of a testing center.
pub struct InvoiceObject(pub Invoice);

/// An invoice (账单) of a testing center to one client organisation for a
/// period: DRAFT → ISSUED → PAID, or VOID. Seen by the center's staff and
/// the client organisation's admins.
#[Object(name = "Invoice")]
impl InvoiceObject {
    /// Its global id.
    async fn id(&self) -> ID {
        ID(encode(Kind::Invoice, self.0.id))
    }
    /// The testing center billing.
    async fn center(&self, ctx: &Context<'_>) -> Result<CenterObject> {
        center(ctx, self.0.center_id).await
    }
    /// The client organisation (it pays).
    async fn client(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.organization_id).await
    }
    /// The client's billing account.
    async fn billing_account(&self, ctx: &Context<'_>) -> Result<Option<BillingAccountObject>> {
        let caller = ctx.caller()?;
        Ok(service::account(ctx.app(), caller, self.0.organization_id)
            .await?
            .map(BillingAccountObject))
    }
    /// The first day billed (China Standard Time).
    async fn period_start(&self) -> Date {
        Date(self.0.period_from)
    }
    /// The last day billed, inclusive.
    async fn period_end(&self) -> Date {
        Date(self.0.period_to)
    }
    /// Where it is in its life cycle.
    async fn status(&self) -> InvoiceStatus {
        self.0.status.into()
    }
    /// The sum of its lines.
    async fn total(&self) -> Money {
        Money::fen(self.0.total_cents)
    }
    /// Its lines, in order.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<InvoiceLineObject>> {
        Ok(lines_of(ctx, self.0.id)
            .await?
            .into_iter()
            .map(InvoiceLineObject)
            .collect())
    }
    /// Each owning organisation's total of the lines (by organisation).
    async fn settlement(&self, ctx: &Context<'_>) -> Result<Vec<OwnerSettlementObject>> {
        let lines = lines_of(ctx, self.0.id).await?;
        Ok(owner_totals(service::invoice_settlement(&lines)))
    }
    /// When it was issued to the client.
    async fn issued_at(&self) -> Option<DateTime> {
        self.0.issued_at.map(DateTime)
    }
    /// When it was marked paid.
    async fn paid_at(&self) -> Option<DateTime> {
        self.0.paid_at.map(DateTime)
    }
    /// When it was voided.
    async fn voided_at(&self) -> Option<DateTime> {
        self.0.voided_at.map(DateTime)
    }
    /// When it was drafted.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A center's settlement between its co-builders.
pub struct SettlementObject(pub service::Settlement);

/// The settlement of a testing center over some days: its invoices (not
/// VOID) whose period lies within them, and what each owning organisation
/// gets of their lines by its share of the instruments.
#[Object(name = "CenterSettlement")]
impl SettlementObject {
    /// The center.
    async fn center(&self) -> CenterObject {
        CenterObject(self.0.center.clone())
    }
    /// The first day.
    async fn from(&self) -> Date {
        Date(self.0.from)
    }
    /// The last day, inclusive.
    async fn to(&self) -> Date {
        Date(self.0.to)
    }
    /// The sum of the lines settled.
    async fn total(&self) -> Money {
        Money::fen(self.0.lines.iter().map(|l| l.line.amount_cents).sum())
    }
    /// Each owning organisation's total (by organisation).
    async fn owners(&self) -> Vec<OwnerSettlementObject> {
        owner_totals(self.0.totals.clone())
    }
    /// The invoices settled, oldest first.
    async fn invoices(&self) -> Vec<InvoiceObject> {
        self.0.invoices.iter().cloned().map(InvoiceObject).collect()
    }
}

/// Filters of `invoices`.
#[derive(InputObject, Default)]
pub struct InvoiceFilterInput {
    /// Only the invoices of this testing center.
    pub center_id: Option<ID>,
    /// Only the invoices of this client organisation.
    pub client_id: Option<ID>,
    /// Only invoices in one of these statuses.
    pub status: Option<Vec<InvoiceStatus>>,
}

#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    /// The test items of a testing center's price list, by code (signed-in
    /// users).
    async fn test_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The testing center.")] center_id: ID,
    ) -> Result<Vec<TestItemObject>> {
        ctx.caller()?;
        let center = decode("centerId", Kind::Center, &center_id)?;
        iurhub_app::centers::get(ctx.app(), center).await?;
        Ok(service::test_items(ctx.app(), center)
            .await?
            .into_iter()
            .map(TestItemObject)
            .collect())
    }

    /// The billing account of an organisation (null before its first use),
    /// for its admins and the staff of the centers that invoiced it.
    async fn billing_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client organisation.")] organization_id: ID,
    ) -> Result<Option<BillingAccountObject>> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &organization_id)?;
        Ok(service::account(ctx.app(), caller, org)
            .await?
            .map(BillingAccountObject))
    }

    /// One invoice the caller may see (the center's staff, the client
    /// organisation's admins).
    async fn invoice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<InvoiceObject>> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Invoice, &id)?;
        Ok(Some(InvoiceObject(
            service::invoice(ctx.app(), caller, id).await?,
        )))
    }

    /// The invoices the caller may see — of the centers they bill for and
    /// of the organisations they administer (admins: all) — newest first.
    async fn invoices(
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
        filter: Option<InvoiceFilterInput>,
    ) -> Result<Conn<InvoiceObject>> {
        let caller = ctx.caller()?;
        let tag = "invoices";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let filter = filter.unwrap_or_default();
        let filter = service::InvoiceFilter {
            center_id: id_of("filter.centerId", Kind::Center, filter.center_id)?,
            organization_id: id_of("filter.clientId", Kind::Organization, filter.client_id)?,
            statuses: all(filter.status),
        };
        let page = service::list(ctx.app(), caller, filter, args).await?;
        Ok(connection(tag, page, InvoiceObject))
    }

    /// The settlement of a testing center between the owners of its
    /// instruments over some days (its staff).
    async fn center_settlement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The testing center.")] center_id: ID,
        #[graphql(desc = "The first day (China Standard Time).")] from: Date,
        #[graphql(desc = "The last day, inclusive (at most 366 days after `from`).")] to: Date,
    ) -> Result<SettlementObject> {
        let caller = ctx.caller()?;
        let center = decode("centerId", Kind::Center, &center_id)?;
        Ok(SettlementObject(
            service::settlement(ctx.app(), caller, center, from.0, to.0).await?,
        ))
    }
}
