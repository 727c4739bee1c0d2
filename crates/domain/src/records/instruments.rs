//! The shared testing center: instruments, maintenance windows,
//! qualifications and bookings.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{BookingStatus, InstrumentStatus, WaitlistStatus};

/// An instrument of the testing center.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    pub id: i64,
    /// The organisation running it (its ORG_ADMINs are the staff); the
    /// owners and their shares are listed apart.
    pub organization_id: i64,
    /// The testing center it belongs to.
    pub center_id: i64,
    pub name: String,
    pub model: String,
    pub category: String,
    pub location: String,
    /// Price per hour of the INTERNAL tier (the owners and below them), in
    /// fen ([`crate::billing::tier_for`] chooses the tier).
    pub rate_internal_cents: i64,
    /// Price per hour of the GROUP tier (the owners' legal entities, the
    /// center's co-builders).
    pub rate_group_cents: i64,
    /// Price per hour of the EXTERNAL tier (everybody else).
    pub rate_external_cents: i64,
    pub requires_qualification: bool,
    pub status: InstrumentStatus,
    pub description: String,
    /// What it cost, in fen; `None` when not recorded.
    pub original_value_cents: Option<i64>,
    pub purchase_date: Option<NaiveDate>,
    /// The asset or national registration number ("" when none).
    pub registration_number: String,
    /// Shown in the public catalogue (to anonymous visitors).
    pub public: bool,
    /// Bumped by every edit (optimistic concurrency).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an instrument is (create and update).
#[derive(Debug, Clone)]
pub struct InstrumentFields {
    pub name: String,
    pub model: String,
    pub category: String,
    pub location: String,
    pub rate_internal_cents: i64,
    pub rate_group_cents: i64,
    pub rate_external_cents: i64,
    pub requires_qualification: bool,
    pub description: String,
    pub original_value_cents: Option<i64>,
    pub purchase_date: Option<NaiveDate>,
    pub registration_number: String,
    pub public: bool,
}

/// A time the instrument cannot be booked.
#[derive(Debug, Clone, PartialEq)]
pub struct Maintenance {
    pub id: i64,
    pub instrument_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub reason: String,
}

/// Orderings of the instrument list (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InstrumentSort {
    #[default]
    Name,
    CreatedAt,
}

/// Orderings of the booking list (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BookingSort {
    /// When the booked time starts.
    #[default]
    Start,
    /// When the booking was requested.
    CreatedAt,
}

/// A user's secret calendar feed: a URL calendar apps fetch without a
/// bearer header. Only a digest of its secret is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarFeed {
    pub id: i64,
    /// Whose feed it is: it shows what this user may see, checked at each fetch.
    pub user_id: i64,
    /// The instrument whose calendar it is; `None` for the user's own bookings.
    pub instrument_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A user's qualification for an instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    pub id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    pub granted_by: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Qualification {
    /// Granted, not revoked and not expired at `at`.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > at)
    }
}

/// A booking: the half-open range `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    /// The organisation the booking is for (internal or external rate).
    pub organization_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub purpose: String,
    pub status: BookingStatus,
    pub actual_start: Option<DateTime<Utc>>,
    pub actual_end: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The framework agreement the booking is filed under, if any.
    pub agreement_id: Option<i64>,
    /// The service order the center's staff booked this time under (for
    /// the order's client organisation), if any: order time, not an
    /// ordinary booking.
    pub service_order_id: Option<i64>,
}

/// A booking request.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub instrument_id: i64,
    pub user_id: i64,
    pub organization_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub purpose: String,
    /// The framework agreement it is filed under.
    pub agreement_id: Option<i64>,
}

/// Filters of the booking list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub instrument_id: Option<i64>,
    pub user_id: Option<i64>,
    pub statuses: Vec<BookingStatus>,
    /// Bookings ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// What the reader may see: `None` everything; otherwise bookings of
    /// these instruments (staff), by this user, or for these organisations.
    pub visible: Option<BookingVisibility>,
}

/// The bookings a reader who is not a coordinator may list.
#[derive(Debug, Clone, Default)]
pub struct BookingVisibility {
    pub user_id: i64,
    pub organization_ids: Vec<i64>,
    pub instrument_owner_ids: Vec<i64>,
}

/// A booker's rating of a completed booking (one per booking).
#[derive(Debug, Clone, PartialEq)]
pub struct BookingRating {
    pub id: i64,
    pub booking_id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    /// 1–5.
    pub score: i32,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// The ratings of an instrument in figures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RatingSummary {
    pub count: u64,
    /// The mean score; `None` without ratings.
    pub average: Option<f64>,
}

/// A user's place on an instrument's waiting list for `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitlistEntry {
    pub id: i64,
    pub instrument_id: i64,
    pub user_id: i64,
    /// The organisation the booking would be for.
    pub organization_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub purpose: String,
    pub status: WaitlistStatus,
    /// When the window came free and was offered to the user.
    pub offered_at: Option<DateTime<Utc>>,
    /// Until when the offer holds the window for the user.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// The booking the user made from the offer.
    pub booking_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WaitlistEntry {
    /// An offer that still holds the window at `now`.
    pub fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.status == WaitlistStatus::Offered && self.offer_expires_at.is_some_and(|e| e > now)
    }
}

/// A new place on a waiting list.
#[derive(Debug, Clone)]
pub struct NewWaitlistEntry {
    pub instrument_id: i64,
    pub user_id: i64,
    pub organization_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub purpose: String,
}
