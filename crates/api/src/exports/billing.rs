//! Billing exports: `GET /api/v1/invoices/{id}.csv` (an invoice with its
//! lines and the owners' settlement) and
//! `GET /api/v1/centers/{id}/settlement.csv?from=&to=` (a center's
//! settlement over some days), through the one CSV writer of
//! [`super::Csv`] (UTF-8 with a byte-order mark).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use iurhub_app::billing;
use iurhub_domain::Message;
use iurhub_domain::records::billing::{Invoice, InvoiceLine};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Csv, csv_response, hours, yuan};
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode, encode};
use crate::state::AppState;

/// The columns of both billing exports. A `LINE` row per invoice line, a
/// `SHARE` row per owner's part of it, a `SETTLEMENT` row per owner's total,
/// then the `TOTAL` row; money in yuan with two decimals.
const HEADER: [&str; 14] = [
    "record",
    "invoice_id",
    "line",
    "kind",
    "booking_id",
    "instrument_id",
    "description",
    "hours",
    "tier",
    "unit_price",
    "amount",
    "organization_id",
    "organization",
    "share_percent",
];

/// A row of [`HEADER`] with the cells given by name, the others empty.
fn row(cells: &[(usize, String)]) -> Vec<String> {
    let mut out = vec![String::new(); HEADER.len()];
    for (k, v) in cells {
        out[*k] = v.clone();
    }
    out
}

/// The LINE and SHARE rows of some invoices' lines (numbered from 1 within
/// each invoice).
fn line_rows(out: &mut Csv, lines: &[InvoiceLine], names: &HashMap<i64, String>) -> ApiResult<()> {
    let mut number = 0;
    let mut invoice = None;
    for l in lines {
        if invoice != Some(l.invoice_id) {
            invoice = Some(l.invoice_id);
            number = 0;
        }
        number += 1;
        let id = encode(Kind::Invoice, l.invoice_id);
        let line = &l.line;
        out.row(row(&[
            (0, "LINE".into()),
            (1, id.clone()),
            (2, number.to_string()),
            (3, line.kind.as_str().into()),
            (
                4,
                line.booking_id
                    .map(|b| encode(Kind::Booking, b))
                    .unwrap_or_default(),
            ),
            (
                5,
                line.instrument_id
                    .map(|i| encode(Kind::Instrument, i))
                    .unwrap_or_default(),
            ),
            (6, line.description.clone()),
            (
                7,
                line.seconds
                    .map(|s| hours(s as f64 / 3600.0))
                    .unwrap_or_default(),
            ),
            (8, line.tier.as_str().into()),
            (9, yuan(line.unit_price_cents)),
            (10, yuan(line.amount_cents)),
        ]))?;
        for s in &line.shares {
            out.row(row(&[
                (0, "SHARE".into()),
                (1, id.clone()),
                (2, number.to_string()),
                (10, yuan(s.amount_cents)),
                (11, encode(Kind::Organization, s.organization_id)),
                (
                    12,
                    names.get(&s.organization_id).cloned().unwrap_or_default(),
                ),
                (13, s.share_percent.to_string()),
            ]))?;
        }
    }
    Ok(())
}

/// The SETTLEMENT rows (one per owner) and the TOTAL row.
fn total_rows(
    out: &mut Csv,
    invoice_id: Option<i64>,
    lines: &[InvoiceLine],
    names: &HashMap<i64, String>,
) -> ApiResult<()> {
    let id = invoice_id
        .map(|i| encode(Kind::Invoice, i))
        .unwrap_or_default();
    for (org, amount) in billing::invoice_settlement(lines) {
        out.row(row(&[
            (0, "SETTLEMENT".into()),
            (1, id.clone()),
            (10, yuan(amount)),
            (11, encode(Kind::Organization, org)),
            (12, names.get(&org).cloned().unwrap_or_default()),
        ]))?;
    }
    let total: i64 = lines.iter().map(|l| l.line.amount_cents).sum();
    out.row(row(&[(0, "TOTAL".into()), (1, id), (10, yuan(total))]))
}

async fn owner_names(state: &AppState, lines: &[InvoiceLine]) -> ApiResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = lines
        .iter()
        .flat_map(|l| l.line.shares.iter().map(|s| s.organization_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(billing::organization_names(&state.app, &ids).await?)
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}.csv", tag = "instruments",
    params(("id" = String, Path, description = "Global id of the invoice")),
    security(("bearer" = [])),
    responses((status = 200, description = "UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
        (status = 401, body = crate::rest::ErrorBody), (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/invoices/{id}.csv: an invoice as `invoice(id:)` shows it —
/// a `LINE` row per line (kind, booking, instrument, hours, tier, unit
/// price, amount), a `SHARE` row per owner's part of it, a `SETTLEMENT` row
/// per owner's total, then the `TOTAL` row (money in yuan). For the
/// center's staff and the client organisation's admins; NOT_FOUND to
/// everybody else.
pub async fn invoice_csv(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> ApiResult<Response> {
    let caller = identity.require()?;
    let id = file
        .strip_suffix(".csv")
        .and_then(|id| decode("id", Kind::Invoice, id).ok())
        .ok_or_else(|| ApiError::not_found("invoice"))?;
    let invoice: Invoice = billing::invoice(&state.app, caller, id).await?;
    let lines = billing::lines(&state.app, invoice.id).await?;
    let names = owner_names(&state, &lines).await?;
    let mut out = Csv::new();
    out.row(HEADER)?;
    line_rows(&mut out, &lines, &names)?;
    total_rows(&mut out, Some(invoice.id), &lines, &names)?;
    Ok(csv_response(
        &format!("invoice-{}.csv", invoice.id),
        out.finish()?,
    ))
}

/// The days of a settlement.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SettlementParams {
    /// The first day, `YYYY-MM-DD` (China Standard Time).
    pub from: String,
    /// The last day, inclusive, `YYYY-MM-DD` (at most 366 days after `from`).
    pub to: String,
}

fn day(field: &str, value: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, Message::new("date.invalid")))
}

#[utoipa::path(get, path = "/api/v1/centers/{id}/settlement.csv", tag = "instruments",
    params(("id" = String, Path, description = "Global id of the testing center"), SettlementParams),
    security(("bearer" = [])),
    responses((status = 200, description = "UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody),
        (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/centers/{id}/settlement.csv?from=&to=: the settlement of a
/// testing center as `centerSettlement(centerId:, from:, to:)` gives it —
/// its invoices (not VOID) whose period lies within the days: a `LINE` and
/// its `SHARE` rows per line, then a `SETTLEMENT` row per owning
/// organisation and the `TOTAL` row (money in yuan). For the center's
/// staff; NOT_FOUND to everybody else.
pub async fn center_settlement_csv(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let caller = identity.require()?;
    let id = decode("id", Kind::Center, &id).map_err(|_| ApiError::not_found("center"))?;
    if !billing::viewer_bills_for(&state.app, caller, id).await? {
        return Err(ApiError::not_found("center"));
    }
    let p: SettlementParams = crate::rest::query::params(raw)?;
    let (from, to) = (day("from", &p.from)?, day("to", &p.to)?);
    let settlement = billing::settlement(&state.app, caller, id, from, to).await?;
    let names = owner_names(&state, &settlement.lines).await?;
    let mut out = Csv::new();
    out.row(HEADER)?;
    line_rows(&mut out, &settlement.lines, &names)?;
    total_rows(&mut out, None, &settlement.lines, &names)?;
    Ok(csv_response(
        &format!("center-settlement-{from}-{to}.csv"),
        out.finish()?,
    ))
}
