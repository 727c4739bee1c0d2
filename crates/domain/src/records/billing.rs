//! Billing records: test items of a center's price list, the billing
//! account of a client organisation, invoices and their lines with the
//! owners' settlement shares. The rules are in [`crate::billing`].

use chrono::{DateTime, NaiveDate, Utc};

use crate::{InvoiceLineKind, InvoiceStatus, PriceTier};

/// A price per tier, in fen (an hourly price for an instrument, a unit
/// price for a test item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prices {
    pub internal_cents: i64,
    pub group_cents: i64,
    pub external_cents: i64,
}

impl Prices {
    /// The price of `tier`.
    pub fn of(&self, tier: PriceTier) -> i64 {
        match tier {
            PriceTier::Internal => self.internal_cents,
            PriceTier::Group => self.group_cents,
            PriceTier::External => self.external_cents,
        }
    }
}

/// A test item of a center's price list (检测项目): a code, a name in
/// Chinese and English, a unit and a price per tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TestItem {
    pub id: i64,
    pub center_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// What one price buys: "sample", "point", "item" …
    pub unit: String,
    pub prices: Prices,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a test item is (create and update).
#[derive(Debug, Clone, PartialEq)]
pub struct TestItemFields {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    pub prices: Prices,
}

/// The billing account of a client organisation: who to send invoices to
/// and what to print on them.
#[derive(Debug, Clone, PartialEq)]
pub struct BillingAccount {
    pub id: i64,
    pub organization_id: i64,
    pub fields: BillingAccountFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The editable part of a billing account (each may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillingAccountFields {
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// The invoice title (发票抬头).
    pub invoice_title: String,
    /// The taxpayer identification number (纳税人识别号).
    pub tax_number: String,
    pub address: String,
}

/// An invoice of a center to one client organisation for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    pub id: i64,
    pub center_id: i64,
    /// The client organisation (it pays).
    pub organization_id: i64,
    pub billing_account_id: i64,
    /// The first and last day billed, China Standard Time.
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub status: InvoiceStatus,
    /// The sum of its lines, in fen.
    pub total_cents: i64,
    pub issued_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One owner's part of an invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub organization_id: i64,
    /// The owner's share of the instrument when the line was billed.
    pub share_percent: i32,
    pub amount_cents: i64,
}

/// A line of an invoice, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvoiceLine {
    pub kind: InvoiceLineKind,
    /// The booking billed (kind BOOKING); billed at most once.
    pub booking_id: Option<i64>,
    /// The service order billed (kind SERVICE_ORDER); billed at most once.
    pub service_order_id: Option<i64>,
    pub instrument_id: Option<i64>,
    pub description: String,
    /// Instrument time billed, in seconds (time lines).
    pub seconds: Option<i64>,
    pub tier: PriceTier,
    /// The hourly or unit price applied, in fen.
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    /// The owners' parts, summing exactly to `amount_cents`.
    pub shares: Vec<Share>,
}

/// A stored invoice line.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceLine {
    pub id: i64,
    pub invoice_id: i64,
    pub line: NewInvoiceLine,
}

/// The invoice of one client, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvoice {
    pub center_id: i64,
    pub organization_id: i64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub lines: Vec<NewInvoiceLine>,
}
