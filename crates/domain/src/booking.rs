//! The rules of instrument bookings and the usage figures of the testing
//! center, as pure functions: the application checks a request with them
//! before the database (which has the last word on overlaps).

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::error::DomainError;
use crate::messages::Message;
use crate::records::instruments::{Booking, Instrument, WaitlistEntry};
use crate::{BookingStatus, PriceTier};

/// Booking limits (from the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub min_minutes: i64,
    pub max_hours: i64,
    pub horizon_days: i64,
    /// How long a freed window offered to the next user of a waiting list
    /// is held for them before it passes on, in seconds.
    pub offer_hold_secs: i64,
}

impl BookingRules {
    /// Whether `[start, end)` may be requested at `now`: whole minutes, end
    /// after start, at least the minimum and at most the maximum length, not
    /// in the past and within the horizon.
    pub fn check_slot(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        whole_minute("start", start)?;
        whole_minute("end", end)?;
        if end <= start {
            return Err(DomainError::keyed(
                "end",
                Message::new("booking.end.before_start"),
            ));
        }
        let length = end - start;
        if length < Duration::minutes(self.min_minutes) {
            return Err(DomainError::keyed(
                "end",
                Message::new("booking.too_short").with("min", self.min_minutes),
            ));
        }
        if length > Duration::hours(self.max_hours) {
            return Err(DomainError::keyed(
                "end",
                Message::new("booking.too_long").with("max", self.max_hours),
            ));
        }
        if start < now {
            return Err(DomainError::keyed(
                "start",
                Message::new("booking.start.past"),
            ));
        }
        if start > now + Duration::days(self.horizon_days) {
            return Err(DomainError::keyed(
                "start",
                Message::new("booking.start.beyond_horizon").with("days", self.horizon_days),
            ));
        }
        Ok(())
    }
}

impl Default for BookingRules {
    /// 30 minutes to 24 hours, at most 90 days ahead; a waiting list's
    /// offer held for 2 hours.
    fn default() -> Self {
        BookingRules {
            min_minutes: 30,
            max_hours: 24,
            horizon_days: 90,
            offer_hold_secs: 2 * 3600,
        }
    }
}

/// A half-open time range `[start, end)`.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Most weeks a recurring booking spans (its first occurrence included).
pub const MAX_RECURRING_WEEKS: u32 = 12;

/// The occurrences of a weekly booking of `[start, end)` over `weeks`
/// weeks (2 to [`MAX_RECURRING_WEEKS`]), each a week after the one before.
pub fn weekly(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    weeks: u32,
) -> Result<Vec<Span>, DomainError> {
    if !(2..=MAX_RECURRING_WEEKS).contains(&weeks) {
        return Err(DomainError::keyed(
            "weeks",
            Message::new("booking.recurring.weeks").with("max", MAX_RECURRING_WEEKS),
        ));
    }
    Ok((0..i64::from(weeks))
        .map(|k| (start + Duration::weeks(k), end + Duration::weeks(k)))
        .collect())
}

/// The error about the `n`-th occurrence (from 1) of a recurring booking:
/// the occurrence and its start named before the reason.
pub fn occurrence_error(n: usize, start: DateTime<Utc>, reason: &Message) -> Message {
    Message::new("booking.recurring.occurrence")
        .with("occurrence", n)
        .with("start", start.to_rfc3339())
        .with("reason", reason.render(crate::Locale::En))
}

/// Longest comment of a rating, in characters.
pub const RATING_COMMENT_MAX: usize = 2_000;

/// A rating's score (1–5) and its comment (trimmed, may be empty).
pub fn check_rating(score: i32, comment: &str) -> Result<(i32, String), DomainError> {
    if !(1..=5).contains(&score) {
        return Err(DomainError::keyed(
            "score",
            Message::new("rating.score.range"),
        ));
    }
    let comment = crate::validate::text("comment", comment, 0, RATING_COMMENT_MAX)?;
    Ok((score, comment))
}

/// Whether a booking may be rated by `user_id`: by its booker (`Err`
/// `"rating.not_booker"`), once it is COMPLETED (`Err`
/// `"rating.not_completed"`). The key of the refusal.
pub fn rating_refusal(booking: &Booking, user_id: i64) -> Option<&'static str> {
    if booking.user_id != user_id {
        Some("rating.not_booker")
    } else if booking.status != BookingStatus::Completed {
        Some("rating.not_completed")
    } else {
        None
    }
}

/// Which waiting entries to offer a window to, first come first served:
/// each WAITING entry (in list order) whose window starts after `now` and
/// overlaps neither a busy range (active bookings, maintenance, offers
/// still held) nor a window offered before it in this pass.
pub fn offers(
    waiting: &[WaitlistEntry],
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Vec<i64> {
    let mut taken: Vec<(DateTime<Utc>, DateTime<Utc>)> = busy.to_vec();
    let mut chosen = Vec::new();
    for e in waiting {
        if e.status != crate::WaitlistStatus::Waiting || e.start <= now {
            continue;
        }
        if taken.iter().all(|&(s, t)| !(e.start < t && s < e.end)) {
            taken.push((e.start, e.end));
            chosen.push(e.id);
        }
    }
    chosen
}

/// Times of a booking are whole minutes.
fn whole_minute(field: &str, t: DateTime<Utc>) -> Result<(), DomainError> {
    if t.second() != 0 || t.nanosecond() != 0 {
        return Err(DomainError::keyed(
            field,
            Message::new("booking.time.not_whole_minute"),
        ));
    }
    Ok(())
}

/// The gaps of `[from, to)` between sorted busy ranges (which may overlap).
pub fn free_slots(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut free = Vec::new();
    let mut cursor = from;
    for &(s, e) in busy {
        if s > cursor {
            free.push((cursor, s.min(to)));
        }
        cursor = cursor.max(e);
        if cursor >= to {
            break;
        }
    }
    if cursor < to {
        free.push((cursor, to));
    }
    free.retain(|(s, e)| s < e);
    free
}

/// Usage of one instrument over a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// Hours of APPROVED and COMPLETED bookings in the period.
    pub booked_hours: f64,
    /// Hours actually used (COMPLETED bookings, actual times).
    pub effective_hours: f64,
    /// Effective hours of bookings for other legal entities than the
    /// owners' (`LegalEntities::is_external`).
    pub external_hours: f64,
    /// External / effective hours; `None` without use.
    pub sharing_rate: Option<f64>,
    /// APPROVED bookings that ended in the period and were never completed.
    pub no_shows: u32,
    /// Effective hours at each client's tier price, in fen (each booking
    /// rounded to the fen, then summed).
    pub revenue_cents: i64,
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>, period: (DateTime<Utc>, DateTime<Utc>)) -> f64 {
    let start = from.max(period.0);
    let end = to.min(period.1);
    if end <= start {
        0.0
    } else {
        (end - start).num_seconds() as f64 / 3600.0
    }
}

/// The seconds a COMPLETED booking was used within the period (its actual
/// times, else its booked ones); `None` for other bookings.
pub fn seconds_used(b: &Booking, period: (DateTime<Utc>, DateTime<Utc>)) -> Option<i64> {
    (b.status == BookingStatus::Completed).then(|| {
        let start = b.actual_start.unwrap_or(b.start).max(period.0);
        let end = b.actual_end.unwrap_or(b.end).min(period.1);
        (end - start).num_seconds().max(0)
    })
}

/// The hours a COMPLETED booking was used within the period (its actual
/// times, else its booked ones); `None` for other bookings.
pub fn hours_used(b: &Booking, period: (DateTime<Utc>, DateTime<Utc>)) -> Option<f64> {
    seconds_used(b, period).map(|s| s as f64 / 3600.0)
}

/// The hourly price of an instrument, in fen, for a client of `tier`
/// ([`crate::billing::tier_for`]): bookings, quotes, usage revenue and
/// invoices alike.
pub fn price_for(instrument: &Instrument, tier: PriceTier) -> i64 {
    crate::billing::instrument_prices(instrument).of(tier)
}

/// The figures of one instrument from its bookings overlapping the period;
/// `external` says whether a booking's organisation is external to the
/// instrument (its legal entity is none of the owners'), `tier` which
/// price it pays (the revenue: each booking's time in the period at its
/// tier's price, rounded by [`crate::billing::hourly_amount`]).
pub fn usage(
    found: &Instrument,
    external: &impl Fn(i64) -> bool,
    tier: &impl Fn(i64) -> PriceTier,
    bookings: &[Booking],
    period: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Usage {
    let mut u = Usage::default();
    for b in bookings.iter().filter(|b| b.instrument_id == found.id) {
        match b.status {
            BookingStatus::Approved | BookingStatus::Completed => {
                u.booked_hours += hours(b.start, b.end, period);
            }
            _ => continue,
        }
        if b.status == BookingStatus::Approved
            && b.end <= now
            && b.end > period.0
            && b.end <= period.1
        {
            u.no_shows += 1;
        }
        if let Some(seconds) = seconds_used(b, period) {
            let h = seconds as f64 / 3600.0;
            u.effective_hours += h;
            if external(b.organization_id) {
                u.external_hours += h;
            }
            u.revenue_cents +=
                crate::billing::hourly_amount(price_for(found, tier(b.organization_id)), seconds);
        }
    }
    u.sharing_rate = (u.effective_hours > 0.0).then(|| u.external_hours / u.effective_hours);
    u
}

impl Usage {
    /// The sum of several instruments' usage, with the sharing rate of the
    /// sum.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Usage>) -> Usage {
        let mut sum = Usage::default();
        for u in all {
            sum.booked_hours += u.booked_hours;
            sum.effective_hours += u.effective_hours;
            sum.external_hours += u.external_hours;
            sum.no_shows += u.no_shows;
            sum.revenue_cents += u.revenue_cents;
        }
        sum.sharing_rate =
            (sum.effective_hours > 0.0).then(|| sum.external_hours / sum.effective_hours);
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    fn entry(id: i64, from: u32, to: u32, status: crate::WaitlistStatus) -> WaitlistEntry {
        WaitlistEntry {
            id,
            instrument_id: 1,
            user_id: id,
            organization_id: 10,
            start: t(from),
            end: t(to),
            purpose: "test".into(),
            status,
            offered_at: None,
            offer_expires_at: None,
            booking_id: None,
            created_at: t(0),
            updated_at: t(0),
        }
    }

    #[test]
    fn a_freed_window_goes_to_the_first_in_line_whose_window_is_free() {
        use crate::WaitlistStatus::{Offered, Waiting};
        let waiting = [
            entry(1, 9, 11, Waiting),
            entry(2, 10, 12, Waiting),
            entry(3, 13, 14, Waiting),
            entry(4, 15, 16, Waiting),
            entry(5, 16, 17, Offered),
            entry(6, 7, 8, Waiting),
        ];
        // 15–16 is booked; 7–8 started already (now is 8).
        let busy = [(t(15), t(16))];
        assert_eq!(offers(&waiting, &busy, t(8)), vec![1, 3]);
        // Nothing busy at all: the second overlaps the first's offer.
        assert_eq!(offers(&waiting, &[], t(8)), vec![1, 3, 4]);
        assert_eq!(offers(&[], &busy, t(8)), Vec::<i64>::new());
    }

    #[test]
    fn a_weekly_booking_has_two_to_twelve_occurrences_a_week_apart() {
        let w = weekly(t(9), t(10), 3).unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(
            w[2],
            (t(9) + Duration::weeks(2), t(10) + Duration::weeks(2))
        );
        assert_eq!(fields_of(weekly(t(9), t(10), 1).unwrap_err())[0].0, "weeks");
        assert!(weekly(t(9), t(10), MAX_RECURRING_WEEKS).is_ok());
        assert!(weekly(t(9), t(10), MAX_RECURRING_WEEKS + 1).is_err());
    }

    #[test]
    fn a_rating_is_one_to_five_by_the_booker_of_a_completed_booking() {
        assert_eq!(check_rating(5, "  good  ").unwrap(), (5, "good".to_owned()));
        assert_eq!(check_rating(1, "").unwrap().0, 1);
        assert_eq!(fields_of(check_rating(0, "").unwrap_err())[0].0, "score");
        assert_eq!(fields_of(check_rating(6, "").unwrap_err())[0].0, "score");
        let long = "x".repeat(RATING_COMMENT_MAX + 1);
        assert_eq!(
            fields_of(check_rating(3, &long).unwrap_err())[0].0,
            "comment"
        );
        let done = booking(1, 10, BookingStatus::Completed, 8, 10);
        assert_eq!(rating_refusal(&done, 1), None);
        assert_eq!(rating_refusal(&done, 2), Some("rating.not_booker"));
        let approved = booking(1, 10, BookingStatus::Approved, 8, 10);
        assert_eq!(rating_refusal(&approved, 1), Some("rating.not_completed"));
    }

    #[test]
    fn free_slots_between_overlapping_busy_ranges() {
        let busy = [(t(9), t(11)), (t(10), t(12)), (t(14), t(15))];
        assert_eq!(
            free_slots(t(8), t(18), &busy),
            vec![(t(8), t(9)), (t(12), t(14)), (t(15), t(18))]
        );
        assert_eq!(free_slots(t(9), t(12), &busy), vec![]);
        assert_eq!(free_slots(t(8), t(9), &[]), vec![(t(8), t(9))]);
    }

    fn fields_of(err: DomainError) -> Vec<(String, String)> {
        match err {
            DomainError::Validation(f) => f.into_iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn a_slot_is_whole_minutes_within_the_limits_and_the_horizon() {
        let rules = BookingRules::default();
        let now = t(8);
        assert!(rules.check_slot(t(9), t(10), now).is_ok());
        let odd = t(9) + Duration::seconds(30);
        assert_eq!(
            fields_of(rules.check_slot(odd, t(10), now).unwrap_err())[0].0,
            "start"
        );
        assert_eq!(
            fields_of(rules.check_slot(t(10), t(9), now).unwrap_err())[0].0,
            "end"
        );
        let short = t(9) + Duration::minutes(29);
        assert!(
            fields_of(rules.check_slot(t(9), short, now).unwrap_err())[0]
                .1
                .contains("at least 30")
        );
        let long = t(9) + Duration::hours(25);
        assert!(
            fields_of(rules.check_slot(t(9), long, now).unwrap_err())[0]
                .1
                .contains("at most 24")
        );
        assert!(
            fields_of(rules.check_slot(t(7), t(9), now).unwrap_err())[0]
                .1
                .contains("past")
        );
        let far = now + Duration::days(91);
        assert!(
            fields_of(
                rules
                    .check_slot(far, far + Duration::hours(1), now)
                    .unwrap_err()
            )[0]
            .1
            .contains("90 days")
        );
    }

    fn instrument() -> Instrument {
        Instrument {
            id: 1,
            organization_id: 10,
            name: "SEM".into(),
            model: String::new(),
            category: "SEM".into(),
            location: String::new(),
            rate_internal_cents: 100,
            rate_group_cents: 100,
            rate_external_cents: 300,
            requires_qualification: false,
            status: crate::InstrumentStatus::Available,
            description: String::new(),
            center_id: 1,
            original_value_cents: None,
            purchase_date: None,
            registration_number: String::new(),
            public: false,
            version: 1,
            created_at: t(0),
            updated_at: t(0),
        }
    }

    fn booking(id: i64, org: i64, status: BookingStatus, from: u32, to: u32) -> Booking {
        Booking {
            id,
            instrument_id: 1,
            user_id: 1,
            organization_id: org,
            start: t(from),
            end: t(to),
            purpose: "test".into(),
            status,
            actual_start: None,
            actual_end: None,
            reject_reason: None,
            created_at: t(0),
            updated_at: t(0),
            agreement_id: None,
            service_order_id: None,
        }
    }

    #[test]
    fn usage_counts_booked_effective_external_hours_no_shows_and_revenue() {
        let bookings = [
            booking(1, 10, BookingStatus::Completed, 8, 10),
            booking(2, 20, BookingStatus::Completed, 10, 12),
            booking(3, 20, BookingStatus::Approved, 12, 13),
            booking(4, 20, BookingStatus::Rejected, 13, 14),
        ];
        let u = usage(
            &instrument(),
            &|org| org != 10,
            &|org| {
                if org == 10 {
                    PriceTier::Internal
                } else {
                    PriceTier::External
                }
            },
            &bookings,
            (t(9), t(20)),
            t(18),
        );
        assert_eq!(u.booked_hours, 1.0 + 2.0 + 1.0);
        assert_eq!(u.effective_hours, 3.0);
        assert_eq!(u.external_hours, 2.0);
        assert_eq!(u.no_shows, 1);
        assert_eq!(u.revenue_cents, 100 + 2 * 300);
        assert_eq!(u.sharing_rate, Some(2.0 / 3.0));
        let sum = Usage::total([&u, &u]);
        assert_eq!(sum.effective_hours, 6.0);
        assert_eq!(sum.sharing_rate, Some(2.0 / 3.0));
        assert_eq!(Usage::total([]).sharing_rate, None);
    }
}
