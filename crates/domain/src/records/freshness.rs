//! Listing freshness: a PUBLISHED need or capability that its owners have
//! not confirmed (nor edited, nor published) for `confirm_days` tells its
//! organisation, and [`GRACE_DAYS`] later — and at least [`GRACE_DAYS`]
//! after that warning — it leaves the public lists (a need is withdrawn, a
//! capability archived).

use chrono::{DateTime, TimeDelta, Utc};

/// How many days without confirmation warn, by default.
pub const DEFAULT_CONFIRM_DAYS: u32 = 180;

/// How many days after the warning an unconfirmed listing leaves the lists.
pub const GRACE_DAYS: i64 = 30;

/// Where a published listing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Confirmed within `confirm_days`.
    Fresh,
    /// Unconfirmed for `confirm_days`: its organisation is told.
    Unconfirmed,
    /// Unconfirmed for `confirm_days` + [`GRACE_DAYS`], and told at least
    /// [`GRACE_DAYS`] ago: it leaves the public lists.
    Lapsed,
}

/// The freshness of a listing confirmed at `confirmed_at`, its organisation
/// warned of it at `warned_at` (for that confirmation), at `now`.
pub fn freshness(
    confirmed_at: DateTime<Utc>,
    warned_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    confirm_days: u32,
) -> Freshness {
    let due = confirmed_at + TimeDelta::days(i64::from(confirm_days));
    let grace = TimeDelta::days(GRACE_DAYS);
    if now < due {
        Freshness::Fresh
    } else if now >= due + grace && warned_at.is_some_and(|w| now >= w + grace) {
        Freshness::Lapsed
    } else {
        Freshness::Unconfirmed
    }
}

/// The earliest confirmation that is not fresh at `now`: listings
/// confirmed at or before it are warned or lapse.
pub fn stale_before(now: DateTime<Utc>, confirm_days: u32) -> DateTime<Utc> {
    now - TimeDelta::days(i64::from(confirm_days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_warned_then_lapses_a_grace_period_after_the_warning() {
        let now = Utc::now();
        let days = |d: i64| now - TimeDelta::days(d);
        assert_eq!(freshness(days(179), None, now, 180), Freshness::Fresh);
        assert_eq!(freshness(days(180), None, now, 180), Freshness::Unconfirmed);
        // Long unconfirmed but never warned (e.g. when freshness is new):
        // warned first.
        assert_eq!(freshness(days(400), None, now, 180), Freshness::Unconfirmed);
        assert_eq!(
            freshness(days(400), Some(days(29)), now, 180),
            Freshness::Unconfirmed
        );
        assert_eq!(
            freshness(days(400), Some(days(30)), now, 180),
            Freshness::Lapsed
        );
        assert_eq!(
            freshness(days(209), Some(days(30)), now, 180),
            Freshness::Unconfirmed
        );
        assert_eq!(
            freshness(days(210), Some(days(30)), now, 180),
            Freshness::Lapsed
        );
        assert!(stale_before(now, 180) == days(180));
    }
}
