//! The rules of billing, as pure functions: which price tier a client
//! pays ([`tier_for`], the one rule for bookings, quotes, usage revenue and
//! invoices), the one rounding rule of money ([`prorate`]: half up to the
//! fen), the lines of an invoice, the owners' settlement shares
//! ([`split`]: largest remainder, so the shares sum exactly to the line)
//! and who sees and manages what.
//!
//! Money is integer fen (`i64`) everywhere; no amount ever goes through a
//! float.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::DomainError;
use crate::messages::Message;
use crate::records::billing::{
    BillingAccountFields, Invoice, NewInvoiceLine, Prices, Share, TestItemFields,
};
use crate::records::centers::{Center, LegalEntities, Owner};
use crate::records::instruments::{Booking, Instrument};
use crate::records::service_orders::{Quote, ServiceOrder};
use crate::validate::{MAX_MONEY_FEN, Validator};
use crate::{InvoiceLineKind, PlatformRole, PriceTier};

/// The tier `client` pays for an instrument owned by `owner_ids` in a center
/// run or co-built by `center_member_ids`:
/// - INTERNAL: the client is one of the owners or below one;
/// - GROUP: the client's legal entity is an owner's, or the client is an
///   organisation running or co-building the center, or below one;
/// - EXTERNAL: anybody else.
pub fn tier_for(
    entities: &LegalEntities,
    client: i64,
    owner_ids: &[i64],
    center_member_ids: &[i64],
) -> PriceTier {
    if owner_ids.iter().any(|o| entities.is_within(client, *o)) {
        PriceTier::Internal
    } else if !entities.is_external(client, owner_ids)
        || center_member_ids
            .iter()
            .any(|m| entities.is_within(client, *m))
    {
        PriceTier::Group
    } else {
        PriceTier::External
    }
}

/// The tier `client` pays for the center's own work, its test items: the
/// center's running organisation stands as the owner ([`tier_for`] with
/// the center's running organisation as the one owner), so INTERNAL within
/// it, GROUP within its legal entity or a co-builder, EXTERNAL otherwise.
pub fn center_tier(entities: &LegalEntities, client: i64, center: &Center) -> PriceTier {
    tier_for(
        entities,
        client,
        &[center.organization_id],
        &center.member_ids(),
    )
}

/// `a × b / d` rounded half up to a whole fen — the one rounding rule of
/// money (`d` > 0; computed in 128 bits, so it never overflows).
pub fn prorate(a: i64, b: i64, d: i64) -> i64 {
    let n = i128::from(a) * i128::from(b);
    let d = i128::from(d.max(1));
    let q = (2 * n + d).div_euclid(2 * d);
    i64::try_from(q).unwrap_or(i64::MAX)
}

/// The price of `seconds` of instrument time at `hourly_cents` an hour.
pub fn hourly_amount(hourly_cents: i64, seconds: i64) -> i64 {
    prorate(hourly_cents, seconds, 3600)
}

/// The hourly prices of an instrument per tier.
pub fn instrument_prices(i: &Instrument) -> Prices {
    Prices {
        internal_cents: i.rate_internal_cents,
        group_cents: i.rate_group_cents,
        external_cents: i.rate_external_cents,
    }
}

/// The owners' parts of `amount` by their shares: each gets the floor of
/// its exact part, and the fen left over go one each to the largest
/// remainders (ties: the larger share, then the lower organisation id), so
/// the parts sum exactly to `amount`. In the owners' order.
pub fn split(amount: i64, owners: &[Owner]) -> Vec<Share> {
    let total: i128 = owners.iter().map(|o| i128::from(o.share_percent)).sum();
    if total <= 0 {
        return Vec::new();
    }
    let mut parts: Vec<(i64, i128)> = owners
        .iter()
        .map(|o| {
            let exact = i128::from(amount) * i128::from(o.share_percent);
            (
                i64::try_from(exact.div_euclid(total)).unwrap_or(0),
                exact.rem_euclid(total),
            )
        })
        .collect();
    let left = amount - parts.iter().map(|p| p.0).sum::<i64>();
    let mut order: Vec<usize> = (0..owners.len()).collect();
    order.sort_by(|&a, &b| {
        parts[b]
            .1
            .cmp(&parts[a].1)
            .then(owners[b].share_percent.cmp(&owners[a].share_percent))
            .then(owners[a].organization_id.cmp(&owners[b].organization_id))
    });
    for &k in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        parts[k].0 += 1;
    }
    owners
        .iter()
        .zip(parts)
        .map(|(o, (amount_cents, _))| Share {
            organization_id: o.organization_id,
            share_percent: o.share_percent,
            amount_cents,
        })
        .collect()
}

/// When a COMPLETED booking counts for billing: its actual end, else its
/// booked end.
pub fn billed_at(b: &Booking) -> DateTime<Utc> {
    b.actual_end.unwrap_or(b.end)
}

/// The instrument time of a booking billed, in seconds: its actual times,
/// else its booked ones (never negative).
pub fn billed_seconds(b: &Booking) -> i64 {
    let start = b.actual_start.unwrap_or(b.start);
    (billed_at(b) - start).num_seconds().max(0)
}

/// The invoice line of a COMPLETED booking of `instrument` (of `center`,
/// owned by `owners`): the client's tier ([`tier_for`]), the hourly price
/// of that tier, the time used and the amount ([`hourly_amount`]), split
/// between the owners ([`split`]; the organisation running the instrument
/// takes it all when no owner is recorded).
pub fn booking_line(
    b: &Booking,
    instrument: &Instrument,
    owners: &[Owner],
    center: &Center,
    entities: &LegalEntities,
) -> NewInvoiceLine {
    let fallback = [Owner {
        organization_id: instrument.organization_id,
        share_percent: 100,
    }];
    let owners = if owners.is_empty() { &fallback } else { owners };
    let owner_ids: Vec<i64> = owners.iter().map(|o| o.organization_id).collect();
    let tier = tier_for(
        entities,
        b.organization_id,
        &owner_ids,
        &center.member_ids(),
    );
    let unit_price_cents = instrument_prices(instrument).of(tier);
    let seconds = billed_seconds(b);
    let amount_cents = hourly_amount(unit_price_cents, seconds);
    NewInvoiceLine {
        kind: InvoiceLineKind::Booking,
        booking_id: Some(b.id),
        service_order_id: None,
        instrument_id: Some(instrument.id),
        description: instrument.name.clone(),
        seconds: Some(seconds),
        tier,
        unit_price_cents,
        amount_cents,
        shares: split(amount_cents, owners),
    }
}

/// The invoice line of a COMPLETED service order: the amount of its
/// accepted quote (priced when quoted at the client's tier — the agreed
/// price, whatever the prices since), its instrument time, and its
/// settlement: each line of instrument time split between its instrument's
/// owners (`owners_of`; the organisation running the instrument takes it
/// all when none is recorded), each test item — the center's own work,
/// done by its staff under its report — to the organisation running the
/// center, the parts of the same organisation added up. A share's percent
/// is then that organisation's part of the order, rounded to a whole
/// percent (informative; the amounts are exact). The tier shown is the
/// most external of the lines'. The time the staff booked under the order
/// is in the quote and is never billed as a booking.
pub fn service_order_line(
    order: &ServiceOrder,
    quote: &Quote,
    instruments: &dyn Fn(i64) -> Option<Instrument>,
    owners_of: &dyn Fn(i64) -> Vec<Owner>,
    center: &Center,
    entities: &LegalEntities,
) -> NewInvoiceLine {
    let mut tier = PriceTier::Internal;
    let mut parts = std::collections::BTreeMap::<i64, i64>::new();
    let mut amount_cents = 0i64;
    let lines = &quote.lines;
    for item in &quote.items {
        amount_cents = amount_cents.saturating_add(item.amount_cents);
        tier = tier.max(item.tier);
        let total = parts.entry(center.organization_id).or_default();
        *total = total.saturating_add(item.amount_cents);
    }
    for line in lines {
        amount_cents = amount_cents.saturating_add(line.amount_cents);
        let mut owners = owners_of(line.instrument_id);
        if owners.is_empty()
            && let Some(i) = instruments(line.instrument_id)
        {
            owners.push(Owner {
                organization_id: i.organization_id,
                share_percent: 100,
            });
        }
        let owner_ids: Vec<i64> = owners.iter().map(|o| o.organization_id).collect();
        tier = tier.max(tier_for(
            entities,
            order.client_organization_id,
            &owner_ids,
            &center.member_ids(),
        ));
        for part in split(line.amount_cents, &owners) {
            let total = parts.entry(part.organization_id).or_default();
            *total = total.saturating_add(part.amount_cents);
        }
    }
    let instrument_ids: std::collections::BTreeSet<i64> =
        lines.iter().map(|l| l.instrument_id).collect();
    let topic: String = order.test_items.chars().take(120).collect();
    NewInvoiceLine {
        kind: InvoiceLineKind::ServiceOrder,
        booking_id: None,
        service_order_id: Some(order.id),
        instrument_id: (instrument_ids.len() == 1)
            .then(|| instrument_ids.first().copied())
            .flatten(),
        description: topic,
        seconds: Some(lines.iter().map(|l| l.minutes.saturating_mul(60)).sum()),
        tier,
        unit_price_cents: amount_cents,
        amount_cents,
        shares: parts
            .into_iter()
            .map(|(organization_id, part)| Share {
                organization_id,
                share_percent: if amount_cents > 0 {
                    i32::try_from(prorate(part, 100, amount_cents)).unwrap_or(100)
                } else {
                    0
                },
                amount_cents: part,
            })
            .collect(),
    }
}

/// The settlement of some lines: each owning organisation's total, by
/// organisation id.
pub fn settle<'a>(lines: impl IntoIterator<Item = &'a NewInvoiceLine>) -> Vec<(i64, i64)> {
    let mut totals = std::collections::BTreeMap::<i64, i64>::new();
    for line in lines {
        for s in &line.shares {
            let total = totals.entry(s.organization_id).or_default();
            *total = total.saturating_add(s.amount_cents);
        }
    }
    totals.into_iter().collect()
}

/// Longest period billed at once, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// A billing period: `from` to `to`, both inclusive, at most
/// [`MAX_PERIOD_DAYS`] days.
pub fn check_period(
    from_field: &str,
    to_field: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), DomainError> {
    if to < from {
        return Err(DomainError::keyed(
            to_field,
            Message::new("billing.period.order").with("field", from_field.to_owned()),
        ));
    }
    if (to - from).num_days() >= MAX_PERIOD_DAYS {
        return Err(DomainError::keyed(
            to_field,
            Message::new("billing.period.too_long").with("max", MAX_PERIOD_DAYS),
        ));
    }
    Ok(())
}

/// Prices are 0 to [`MAX_MONEY_FEN`] fen.
pub fn check_prices(v: &mut Validator, field: &str, prices: &Prices) {
    for (tier, value) in [
        ("internal", prices.internal_cents),
        ("group", prices.group_cents),
        ("external", prices.external_cents),
    ] {
        let name = format!("{field}.{tier}");
        if value < 0 {
            v.fail(&name, Message::new("value.negative"));
        } else if value > MAX_MONEY_FEN {
            v.fail(
                &name,
                Message::new("money.too_large").with("max", MAX_MONEY_FEN / 100),
            );
        }
    }
}

/// Checks and trims a test item: a code of 1–32 characters (letters,
/// digits, `-`, `_`, `.`, `/`), names of 1–200 characters, a unit of 1–20,
/// prices within range.
pub fn check_test_item(f: &TestItemFields) -> Result<TestItemFields, DomainError> {
    let mut v = Validator::new();
    let code = v.text("code", &f.code, 1, 32);
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        v.fail("code", Message::new("test_item.code.invalid"));
    }
    let out = TestItemFields {
        code,
        name_zh: v.text("nameZh", &f.name_zh, 1, 200),
        name_en: v.text("nameEn", &f.name_en, 1, 200),
        unit: v.text("unit", &f.unit, 1, 20),
        prices: f.prices,
    };
    check_prices(&mut v, "prices", &f.prices);
    v.finish().map(|()| out)
}

/// Checks and trims a billing account's fields (each may be empty).
pub fn check_account(f: &BillingAccountFields) -> Result<BillingAccountFields, DomainError> {
    let mut v = Validator::new();
    let out = BillingAccountFields {
        contact_name: v.text("contactName", &f.contact_name, 0, 100),
        contact_email: v.text("contactEmail", &f.contact_email, 0, 254),
        contact_phone: v.text("contactPhone", &f.contact_phone, 0, 40),
        invoice_title: v.text("invoiceTitle", &f.invoice_title, 0, 200),
        tax_number: v.text("taxNumber", &f.tax_number, 0, 20),
        address: v.text("address", &f.address, 0, 500),
    };
    if !out.contact_email.is_empty() && !out.contact_email.contains('@') {
        v.fail(
            "contactEmail",
            Message::new("billing_account.email.invalid"),
        );
    }
    if !out
        .tax_number
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        v.fail(
            "taxNumber",
            Message::new("billing_account.tax_number.invalid"),
        );
    }
    v.finish().map(|()| out)
}

/// The billing staff of a center: platform ADMINs and the ORG_ADMINs of the
/// organisation running it (or of one above). They keep its price list,
/// issue its invoices and read its settlement.
pub fn bills_for(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    center: &Center,
) -> bool {
    crate::records::centers::may_manage_center(platform_role, administered_org_ids, center)
}

/// Who sees an invoice: the center's billing staff and the ORG_ADMINs of
/// the client organisation (or of one above).
pub fn sees_invoice(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    center: &Center,
    invoice: &Invoice,
) -> bool {
    administered_org_ids.contains(&invoice.organization_id)
        || bills_for(platform_role, administered_org_ids, center)
}

/// Who edits an organisation's billing account: platform ADMINs and the
/// ORG_ADMINs of the organisation (or of one above).
pub fn manages_account(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    organization_id: i64,
) -> bool {
    crate::policy::may_administer(platform_role, administered_org_ids, organization_id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::TimeZone;

    use super::*;
    use crate::{BookingStatus, InstrumentStatus, InvoiceStatus};

    /// Group 1 (legal entity) with its Testing Institute 2 and office 3;
    /// University 10 with its College 11 and the college's lab 12;
    /// enterprise 20; the group's subsidiary 4, a legal entity of its own.
    fn tree() -> LegalEntities {
        let parents = HashMap::from([(2, 1), (3, 1), (4, 1), (11, 10), (12, 11)]);
        LegalEntities::new(parents, [1, 10, 20, 4])
    }

    #[test]
    fn the_tier_follows_ownership_then_legal_entity_then_the_center() {
        let t = tree();
        // Owned by the institute, in a center run by the college and
        // co-built by the university.
        let owners = [2];
        let members = [11, 10];
        assert_eq!(tier_for(&t, 2, &owners, &members), PriceTier::Internal);
        assert_eq!(
            tier_for(&t, 3, &owners, &members),
            PriceTier::Group,
            "sibling"
        );
        assert_eq!(
            tier_for(&t, 1, &owners, &members),
            PriceTier::Group,
            "the group"
        );
        assert_eq!(tier_for(&t, 12, &owners, &members), PriceTier::Group, "lab");
        assert_eq!(tier_for(&t, 20, &owners, &members), PriceTier::External);
        assert_eq!(
            tier_for(&t, 4, &owners, &members),
            PriceTier::External,
            "a subsidiary with its own legal entity"
        );
        // Below an owner is internal.
        assert_eq!(tier_for(&t, 12, &[11], &[]), PriceTier::Internal);
        // A co-builder's own organisation in another legal entity: GROUP.
        assert_eq!(tier_for(&t, 20, &owners, &[20]), PriceTier::Group);
        // Test items, the center's own work: the running organisation (2)
        // stands as the owner, co-builders (11) pay GROUP.
        let c = center();
        assert_eq!(center_tier(&t, 2, &c), PriceTier::Internal);
        assert_eq!(center_tier(&t, 3, &c), PriceTier::Group, "sibling");
        assert_eq!(
            center_tier(&t, 12, &c),
            PriceTier::Group,
            "co-builder's lab"
        );
        assert_eq!(center_tier(&t, 20, &c), PriceTier::External);
    }

    #[test]
    fn money_rounds_half_up_to_the_fen_once() {
        assert_eq!(prorate(30_001, 90, 60), 45_002, "450.015 → 450.02");
        assert_eq!(prorate(10_000, 60, 60), 10_000);
        assert_eq!(hourly_amount(10_001, 1800), 5_001, "50.005 → 50.01");
        assert_eq!(hourly_amount(10_001, 1799), 4_998);
        assert_eq!(hourly_amount(0, 3600), 0);
        assert_eq!(
            prorate(MAX_MONEY_FEN, 31 * 24 * 3600, 3600),
            MAX_MONEY_FEN * 744,
            "no overflow"
        );
    }

    fn owner(organization_id: i64, share_percent: i32) -> Owner {
        Owner {
            organization_id,
            share_percent,
        }
    }

    #[test]
    fn shares_sum_exactly_to_the_line_by_largest_remainder() {
        let amounts = |v: Vec<Share>| v.iter().map(|s| s.amount_cents).collect::<Vec<_>>();
        assert_eq!(
            amounts(split(10_001, &[owner(2, 60), owner(11, 40)])),
            [6_001, 4_000]
        );
        // 0.01 at 50/50: the lower id takes it.
        assert_eq!(amounts(split(1, &[owner(5, 50), owner(3, 50)])), [0, 1]);
        // Thirds: 33.33… each, the two leftover fen go to the larger share first.
        assert_eq!(
            amounts(split(100, &[owner(1, 33), owner(2, 33), owner(3, 34)])),
            [33, 33, 34]
        );
        assert_eq!(
            amounts(split(200, &[owner(1, 33), owner(2, 33), owner(3, 34)])),
            [66, 66, 68]
        );
        for amount in [0, 1, 7, 99, 12_345, 999_999_999] {
            let s = split(amount, &[owner(1, 33), owner(2, 33), owner(3, 34)]);
            assert_eq!(s.iter().map(|s| s.amount_cents).sum::<i64>(), amount);
        }
        assert!(split(100, &[]).is_empty());
    }

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    fn instrument() -> Instrument {
        Instrument {
            id: 7,
            organization_id: 2,
            center_id: 1,
            name: "SEM".into(),
            model: String::new(),
            category: String::new(),
            location: String::new(),
            rate_internal_cents: 10_000,
            rate_group_cents: 15_000,
            rate_external_cents: 30_001,
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

    fn center() -> Center {
        Center {
            id: 1,
            organization_id: 2,
            name: "MATC".into(),
            description: String::new(),
            cobuilder_ids: vec![11],
            created_at: t(1, 0),
            updated_at: t(1, 0),
        }
    }

    fn booking(org: i64, actual: Option<(u32, u32)>) -> Booking {
        Booking {
            id: 9,
            instrument_id: 7,
            user_id: 1,
            organization_id: org,
            start: t(2, 9),
            end: t(2, 12),
            purpose: "test".into(),
            status: BookingStatus::Completed,
            actual_start: actual.map(|a| t(2, a.0)),
            actual_end: actual.map(|a| t(2, a.1)),
            reject_reason: None,
            created_at: t(1, 0),
            updated_at: t(1, 0),
            agreement_id: None,
            service_order_id: None,
        }
    }

    #[test]
    fn a_service_order_is_billed_at_its_quote_split_line_by_line() {
        use crate::ServiceOrderStatus;
        use crate::records::service_orders::{ItemLine, Quote, QuoteLine, ServiceOrder};
        let order = ServiceOrder {
            id: 5,
            center_id: 1,
            center_organization_id: 2,
            client_organization_id: 20,
            requested_by: 1,
            samples: String::new(),
            test_items: "硬度 hardness".into(),
            standards: String::new(),
            required_by: t(9, 0),
            status: ServiceOrderStatus::Completed,
            quote_note: None,
            quoted_at: None,
            created_at: t(1, 0),
            updated_at: t(1, 0),
        };
        let line = |id, instrument_id, minutes, amount_cents| QuoteLine {
            id,
            order_id: 5,
            instrument_id,
            minutes,
            rate_cents: 0,
            amount_cents,
        };
        // The SEM (7) is owned 60/40 by the institute and the college; the
        // CT (8) has no owner recorded: its organisation (2) takes it all.
        let mut ct = instrument();
        ct.id = 8;
        // Two hardness tests at 100.00 yuan: the center's own work, to the
        // organisation running it (2).
        let quote = Quote {
            lines: vec![line(1, 7, 90, 45_002), line(2, 8, 30, 10_001)],
            items: vec![ItemLine {
                id: 1,
                order_id: 5,
                test_item_id: 3,
                quantity: 2,
                tier: PriceTier::External,
                unit_price_cents: 10_000,
                amount_cents: 20_000,
            }],
        };
        let (c, e) = (center(), tree());
        let billed = service_order_line(
            &order,
            &quote,
            &|id| (id == 8).then(|| ct.clone()),
            &|id| {
                if id == 7 {
                    vec![owner(2, 60), owner(11, 40)]
                } else {
                    Vec::new()
                }
            },
            &c,
            &e,
        );
        assert_eq!(billed.kind, InvoiceLineKind::ServiceOrder);
        assert_eq!(
            (billed.service_order_id, billed.booking_id),
            (Some(5), None)
        );
        assert_eq!(billed.amount_cents, 75_003);
        assert_eq!(billed.amount_cents, quote.total_cents());
        assert_eq!(billed.seconds, Some(120 * 60));
        assert_eq!(billed.instrument_id, None, "two instruments");
        assert_eq!(billed.tier, PriceTier::External);
        // 45,002 × 60 % = 27,001.2 and × 40 % = 18,000.8: the fen left goes
        // to the larger remainder; the CT's 10,001 and the test items'
        // 20,000 to the institute.
        let parts: Vec<(i64, i64)> = billed
            .shares
            .iter()
            .map(|s| (s.organization_id, s.amount_cents))
            .collect();
        assert_eq!(parts, [(2, 27_001 + 10_001 + 20_000), (11, 18_001)]);
        assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), billed.amount_cents);
        // 57,002 / 75,003 = 76.0 % and 24.0 %.
        let percents: Vec<i32> = billed.shares.iter().map(|s| s.share_percent).collect();
        assert_eq!(percents, [76, 24]);
        // Test items alone: no instrument time, all to the running
        // organisation, at the item's tier.
        let items_only = Quote {
            lines: Vec::new(),
            items: quote.items.clone(),
        };
        let billed = service_order_line(&order, &items_only, &|_| None, &|_| Vec::new(), &c, &e);
        assert_eq!(billed.amount_cents, 20_000);
        assert_eq!(billed.seconds, Some(0));
        assert_eq!(billed.instrument_id, None);
        assert_eq!(billed.tier, PriceTier::External);
        assert_eq!(
            billed
                .shares
                .iter()
                .map(|s| (s.organization_id, s.amount_cents, s.share_percent))
                .collect::<Vec<_>>(),
            [(2, 20_000, 100)]
        );
    }

    #[test]
    fn a_booking_line_bills_the_time_used_at_the_client_s_tier() {
        let owners = [owner(2, 60), owner(11, 40)];
        let (i, c, e) = (instrument(), center(), tree());
        let external = booking_line(&booking(20, Some((9, 11))), &i, &owners, &c, &e);
        assert_eq!(external.tier, PriceTier::External);
        assert_eq!(external.seconds, Some(7200));
        assert_eq!(external.unit_price_cents, 30_001);
        assert_eq!(external.amount_cents, 60_002);
        assert_eq!(
            external
                .shares
                .iter()
                .map(|s| s.amount_cents)
                .collect::<Vec<_>>(),
            [36_001, 24_001]
        );
        let group = booking_line(&booking(3, None), &i, &owners, &c, &e);
        assert_eq!((group.tier, group.amount_cents), (PriceTier::Group, 45_000));
        let internal = booking_line(&booking(12, None), &i, &owners, &c, &e);
        assert_eq!(internal.tier, PriceTier::Internal, "the lab under owner 11");
        // No owner recorded: the running organisation takes it all.
        let alone = booking_line(&booking(20, None), &i, &[], &c, &e);
        assert_eq!(alone.shares[0].organization_id, 2);
        assert_eq!(alone.shares[0].amount_cents, alone.amount_cents);
        assert_eq!(
            settle([&external, &group]),
            vec![(2, 36_001 + 27_000), (11, 24_001 + 18_000)]
        );
    }

    #[test]
    fn an_invoice_is_drafted_issued_then_paid_or_voided() {
        use InvoiceStatus::*;
        assert_eq!(Draft.transition(Issued), Ok(Issued));
        assert_eq!(Issued.transition(Paid), Ok(Paid));
        assert_eq!(Draft.transition(Void), Ok(Void));
        assert_eq!(Issued.transition(Void), Ok(Void));
        assert!(Draft.transition(Paid).is_err());
        assert!(Issued.transition(Draft).is_err());
        for to in InvoiceStatus::ALL {
            assert!(Paid.transition(*to).is_err(), "PAID → {to}");
            assert!(Void.transition(*to).is_err(), "VOID → {to}");
        }
    }

    #[test]
    fn periods_prices_items_and_accounts_are_checked() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(check_period("a", "b", d(12, 1), d(12, 1)).is_ok());
        assert!(check_period("a", "b", d(12, 2), d(12, 1)).is_err());
        assert!(check_period("a", "b", d(1, 1), d(12, 31)).is_ok());
        assert!(
            check_period(
                "a",
                "b",
                d(1, 1),
                NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()
            )
            .is_err()
        );
        let item = TestItemFields {
            code: " HV-10 ".into(),
            name_zh: "维氏硬度".into(),
            name_en: "Vickers hardness".into(),
            unit: "sample".into(),
            prices: Prices {
                internal_cents: 5_000,
                group_cents: 8_000,
                external_cents: 12_000,
            },
        };
        assert_eq!(check_test_item(&item).unwrap().code, "HV-10");
        let bad = TestItemFields {
            code: "HV 10".into(),
            prices: Prices {
                group_cents: -1,
                ..item.prices
            },
            ..item
        };
        match check_test_item(&bad) {
            Err(DomainError::Validation(f)) => {
                let fields: Vec<&str> = f.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(fields, ["code", "prices.group"]);
            }
            other => panic!("{other:?}"),
        }
        let account = BillingAccountFields {
            tax_number: "91110000X".into(),
            contact_email: "billing@example.com".into(),
            ..Default::default()
        };
        assert!(check_account(&account).is_ok());
        let bad = BillingAccountFields {
            tax_number: "91-11".into(),
            contact_email: "nobody".into(),
            ..Default::default()
        };
        assert!(check_account(&bad).is_err());
    }
}
