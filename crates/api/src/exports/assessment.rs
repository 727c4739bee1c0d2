//! The annual open-sharing assessment of a testing center
//! (大型仪器开放共享评价考核) as a file a center hands in: one table of typed
//! cells, written as CSV (UTF-8 with a byte-order mark, every cell text)
//! and as an XLSX workbook (numbers as numbers, with their formats).

use axum::extract::State;
use axum::response::Response;
use iurhub_app::centers::Assessment;
use iurhub_domain::assessment::Figures;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Csv, ReviewParams, attachment, csv_response, hours, yuan};
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode, encode};
use crate::state::AppState;

const HEADER: [&str; 16] = [
    "scope",
    "id",
    "name",
    "registration_number",
    "original_value",
    "purchase_date",
    "effective_hours",
    "external_hours",
    "sharing_rate_percent",
    "users",
    "outside_organizations",
    "income",
    "service_orders",
    "training_sessions",
    "ratings",
    "rating_average",
];

/// One cell of the assessment table.
enum Cell {
    Text(String),
    /// Hours, shown without a trailing `.0` in CSV.
    Hours(f64),
    /// Fen, shown as yuan with two decimals.
    Yuan(i64),
    /// A ratio, shown as a percent with two decimals.
    Percent(f64),
    Count(u32),
    /// A mean score, two decimals.
    Average(f64),
    Empty,
}

impl Cell {
    /// The cell's CSV text (the numbers of `assessment(year:, centerId:)`).
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Hours(h) => hours(*h),
            Cell::Yuan(fen) => yuan(*fen),
            Cell::Percent(r) => format!("{:.2}", r * 100.0),
            Cell::Count(n) => n.to_string(),
            Cell::Average(a) => format!("{a:.2}"),
            Cell::Empty => String::new(),
        }
    }
}

/// The assessment columns after the instrument's own.
fn figure_cells(f: &Figures) -> [Cell; 10] {
    [
        Cell::Hours(f.effective_hours),
        Cell::Hours(f.external_hours),
        f.sharing_rate.map_or(Cell::Empty, Cell::Percent),
        Cell::Count(f.users),
        Cell::Count(f.outside_organizations),
        Cell::Yuan(f.income_cents),
        Cell::Count(f.service_orders),
        Cell::Count(f.training_sessions),
        Cell::Count(f.ratings),
        f.rating_average.map_or(Cell::Empty, Cell::Average),
    ]
}

/// The rows under the header: one CENTER row, then one INSTRUMENT row per
/// instrument by name.
fn rows(assessment: &Assessment) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for c in &assessment.centers {
        let mut row = vec![
            Cell::Text("CENTER".to_owned()),
            Cell::Text(encode(Kind::Center, c.center.id)),
            Cell::Text(c.center.name.clone()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ];
        row.extend(figure_cells(&c.figures));
        rows.push(row);
        for i in &c.instruments {
            let found = &i.instrument;
            let mut row = vec![
                Cell::Text("INSTRUMENT".to_owned()),
                Cell::Text(encode(Kind::Instrument, found.id)),
                Cell::Text(found.name.clone()),
                Cell::Text(found.registration_number.clone()),
                found.original_value_cents.map_or(Cell::Empty, Cell::Yuan),
                found.purchase_date.map_or(Cell::Empty, |d| {
                    Cell::Text(d.format("%Y-%m-%d").to_string())
                }),
            ];
            row.extend(figure_cells(&i.figures));
            rows.push(row);
        }
    }
    rows
}

/// The assessment of the center of `id` for the year asked, for whoever
/// may report on it (NOT_FOUND for an id of no center).
async fn assessment_of(
    state: &AppState,
    identity: Identity,
    id: &str,
    raw: Option<String>,
) -> ApiResult<(ReviewParams, Assessment)> {
    let caller = identity.require()?;
    let p: ReviewParams = crate::rest::query::params(raw)?;
    let id = decode("id", Kind::Center, id).map_err(|_| ApiError::not_found("center"))?;
    let assessment = iurhub_app::centers::assessment(&state.app, caller, p.year, Some(id)).await?;
    Ok((p, assessment))
}

#[utoipa::path(get, path = "/api/v1/centers/{id}/assessment.csv", tag = "instruments",
    params(("id" = String, Path, description = "Global id of the testing center"), ReviewParams),
    security(("bearer" = [])),
    responses((status = 200, description = "UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody),
        (status = 403, body = crate::rest::ErrorBody), (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/centers/{id}/assessment.csv?year=: the annual open-sharing
/// assessment of a testing center (大型仪器开放共享评价考核), the numbers of
/// `assessment(year:, centerId:)`: one CENTER row, then one INSTRUMENT row
/// per instrument by name (`registration_number, original_value,
/// purchase_date` for instruments only; money in yuan, the sharing rate in
/// percent). For platform staff, supervisors and the admins of the
/// organisations running or co-building the center.
pub async fn center_assessment_csv(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let (p, assessment) = assessment_of(&state, identity, &id, raw).await?;
    let mut out = Csv::new();
    out.row(HEADER)?;
    for row in rows(&assessment) {
        out.row(row.iter().map(Cell::text))?;
    }
    Ok(csv_response(
        &format!("center-assessment-{}.csv", p.year),
        out.finish()?,
    ))
}

/// The XLSX content type (ECMA-376).
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The workbook of one assessment: a sheet `Assessment <year>` with the
/// header of the CSV in bold, frozen above the rows; text cells are
/// strings (never formulas), figures numbers with their formats (yuan and
/// percents with two decimals).
fn workbook(year: i32, assessment: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let two = Format::new().set_num_format("0.00");
    let hours = Format::new().set_num_format("0.##");
    let whole = Format::new().set_num_format("0");
    let sheet = book.add_worksheet();
    sheet.set_name(format!("Assessment {year}"))?;
    for (col, name) in (0u16..).zip(HEADER) {
        sheet.write_string_with_format(0, col, name, &bold)?;
        sheet.set_column_width(col, if col == 2 { 36 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, cells) in (1u32..).zip(rows(assessment)) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(row, col, s)?;
                }
                Cell::Hours(h) => {
                    sheet.write_number_with_format(row, col, h, &hours)?;
                }
                Cell::Yuan(fen) => {
                    sheet.write_number_with_format(row, col, fen as f64 / 100.0, &two)?;
                }
                Cell::Percent(r) => {
                    sheet.write_number_with_format(row, col, r * 100.0, &two)?;
                }
                Cell::Count(n) => {
                    sheet.write_number_with_format(row, col, f64::from(n), &whole)?;
                }
                Cell::Average(a) => {
                    sheet.write_number_with_format(row, col, a, &two)?;
                }
                Cell::Empty => {}
            }
        }
    }
    book.save_to_buffer()
}

#[utoipa::path(get, path = "/api/v1/centers/{id}/assessment.xlsx", tag = "instruments",
    params(("id" = String, Path, description = "Global id of the testing center"), ReviewParams),
    security(("bearer" = [])),
    responses((status = 200, description = "An XLSX workbook (Office Open XML)",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = crate::rest::ErrorBody), (status = 401, body = crate::rest::ErrorBody),
        (status = 403, body = crate::rest::ErrorBody), (status = 404, body = crate::rest::ErrorBody)))]
/// GET /api/v1/centers/{id}/assessment.xlsx?year=: the same assessment as
/// `assessment.csv`, as an XLSX workbook: one sheet `Assessment <year>`,
/// the same columns and rows, figures as numbers (money in yuan and the
/// sharing rate in percent, two decimals), text as text. Same readers.
pub async fn center_assessment_xlsx(
    State(state): State<AppState>,
    identity: Identity,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> ApiResult<Response> {
    let (p, assessment) = assessment_of(&state, identity, &id, raw).await?;
    let body = workbook(p.year, &assessment).map_err(ApiError::internal)?;
    Ok(attachment(
        XLSX,
        &format!("center-assessment-{}.xlsx", p.year),
        body,
    ))
}
