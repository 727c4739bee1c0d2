//! The figures of the national open-sharing assessment of large
//! instruments (大型科研仪器开放共享评价考核), per instrument, per center
//! and for the platform, for a period (a year): pure functions of the
//! bookings, the owners and the qualifications granted.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::billing::{hourly_amount, tier_for};
use crate::booking::{price_for, seconds_used};
use crate::records::centers::LegalEntities;
use crate::records::instruments::{Booking, Instrument};

/// The assessment's figures of some instruments over a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Effective machine hours: COMPLETED bookings, actual times, within
    /// the period.
    pub effective_hours: f64,
    /// The part of them for external legal entities.
    pub external_hours: f64,
    /// External / effective hours; `None` without use.
    pub sharing_rate: Option<f64>,
    /// Distinct users of those bookings.
    pub users: u32,
    /// Distinct external legal entities served.
    pub outside_organizations: u32,
    /// Effective hours at each client's tier price, in fen (each booking
    /// rounded to the fen, then summed), and for a center or the platform
    /// the test items of the service orders completed in the period, at
    /// their quoted price.
    pub income_cents: i64,
    /// Service orders completed in the period (centers and the platform).
    pub service_orders: u32,
    /// Qualifications first granted in the period (a user trained on the
    /// instrument).
    pub training_sessions: u32,
    /// How many of the counted bookings their users rated, and for a
    /// center or the platform the completed service orders their clients
    /// rated.
    pub ratings: u32,
    /// The mean score (1–5) of those ratings; `None` without one.
    pub rating_average: Option<f64>,
}

/// An instrument with its owners.
#[derive(Debug, Clone, Copy)]
pub struct Assessed<'a> {
    pub instrument: &'a Instrument,
    pub owner_ids: &'a [i64],
    /// The organisations running and co-building its center (for the price
    /// tier, [`crate::billing::tier_for`]).
    pub center_member_ids: &'a [i64],
}

/// A service order of a center completed in the period: its instrument
/// time is counted through the bookings made under it; its test items and
/// its rating here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessedOrder {
    pub center_id: i64,
    /// Its quoted test items, in fen.
    pub items_cents: i64,
    /// The client's rating (1–5), if any.
    pub score: Option<i32>,
}

/// The figures of `instruments` together (and of `orders`, the service
/// orders of the same scope; none for a single instrument): `bookings` may
/// be of any instrument (others are ignored), `trainings` are the
/// instrument ids of the qualifications granted in the period (one per
/// user trained), `scores` the ratings' scores by booking id (those of
/// bookings not counted are ignored).
pub fn figures(
    instruments: &[Assessed<'_>],
    orders: &[AssessedOrder],
    bookings: &[Booking],
    trainings: &[i64],
    scores: &HashMap<i64, i32>,
    period: (DateTime<Utc>, DateTime<Utc>),
    entities: &LegalEntities,
) -> Figures {
    let mut f = Figures::default();
    let mut score_total = 0i64;
    let mut users = HashSet::new();
    let mut outside = HashSet::new();
    for a in instruments {
        let found = a.instrument;
        for b in bookings.iter().filter(|b| b.instrument_id == found.id) {
            let Some(seconds) = seconds_used(b, period).filter(|s| *s > 0) else {
                continue;
            };
            let h = seconds as f64 / 3600.0;
            f.effective_hours += h;
            users.insert(b.user_id);
            if let Some(score) = scores.get(&b.id) {
                f.ratings += 1;
                score_total += i64::from(*score);
            }
            if entities.is_external(b.organization_id, a.owner_ids) {
                f.external_hours += h;
                outside.insert(entities.of(b.organization_id));
            }
            let tier = tier_for(
                entities,
                b.organization_id,
                a.owner_ids,
                a.center_member_ids,
            );
            f.income_cents += hourly_amount(price_for(found, tier), seconds);
        }
        f.training_sessions += trainings.iter().filter(|i| **i == found.id).count() as u32;
    }
    for o in orders {
        f.service_orders += 1;
        f.income_cents = f.income_cents.saturating_add(o.items_cents);
        if let Some(score) = o.score {
            f.ratings += 1;
            score_total += i64::from(score);
        }
    }
    f.sharing_rate = (f.effective_hours > 0.0).then(|| f.external_hours / f.effective_hours);
    f.users = users.len() as u32;
    f.outside_organizations = outside.len() as u32;
    f.rating_average = (f.ratings > 0).then(|| score_total as f64 / f64::from(f.ratings));
    f
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::TimeZone;

    use super::*;
    use crate::{BookingStatus, InstrumentStatus};

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    fn instrument(id: i64) -> Instrument {
        Instrument {
            id,
            organization_id: 2,
            center_id: 1,
            name: format!("#{id}"),
            model: String::new(),
            category: String::new(),
            location: String::new(),
            rate_internal_cents: 100,
            rate_group_cents: 200,
            rate_external_cents: 300,
            requires_qualification: false,
            status: InstrumentStatus::Available,
            description: String::new(),
            original_value_cents: None,
            purchase_date: None,
            registration_number: String::new(),
            public: false,
            version: 1,
            created_at: t(1, 0),
            updated_at: t(1, 0),
        }
    }

    fn booking(instrument_id: i64, user_id: i64, org: i64, d: u32) -> Booking {
        Booking {
            id: 0,
            instrument_id,
            user_id,
            organization_id: org,
            start: t(d, 9),
            end: t(d, 11),
            purpose: String::new(),
            status: BookingStatus::Completed,
            actual_start: None,
            actual_end: None,
            reject_reason: None,
            created_at: t(1, 0),
            updated_at: t(1, 0),
            agreement_id: None,
            service_order_id: None,
        }
    }

    #[test]
    fn distinct_users_and_outside_entities_across_instruments() {
        // Group 1 with institute 2 and sibling 3; enterprise 20 with its
        // plant 21; enterprise 30.
        let entities = LegalEntities::new(HashMap::from([(2, 1), (3, 1), (21, 20)]), [1, 20, 30]);
        let (a, b) = (instrument(1), instrument(2));
        let owners = [2];
        let both = [
            Assessed {
                instrument: &a,
                owner_ids: &owners,
                center_member_ids: &[],
            },
            Assessed {
                instrument: &b,
                owner_ids: &owners,
                center_member_ids: &[],
            },
        ];
        let mut cancelled = booking(1, 9, 30, 6);
        cancelled.status = BookingStatus::Cancelled;
        let mut bookings = [
            booking(1, 7, 3, 2),  // the sibling: internal
            booking(1, 8, 20, 3), // enterprise 20
            booking(2, 8, 21, 4), // its plant: the same legal entity
            booking(2, 9, 30, 5), // enterprise 30
            cancelled,            // not counted
            booking(3, 9, 30, 5), // another instrument
        ];
        for (i, b) in bookings.iter_mut().enumerate() {
            b.id = i as i64 + 1;
        }
        // Scores of the first three bookings, of the cancelled one and of
        // the other instrument's (neither counted).
        let scores = HashMap::from([(1, 5), (2, 2), (3, 3), (5, 1), (6, 4)]);
        let f = figures(
            &both,
            &[],
            &bookings,
            &[1, 1, 2, 3],
            &scores,
            (t(1, 0), t(31, 0)),
            &entities,
        );
        assert_eq!(f.effective_hours, 8.0);
        assert_eq!(f.external_hours, 6.0);
        assert_eq!(f.sharing_rate, Some(0.75));
        assert_eq!((f.users, f.outside_organizations), (3, 2));
        // The sibling pays the GROUP price.
        assert_eq!(f.income_cents, 2 * 200 + 6 * 300);
        assert_eq!(f.training_sessions, 3);
        assert_eq!((f.ratings, f.rating_average), (3, Some(10.0 / 3.0)));
        let period = (t(1, 0), t(31, 0));
        let one = figures(&both[..1], &[], &bookings, &[], &scores, period, &entities);
        assert_eq!((one.users, one.outside_organizations), (2, 1));
        assert_eq!((one.ratings, one.rating_average), (2, Some(3.5)));
        let none = figures(&[], &[], &bookings, &[], &scores, period, &entities);
        assert_eq!(none, Figures::default());
        // Two service orders completed: test items add to the income, the
        // rated one to the ratings; their instrument time is in the
        // bookings already.
        let orders = [
            AssessedOrder {
                center_id: 1,
                items_cents: 36_150,
                score: Some(4),
            },
            AssessedOrder {
                center_id: 1,
                items_cents: 0,
                score: None,
            },
        ];
        let with = figures(&both, &orders, &bookings, &[], &scores, period, &entities);
        assert_eq!(with.service_orders, 2);
        assert_eq!(with.income_cents, f.income_cents + 36_150);
        assert_eq!((with.ratings, with.rating_average), (4, Some(14.0 / 4.0)));
        assert_eq!(with.effective_hours, f.effective_hours);
    }
}
