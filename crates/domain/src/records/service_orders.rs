//! Testing service orders (检测委托): a client organisation asks a testing
//! center for tests (samples, test items, standards, the date it needs the
//! results by); the center's staff quote them from the instruments' hourly
//! prices and the center's price list of test items; the client accepts or
//! declines the quote; the staff run the tests (booking instrument time of
//! the center under the order), attach the report and complete the order,
//! which the client side may then rate once. Every move of an order is kept
//! as an event of its history.

use chrono::{DateTime, Utc};

use crate::error::DomainError;
use crate::messages::Message;
use crate::records::instruments::Instrument;
use crate::{PlatformRole, ServiceOrderStatus};

/// A testing service order.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOrder {
    pub id: i64,
    /// The testing center the tests are asked of.
    pub center_id: i64,
    /// The organisation running that center (its ORG_ADMINs, and those of
    /// the organisations above it, are the order's staff).
    pub center_organization_id: i64,
    /// The organisation asking for them (it pays).
    pub client_organization_id: i64,
    pub requested_by: i64,
    pub samples: String,
    pub test_items: String,
    pub standards: String,
    /// When the client needs the results.
    pub required_by: DateTime<Utc>,
    pub status: ServiceOrderStatus,
    /// What the staff said with the quote.
    pub quote_note: Option<String>,
    pub quoted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client asks for.
#[derive(Debug, Clone)]
pub struct NewServiceOrder {
    pub center_id: i64,
    /// The organisation running the center.
    pub center_organization_id: i64,
    pub client_organization_id: i64,
    pub requested_by: i64,
    pub samples: String,
    pub test_items: String,
    pub standards: String,
    pub required_by: DateTime<Utc>,
}

/// One line of a quote: instrument time at the instrument's rate for the
/// client.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteLine {
    pub id: i64,
    pub order_id: i64,
    pub instrument_id: i64,
    /// Instrument time, in minutes.
    pub minutes: i64,
    /// The hourly rate applied, in fen.
    pub rate_cents: i64,
    /// `minutes × rate / 60`, rounded to the fen.
    pub amount_cents: i64,
}

/// A quote line before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuoteLine {
    pub instrument_id: i64,
    pub minutes: i64,
    pub rate_cents: i64,
    pub amount_cents: i64,
}

/// One line of a quote charging a test item of the center's price list: a
/// quantity at the item's unit price for the client's tier, fixed when
/// quoted.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    pub id: i64,
    pub order_id: i64,
    pub test_item_id: i64,
    /// How many units (samples, points …) of the item.
    pub quantity: i64,
    /// The client's tier the price was taken from.
    pub tier: crate::PriceTier,
    /// The unit price applied, in fen.
    pub unit_price_cents: i64,
    /// `quantity × unit price`, in fen.
    pub amount_cents: i64,
}

/// An item line before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItemLine {
    pub test_item_id: i64,
    pub quantity: i64,
    pub tier: crate::PriceTier,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

/// The accepted price of an order: instrument time and test items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    pub items: Vec<ItemLine>,
}

impl Quote {
    /// Whether the order has been quoted (a quote has at least one line).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.items.is_empty()
    }

    /// The total of the quote, in fen (0 before the quote).
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.amount_cents)
            .chain(self.items.iter().map(|i| i.amount_cents))
            .fold(0i64, i64::saturating_add)
    }

    /// The total of its test items, in fen.
    pub fn items_cents(&self) -> i64 {
        self.items
            .iter()
            .map(|i| i.amount_cents)
            .fold(0i64, i64::saturating_add)
    }
}

/// One move of an order (its history).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOrderEvent {
    pub id: i64,
    pub order_id: i64,
    pub actor_id: Option<i64>,
    /// `None` for the request itself.
    pub from: Option<ServiceOrderStatus>,
    pub to: ServiceOrderStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// Most lines of one quote (instrument time and test items together).
pub const MAX_QUOTE_LINES: usize = 20;

/// Most units of a test item on one line.
pub const MAX_ITEM_QUANTITY: i64 = 10_000;

/// Longest instrument time of one line, in minutes (a month).
pub const MAX_LINE_MINUTES: i64 = 31 * 24 * 60;

/// The line of `minutes` of `instrument` for the order's client: the
/// instrument's hourly price for the client's `tier`
/// ([`crate::billing::tier_for`]) and the amount, rounded half up to the
/// fen ([`crate::billing::hourly_amount`]). The instrument must be one of
/// the order's center and the time be 1 minute to [`MAX_LINE_MINUTES`].
pub fn quote_line(
    k: usize,
    instrument: &Instrument,
    order: &ServiceOrder,
    tier: crate::PriceTier,
    minutes: i64,
) -> Result<NewQuoteLine, DomainError> {
    if instrument.center_id != order.center_id {
        return Err(DomainError::keyed(
            format!("lines[{k}].instrumentId"),
            Message::new("service_order.line.other_center"),
        ));
    }
    if !(1..=MAX_LINE_MINUTES).contains(&minutes) {
        return Err(DomainError::keyed(
            format!("lines[{k}].minutes"),
            Message::new("service_order.line.minutes").with("max", MAX_LINE_MINUTES),
        ));
    }
    let rate_cents = crate::booking::price_for(instrument, tier);
    Ok(NewQuoteLine {
        instrument_id: instrument.id,
        minutes,
        rate_cents,
        amount_cents: crate::billing::hourly_amount(rate_cents, minutes * 60),
    })
}

/// The line of `quantity` units of test `item` for the order's client: the
/// item's unit price for the client's `tier` (for a test item, the tier of
/// the center's own work, [`crate::billing::center_tier`]) times the
/// quantity. The item must be one of the order's center, the quantity 1 to
/// [`MAX_ITEM_QUANTITY`] and the amount within [`MAX_MONEY_FEN`].
///
/// [`MAX_MONEY_FEN`]: crate::validate::MAX_MONEY_FEN
pub fn quote_item_line(
    k: usize,
    item: &crate::records::billing::TestItem,
    order: &ServiceOrder,
    tier: crate::PriceTier,
    quantity: i64,
) -> Result<NewItemLine, DomainError> {
    if item.center_id != order.center_id {
        return Err(DomainError::keyed(
            format!("items[{k}].testItemId"),
            Message::new("service_order.item.other_center"),
        ));
    }
    if !(1..=MAX_ITEM_QUANTITY).contains(&quantity) {
        return Err(DomainError::keyed(
            format!("items[{k}].quantity"),
            Message::new("service_order.item.quantity").with("max", MAX_ITEM_QUANTITY),
        ));
    }
    let unit_price_cents = item.prices.of(tier);
    let amount_cents = unit_price_cents.saturating_mul(quantity);
    if amount_cents > crate::validate::MAX_MONEY_FEN {
        return Err(DomainError::keyed(
            format!("items[{k}].quantity"),
            Message::new("money.too_large").with("max", crate::validate::MAX_MONEY_FEN / 100),
        ));
    }
    Ok(NewItemLine {
        test_item_id: item.id,
        quantity,
        tier,
        unit_price_cents,
        amount_cents,
    })
}

/// Who may see an order: platform ADMINs, the client organisation's members
/// (and who manages it), the center's staff.
pub fn sees_order(
    platform_role: Option<PlatformRole>,
    managed_org_ids: &[i64],
    administered_org_ids: &[i64],
    order: &ServiceOrder,
) -> bool {
    managed_org_ids.contains(&order.client_organization_id)
        || staffs_order(platform_role, administered_org_ids, order)
}

/// The center's staff of an order: ADMINs and the ORG_ADMINs of the center
/// organisation (or above it). They quote and reject.
pub fn staffs_order(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    order: &ServiceOrder,
) -> bool {
    crate::policy::may_administer(
        platform_role,
        administered_org_ids,
        order.center_organization_id,
    )
}

/// Whether the center's staff ([`staffs_order`]) make the move of an order
/// to `to` — they reject, start and complete it — rather than its client
/// side ([`is_client`]), who accepts, declines and cancels. (The quote,
/// QUOTED, is the staff's too, with its lines.)
pub fn moved_by_staff(to: ServiceOrderStatus) -> bool {
    use ServiceOrderStatus::*;
    matches!(to, Quoted | Rejected | InProgress | Completed)
}

/// The client side of an order: members of the client organisation (and who
/// manages it). They accept, decline and cancel.
pub fn is_client(managed_org_ids: &[i64], order: &ServiceOrder) -> bool {
    managed_org_ids.contains(&order.client_organization_id)
}

/// The report file of an order: its bytes are in the file store under
/// `storage_key`, never under its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOrderReport {
    pub id: i64,
    pub order_id: i64,
    /// Random, unique: the key of its bytes in the file store.
    pub storage_key: String,
    /// The sanitised file name.
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
    pub created_at: DateTime<Utc>,
}

/// The client side's rating of a completed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOrderRating {
    pub id: i64,
    pub order_id: i64,
    pub user_id: i64,
    /// 1–5.
    pub score: i32,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// Why nothing may be booked under `order` nor its report attached now
/// (`None`: the tests are running, IN_PROGRESS): the refusal, a CONFLICT
/// with the order's state.
pub fn not_running(order: &ServiceOrder) -> Option<Message> {
    (!order.status.is_running())
        .then(|| Message::new("service_order.not_running").with("status", order.status))
}

/// Whether `instrument` may be booked under `order`: one of the order's
/// center.
pub fn check_order_instrument(
    order: &ServiceOrder,
    instrument: &Instrument,
) -> Result<(), DomainError> {
    if instrument.center_id != order.center_id {
        return Err(DomainError::keyed(
            "instrumentId",
            Message::new("service_order.line.other_center"),
        ));
    }
    Ok(())
}

/// Why `order` may not be completed yet (`Ok(None)`: it may): the step
/// must be allowed (IN_PROGRESS → COMPLETED) and the report attached
/// (`Some`: the refusal, a CONFLICT with the order's state).
pub fn completion_refusal(
    order: &ServiceOrder,
    has_report: bool,
) -> Result<Option<Message>, DomainError> {
    order.status.transition(ServiceOrderStatus::Completed)?;
    Ok((!has_report).then(|| Message::new("service_order.report.missing")))
}

/// Why the client side may not rate `order` (`None`: it may): only the
/// client side rates (`"service_order.rating.client_only"`), only a
/// COMPLETED order (`"service_order.rating.not_completed"`). The key of
/// the refusal.
pub fn rating_refusal(order: &ServiceOrder, is_client: bool) -> Option<&'static str> {
    if !is_client {
        Some("service_order.rating.client_only")
    } else if order.status != ServiceOrderStatus::Completed {
        Some("service_order.rating.not_completed")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    fn instrument(center: i64) -> Instrument {
        Instrument {
            id: 7,
            organization_id: 10,
            name: "SEM".into(),
            model: String::new(),
            category: "SEM".into(),
            location: String::new(),
            rate_internal_cents: 10_000,
            rate_group_cents: 10_000,
            rate_external_cents: 30_001,
            requires_qualification: false,
            status: crate::InstrumentStatus::Available,
            description: String::new(),
            center_id: center,
            original_value_cents: None,
            purchase_date: None,
            registration_number: String::new(),
            public: false,
            version: 1,
            created_at: t(),
            updated_at: t(),
        }
    }

    fn order(client: i64) -> ServiceOrder {
        ServiceOrder {
            id: 1,
            center_id: 1,
            center_organization_id: 10,
            client_organization_id: client,
            requested_by: 3,
            samples: "3 bearings".into(),
            test_items: "hardness".into(),
            standards: "GB/T 230.1".into(),
            required_by: t(),
            status: ServiceOrderStatus::Requested,
            quote_note: None,
            quoted_at: None,
            created_at: t(),
            updated_at: t(),
        }
    }

    #[test]
    fn a_line_is_priced_at_the_client_s_rate_and_rounded_to_the_fen() {
        use crate::PriceTier::{External, Internal};
        let external = quote_line(0, &instrument(1), &order(20), External, 90).unwrap();
        assert_eq!(external.rate_cents, 30_001);
        // 1.5 h × 300.01 = 450.015 yuan → 450.02.
        assert_eq!(external.amount_cents, 45_002);
        let internal = quote_line(0, &instrument(1), &order(10), Internal, 60).unwrap();
        assert_eq!(
            (internal.rate_cents, internal.amount_cents),
            (10_000, 10_000)
        );
        // An instrument of another center of the same organisation.
        let err = quote_line(2, &instrument(2), &order(20), External, 60).unwrap_err();
        assert!(err.to_string().contains("lines[2].instrumentId"), "{err}");
        assert!(quote_line(0, &instrument(1), &order(20), External, 0).is_err());
        assert!(
            quote_line(
                0,
                &instrument(1),
                &order(20),
                External,
                MAX_LINE_MINUTES + 1
            )
            .is_err()
        );
    }

    #[test]
    fn an_order_is_quoted_by_the_center_and_decided_by_the_client() {
        use ServiceOrderStatus::*;
        assert_eq!(Requested.transition(Quoted), Ok(Quoted));
        assert_eq!(Quoted.transition(Accepted), Ok(Accepted));
        assert_eq!(Quoted.transition(Declined), Ok(Declined));
        assert_eq!(Requested.transition(Rejected), Ok(Rejected));
        assert!(Requested.transition(Accepted).is_err());
        assert!(Quoted.transition(Quoted).is_err());
        for to in ServiceOrderStatus::ALL {
            if *to != InProgress {
                assert!(Accepted.transition(*to).is_err(), "ACCEPTED → {to}");
            }
            if *to != Completed {
                assert!(InProgress.transition(*to).is_err(), "IN_PROGRESS → {to}");
            }
            assert!(Declined.transition(*to).is_err());
            assert!(Rejected.transition(*to).is_err());
            assert!(Cancelled.transition(*to).is_err());
            assert!(Completed.transition(*to).is_err(), "COMPLETED → {to}");
        }
        for to in [Quoted, Rejected, InProgress, Completed] {
            assert!(moved_by_staff(to), "{to}");
        }
        for to in [Accepted, Declined, Cancelled] {
            assert!(!moved_by_staff(to), "{to}");
        }
        let o = order(20);
        assert!(sees_order(None, &[20], &[], &o) && is_client(&[20], &o));
        assert!(sees_order(None, &[], &[10], &o) && staffs_order(None, &[10], &o));
        assert!(!sees_order(None, &[30], &[30], &o));
        assert!(sees_order(Some(PlatformRole::Admin), &[], &[], &o));
    }

    #[test]
    fn an_accepted_order_is_run_by_the_staff_and_completed_with_its_report() {
        use ServiceOrderStatus::*;
        assert_eq!(Accepted.transition(InProgress), Ok(InProgress));
        assert_eq!(InProgress.transition(Completed), Ok(Completed));
        assert!(Quoted.transition(InProgress).is_err());
        assert!(Accepted.transition(Completed).is_err());
        assert!(InProgress.transition(Cancelled).is_err());
        let mut o = order(20);
        // Nothing is booked or attached before the tests run, nor after.
        assert!(not_running(&o).is_some());
        o.status = Accepted;
        assert!(not_running(&o).is_some());
        assert!(completion_refusal(&o, true).is_err());
        o.status = InProgress;
        assert_eq!(not_running(&o), None);
        assert_eq!(check_order_instrument(&o, &instrument(1)), Ok(()));
        let other = check_order_instrument(&o, &instrument(2)).unwrap_err();
        assert!(other.to_string().contains("instrumentId"), "{other}");
        assert_eq!(
            completion_refusal(&o, false),
            Ok(Some(Message::new("service_order.report.missing")))
        );
        assert_eq!(completion_refusal(&o, true), Ok(None));
        o.status = Completed;
        assert!(not_running(&o).is_some());
        assert!(completion_refusal(&o, true).is_err());
    }

    #[test]
    fn only_the_client_side_rates_and_only_a_completed_order() {
        let mut o = order(20);
        assert_eq!(
            rating_refusal(&o, true),
            Some("service_order.rating.not_completed")
        );
        o.status = ServiceOrderStatus::Completed;
        assert_eq!(rating_refusal(&o, true), None);
        assert_eq!(
            rating_refusal(&o, false),
            Some("service_order.rating.client_only")
        );
    }

    #[test]
    fn the_total_is_the_sum_of_the_quote_lines_and_items() {
        let line = |amount_cents| QuoteLine {
            id: 1,
            order_id: 1,
            instrument_id: 7,
            minutes: 60,
            rate_cents: amount_cents,
            amount_cents,
        };
        assert_eq!(Quote::default().total_cents(), 0);
        assert!(Quote::default().is_empty());
        let mut item = crate::records::billing::TestItem {
            id: 3,
            center_id: 1,
            code: "HV-10".into(),
            name_zh: "维氏硬度".into(),
            name_en: "Vickers hardness".into(),
            unit: "point".into(),
            prices: crate::records::billing::Prices {
                internal_cents: 5_000,
                group_cents: 8_000,
                external_cents: 12_050,
            },
            created_at: t(),
            updated_at: t(),
        };
        let priced = quote_item_line(0, &item, &order(20), crate::PriceTier::External, 3).unwrap();
        assert_eq!(
            (priced.unit_price_cents, priced.amount_cents),
            (12_050, 36_150)
        );
        let group = quote_item_line(0, &item, &order(20), crate::PriceTier::Group, 3).unwrap();
        assert_eq!(group.amount_cents, 24_000);
        let quote = Quote {
            lines: vec![line(45_002), line(10_000)],
            items: vec![ItemLine {
                id: 1,
                order_id: 1,
                test_item_id: priced.test_item_id,
                quantity: priced.quantity,
                tier: priced.tier,
                unit_price_cents: priced.unit_price_cents,
                amount_cents: priced.amount_cents,
            }],
        };
        assert_eq!(quote.total_cents(), 55_002 + 36_150);
        assert_eq!(quote.items_cents(), 36_150);
        // Out of range quantities, another center's item, an amount past
        // the largest sum of money.
        for bad in [0, -1, MAX_ITEM_QUANTITY + 1] {
            let err =
                quote_item_line(4, &item, &order(20), crate::PriceTier::External, bad).unwrap_err();
            assert!(err.to_string().contains("items[4].quantity"), "{err}");
        }
        item.center_id = 2;
        let err = quote_item_line(1, &item, &order(20), crate::PriceTier::External, 1).unwrap_err();
        assert!(err.to_string().contains("items[1].testItemId"), "{err}");
        item.center_id = 1;
        item.prices.external_cents = crate::validate::MAX_MONEY_FEN;
        assert!(
            quote_item_line(0, &item, &order(20), crate::PriceTier::External, 2).is_err(),
            "past the largest amount"
        );
    }
}
