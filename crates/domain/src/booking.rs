//! The rules of instrument bookings and the usage figures of the testing
//! center, as pure functions: the application checks a request with them
//! before the database (which has the last word on overlaps).

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::BookingStatus;
use crate::error::DomainError;
use crate::messages::Message;
use crate::records::instruments::{Booking, Instrument};

/// Booking limits (from the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub min_minutes: i64,
    pub max_hours: i64,
    pub horizon_days: i64,
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
    /// 30 minutes to 24 hours, at most 90 days ahead.
    fn default() -> Self {
        BookingRules {
            min_minutes: 30,
            max_hours: 24,
            horizon_days: 90,
        }
    }
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
    /// Effective hours at the internal or external rate, in cents.
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

/// The hours a COMPLETED booking was used within the period (its actual
/// times, else its booked ones); `None` for other bookings.
pub fn hours_used(b: &Booking, period: (DateTime<Utc>, DateTime<Utc>)) -> Option<f64> {
    (b.status == BookingStatus::Completed).then(|| {
        hours(
            b.actual_start.unwrap_or(b.start),
            b.actual_end.unwrap_or(b.end),
            period,
        )
    })
}

/// The figures of one instrument from its bookings overlapping the period;
/// `external` says whether a booking's organisation is external to the
/// instrument (the external rate applies).
pub fn usage(
    found: &Instrument,
    external: &impl Fn(i64) -> bool,
    bookings: &[Booking],
    period: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Usage {
    let mut u = Usage::default();
    let mut revenue = 0.0;
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
        if let Some(h) = hours_used(b, period) {
            u.effective_hours += h;
            let external = external(b.organization_id);
            if external {
                u.external_hours += h;
            }
            let rate = if external {
                found.rate_external_cents
            } else {
                found.rate_internal_cents
            };
            revenue += h * rate as f64;
        }
    }
    u.sharing_rate = (u.effective_hours > 0.0).then(|| u.external_hours / u.effective_hours);
    u.revenue_cents = revenue.round() as i64;
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
