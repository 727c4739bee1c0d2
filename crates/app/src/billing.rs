//! Billing of a testing center: its price list of test items, the billing
//! accounts of client organisations, invoices per period from completed
//! bookings, and the owners' settlement shares.
//!
//! - Test items are read by signed-in users and kept by the center's
//!   billing staff ([`rules::bills_for`]: platform ADMINs, ORG_ADMINs of the
//!   organisation running the center).
//! - A billing account is read by the ORG_ADMINs of its organisation and by
//!   the staff of the centers that invoiced it, and edited by the former.
//! - Invoices are issued and moved by the center's staff and read by them
//!   and by the ORG_ADMINs of the client organisation; to everybody else an
//!   invoice does not exist (NOT_FOUND).
//! - The settlement of a center is read by its staff.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use iurhub_domain::billing as rules;
use iurhub_domain::records::billing::{
    BillingAccount, BillingAccountFields, Invoice, InvoiceLine, NewInvoice, NewInvoiceLine,
    TestItem, TestItemFields,
};
use iurhub_domain::records::centers::Center;
use iurhub_domain::records::stats::Period;
use iurhub_domain::{BookingStatus, InvoiceStatus, Message};
use iurhub_store::StoreError;
pub use iurhub_store::billing::InvoiceFilter;
use iurhub_store::billing::InvoiceVisibility;
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// How often issuing retries after a concurrent issue billed some of the
/// same bookings (each retry reads what is left to bill).
const ISSUE_ATTEMPTS: usize = 3;

fn bills_for(caller: &Caller, center: &Center) -> bool {
    rules::bills_for(
        caller.user().platform_role,
        caller.administered_org_ids(),
        center,
    )
}

fn staff_only() -> AppError {
    AppError::denied(Message::new("billing.staff_only"))
}

/// The center, FORBIDDEN unless the caller bills for it.
async fn billed_center(app: &App, caller: &Caller, center_id: i64) -> AppResult<Center> {
    let center = crate::centers::get(app, center_id).await?;
    if !bills_for(caller, &center) {
        return Err(staff_only());
    }
    Ok(center)
}

/// Whether the caller is the billing staff of the center (false when there
/// is no such center).
pub async fn viewer_bills_for(app: &App, caller: &Caller, center_id: i64) -> AppResult<bool> {
    Ok(app
        .store
        .center(center_id)
        .await?
        .is_some_and(|c| bills_for(caller, &c)))
}

/// The test items of a center, by code (signed-in users).
pub async fn test_items(app: &App, center_id: i64) -> AppResult<Vec<TestItem>> {
    Ok(app.store.test_items(center_id).await?)
}

/// Adds a test item to a center's price list (its billing staff).
pub async fn create_test_item(
    app: &App,
    caller: &Caller,
    center_id: i64,
    fields: TestItemFields,
) -> AppResult<TestItem> {
    billed_center(app, caller, center_id).await?;
    let fields = rules::check_test_item(&fields)?;
    Ok(app.wrote(app.store.create_test_item(center_id, fields).await?))
}

/// The test item, or NOT_FOUND.
pub async fn test_item(app: &App, id: i64) -> AppResult<TestItem> {
    app.store
        .test_item(id)
        .await?
        .ok_or(AppError::NotFound("test item"))
}

/// Rewrites a test item: `edit` gets the current fields and gives the new
/// ones (its center's billing staff).
pub async fn update_test_item(
    app: &App,
    caller: &Caller,
    id: i64,
    edit: impl FnOnce(TestItemFields) -> TestItemFields,
) -> AppResult<TestItem> {
    let current = test_item(app, id).await?;
    billed_center(app, caller, current.center_id).await?;
    let fields = rules::check_test_item(&edit(TestItemFields {
        code: current.code,
        name_zh: current.name_zh,
        name_en: current.name_en,
        unit: current.unit,
        prices: current.prices,
    }))?;
    Ok(app.wrote(app.store.update_test_item(id, fields).await?))
}

/// Removes a test item (its center's billing staff); returns it.
pub async fn delete_test_item(app: &App, caller: &Caller, id: i64) -> AppResult<TestItem> {
    let current = test_item(app, id).await?;
    billed_center(app, caller, current.center_id).await?;
    app.store.delete_test_item(id).await?;
    Ok(app.wrote(current))
}

/// Whether the caller sees the billing account of `organization_id`: its
/// ORG_ADMINs (and platform ADMINs), and the staff of a center that
/// invoiced it.
async fn sees_account(app: &App, caller: &Caller, organization_id: i64) -> AppResult<bool> {
    if rules::manages_account(
        caller.user().platform_role,
        caller.administered_org_ids(),
        organization_id,
    ) {
        return Ok(true);
    }
    for center_id in app.store.invoice_center_ids_of(organization_id).await? {
        if viewer_bills_for(app, caller, center_id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The billing account of an organisation; `None` before its first use.
/// NOT_FOUND to whoever may not see it.
pub async fn account(
    app: &App,
    caller: &Caller,
    organization_id: i64,
) -> AppResult<Option<BillingAccount>> {
    if app.store.organization(organization_id).await?.is_none()
        || !sees_account(app, caller, organization_id).await?
    {
        return Err(AppError::NotFound("billing account"));
    }
    Ok(app.store.billing_account_of(organization_id).await?)
}

/// Writes the billing account of an organisation, created on first use (its
/// ORG_ADMINs).
pub async fn save_account(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    edit: impl FnOnce(BillingAccountFields) -> BillingAccountFields,
) -> AppResult<BillingAccount> {
    if app.store.organization(organization_id).await?.is_none() {
        return Err(AppError::invalid(
            "organizationId",
            Message::new("organization.unknown"),
        ));
    }
    if !rules::manages_account(
        caller.user().platform_role,
        caller.administered_org_ids(),
        organization_id,
    ) {
        return Err(AppError::denied(Message::new("billing_account.forbidden")));
    }
    let current = app
        .store
        .billing_account_of(organization_id)
        .await?
        .map(|a| a.fields)
        .unwrap_or_default();
    let fields = rules::check_account(&edit(current))?;
    Ok(app.wrote(
        app.store
            .save_billing_account(organization_id, fields)
            .await?,
    ))
}

/// The lines of the center's service orders completed in the period and
/// never billed ([`rules::service_order_line`]), with the client
/// organisation of each.
async fn completed_service_order_lines(
    app: &App,
    center: &Center,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<Vec<(i64, NewInvoiceLine)>> {
    let orders = app
        .store
        .completed_unbilled_service_orders(center.id, from, to)
        .await?;
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let instrument_ids: Vec<i64> = orders
        .iter()
        .flat_map(|(_, quote)| quote.lines.iter().map(|l| l.instrument_id))
        .collect();
    let owners = app.store.instrument_owners(&instrument_ids).await?;
    let instruments: HashMap<i64, _> = app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| i.center_id == center.id)
        .map(|i| (i.id, i))
        .collect();
    let entities = app.store.legal_entities().await?;
    Ok(orders
        .iter()
        .map(|(order, quote)| {
            (
                order.client_organization_id,
                rules::service_order_line(
                    order,
                    quote,
                    &|id| instruments.get(&id).cloned(),
                    &|id| owners.get(&id).cloned().unwrap_or_default(),
                    center,
                    &entities,
                ),
            )
        })
        .collect())
}

/// The unbilled lines of the center's COMPLETED bookings that ended
/// (actual end, else booked end) in the period, with the client
/// organisation of each.
async fn booking_lines(
    app: &App,
    center: &Center,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<Vec<(i64, NewInvoiceLine)>> {
    let instruments: HashMap<i64, _> = app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| i.center_id == center.id)
        .map(|i| (i.id, i))
        .collect();
    // Actual times may lie outside the booked ones: read a margin around
    // the period and keep the bookings whose billing time is in it.
    let margin = Duration::days(31);
    let bookings: Vec<_> = app
        .store
        .bookings_between(
            None,
            &[BookingStatus::Completed],
            from - margin,
            to + margin,
        )
        .await?
        .into_iter()
        .filter(|b| instruments.contains_key(&b.instrument_id))
        // Time booked under a service order is billed with the order.
        .filter(|b| b.service_order_id.is_none())
        .filter(|b| (from..to).contains(&rules::billed_at(b)))
        .collect();
    let ids: Vec<i64> = bookings.iter().map(|b| b.id).collect();
    let billed = app.store.billed_booking_ids(&ids).await?;
    let instrument_ids: Vec<i64> = instruments.keys().copied().collect();
    let owners = app.store.instrument_owners(&instrument_ids).await?;
    let entities = app.store.legal_entities().await?;
    Ok(bookings
        .iter()
        .filter(|b| !billed.contains(&b.id))
        .filter_map(|b| {
            let instrument = instruments.get(&b.instrument_id)?;
            let of = owners
                .get(&b.instrument_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            Some((
                b.organization_id,
                rules::booking_line(b, instrument, of, center, &entities),
            ))
        })
        .collect())
}

/// Issues the invoices of a center for the days `from` to `to` (China
/// Standard Time, inclusive): one DRAFT invoice per client organisation
/// with a line per COMPLETED booking of the center's instruments that ended
/// in the period and was never billed. Returns the invoices written (none
/// when there was nothing left to bill). Its billing staff.
pub async fn issue_invoices(
    app: &App,
    caller: &Caller,
    center_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Invoice>> {
    let center = billed_center(app, caller, center_id).await?;
    rules::check_period("periodStart", "periodEnd", from, to)?;
    let days = Period {
        from: Some(from),
        to: Some(to),
    };
    let (Some(start), Some(end)) = (days.start(), days.end()) else {
        return Err(AppError::invalid(
            "periodEnd",
            Message::new("value.out_of_range")
                .with("min", "0001-01-01")
                .with("max", "9999-12-30"),
        ));
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut lines = booking_lines(app, &center, (start, end)).await?;
        lines.extend(completed_service_order_lines(app, &center, (start, end)).await?);
        let mut per_client: BTreeMap<i64, Vec<NewInvoiceLine>> = BTreeMap::new();
        for (client, line) in lines {
            per_client.entry(client).or_default().push(line);
        }
        let new: Vec<NewInvoice> = per_client
            .into_iter()
            .map(|(organization_id, lines)| NewInvoice {
                center_id,
                organization_id,
                period_from: from,
                period_to: to,
                lines,
            })
            .collect();
        if new.is_empty() {
            return Ok(Vec::new());
        }
        match app.store.create_invoices(new).await {
            Ok(written) => return Ok(app.wrote(written)),
            // Another issue billed some of these bookings (or opened an
            // account) meanwhile: read again what is left.
            Err(StoreError::Conflict { .. }) if attempt < ISSUE_ATTEMPTS => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// The invoice, if the caller may see it ([`rules::sees_invoice`]);
/// NOT_FOUND otherwise.
pub async fn invoice(app: &App, caller: &Caller, id: i64) -> AppResult<Invoice> {
    let not_found = || AppError::NotFound("invoice");
    let found = app.store.invoice(id).await?.ok_or_else(not_found)?;
    let center = crate::centers::get(app, found.center_id).await?;
    if !rules::sees_invoice(
        caller.user().platform_role,
        caller.administered_org_ids(),
        &center,
        &found,
    ) {
        return Err(not_found());
    }
    Ok(found)
}

/// The lines of an invoice (already shown to the caller), with the owners'
/// shares of each.
pub async fn lines(app: &App, invoice_id: i64) -> AppResult<Vec<InvoiceLine>> {
    Ok(app.store.invoice_lines(&[invoice_id]).await?)
}

/// The invoices the caller may see matching the filter, newest first: of
/// the centers they bill for and of the organisations they administer
/// (platform ADMINs: all).
pub async fn list(
    app: &App,
    caller: &Caller,
    filter: InvoiceFilter,
    args: PageArgs,
) -> AppResult<Page<Invoice>> {
    let visible = if caller.is_admin() {
        None
    } else {
        let center_ids = app
            .store
            .all_centers()
            .await?
            .into_iter()
            .filter(|c| bills_for(caller, c))
            .map(|c| c.id)
            .collect();
        Some(InvoiceVisibility {
            center_ids,
            organization_ids: caller.administered_org_ids().to_vec(),
        })
    };
    Ok(app
        .store
        .list_invoices(visible.as_ref(), &filter, args)
        .await?)
}

/// Moves an invoice: DRAFT → ISSUED → PAID, or VOID (the center's billing
/// staff). NOT_FOUND to whoever may not see it.
pub async fn set_status(
    app: &App,
    caller: &Caller,
    id: i64,
    to: InvoiceStatus,
) -> AppResult<Invoice> {
    let found = invoice(app, caller, id).await?;
    let center = crate::centers::get(app, found.center_id).await?;
    if !bills_for(caller, &center) {
        return Err(staff_only());
    }
    found.status.transition(to)?;
    Ok(app.wrote(app.store.set_invoice_status(id, found.status, to).await?))
}

/// A center's settlement over some days: its invoices (not VOID) whose
/// period lies within them, their lines with the owners' shares, and each
/// owner's total.
#[derive(Debug, Clone)]
pub struct Settlement {
    pub center: Center,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub invoices: Vec<Invoice>,
    pub lines: Vec<InvoiceLine>,
    /// (owning organisation, total in fen), by organisation id.
    pub totals: Vec<(i64, i64)>,
}

/// The settlement of center `center_id` for the days `from` to `to` (its
/// billing staff).
pub async fn settlement(
    app: &App,
    caller: &Caller,
    center_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Settlement> {
    let center = billed_center(app, caller, center_id).await?;
    rules::check_period("from", "to", from, to)?;
    let invoices = app.store.settled_invoices(center_id, from, to).await?;
    let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
    let lines = app.store.invoice_lines(&ids).await?;
    let totals = rules::settle(lines.iter().map(|l| &l.line));
    Ok(Settlement {
        center,
        from,
        to,
        invoices,
        lines,
        totals,
    })
}

/// The settlement of one invoice: each owner's total (whoever sees the
/// invoice).
pub fn invoice_settlement(lines: &[InvoiceLine]) -> Vec<(i64, i64)> {
    rules::settle(lines.iter().map(|l| &l.line))
}

/// The names of some organisations (public), by id.
pub async fn organization_names(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    Ok(app
        .store
        .organizations_by_ids(ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
