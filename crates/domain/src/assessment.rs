//! The figures of the national open-sharing assessment of large
//! instruments (大型科研仪器开放共享评价考核), per instrument, per center
//! and for the platform, for a period (a year): pure functions of the
//! bookings, the owners and the qualifications granted.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::booking::hours_used;
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
    /// Effective hours at the internal or external rate, in fen.
    pub income_cents: i64,
    /// Qualifications first granted in the period (a user trained on the
    /// instrument).
    pub training_sessions: u32,
}

/// An instrument with its owners.
#[derive(Debug, Clone, Copy)]
pub struct Assessed<'a> {
    pub instrument: &'a Instrument,
    pub owner_ids: &'a [i64],
}

/// The figures of `instruments` together: `bookings` may be of any
/// instrument (others are ignored), `trainings` are the instrument ids of
/// the qualifications granted in the period (one per user trained).
pub fn figures(
    instruments: &[Assessed<'_>],
    bookings: &[Booking],
    trainings: &[i64],
    period: (DateTime<Utc>, DateTime<Utc>),
    entities: &LegalEntities,
) -> Figures {
    let mut f = Figures::default();
    let mut users = HashSet::new();
    let mut outside = HashSet::new();
    let mut income = 0.0;
    for a in instruments {
        let found = a.instrument;
        for b in bookings.iter().filter(|b| b.instrument_id == found.id) {
            let Some(h) = hours_used(b, period).filter(|h| *h > 0.0) else {
                continue;
            };
            f.effective_hours += h;
            users.insert(b.user_id);
            let rate = if entities.is_external(b.organization_id, a.owner_ids) {
                f.external_hours += h;
                outside.insert(entities.of(b.organization_id));
                found.rate_external_cents
            } else {
                found.rate_internal_cents
            };
            income += h * rate as f64;
        }
        f.training_sessions += trainings.iter().filter(|i| **i == found.id).count() as u32;
    }
    f.sharing_rate = (f.effective_hours > 0.0).then(|| f.external_hours / f.effective_hours);
    f.users = users.len() as u32;
    f.outside_organizations = outside.len() as u32;
    f.income_cents = income.round() as i64;
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
            },
            Assessed {
                instrument: &b,
                owner_ids: &owners,
            },
        ];
        let mut cancelled = booking(1, 9, 30, 6);
        cancelled.status = BookingStatus::Cancelled;
        let bookings = [
            booking(1, 7, 3, 2),  // the sibling: internal
            booking(1, 8, 20, 3), // enterprise 20
            booking(2, 8, 21, 4), // its plant: the same legal entity
            booking(2, 9, 30, 5), // enterprise 30
            cancelled,            // not counted
            booking(3, 9, 30, 5), // another instrument
        ];
        let f = figures(
            &both,
            &bookings,
            &[1, 1, 2, 3],
            (t(1, 0), t(31, 0)),
            &entities,
        );
        assert_eq!(f.effective_hours, 8.0);
        assert_eq!(f.external_hours, 6.0);
        assert_eq!(f.sharing_rate, Some(0.75));
        assert_eq!((f.users, f.outside_organizations), (3, 2));
        assert_eq!(f.income_cents, 2 * 100 + 6 * 300);
        assert_eq!(f.training_sessions, 3);
        let one = figures(&both[..1], &bookings, &[], (t(1, 0), t(31, 0)), &entities);
        assert_eq!((one.users, one.outside_organizations), (2, 1));
        let none = figures(&[], &bookings, &[], (t(1, 0), t(31, 0)), &entities);
        assert_eq!(none, Figures::default());
    }
}
