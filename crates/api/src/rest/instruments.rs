//! `GET /api/v1/instruments` and one instrument of the testing centers:
//! every instrument for signed-in users, the public catalogue for
//! anonymous visitors.

use axum::Json;
use iurhub_app::instruments::{self, InstrumentSort};
use iurhub_domain::InstrumentStatus;
use iurhub_domain::records::instruments::Instrument;
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, id_of, list_params, order, organization_id};
use super::{ErrorBody, ListPage, list};
use crate::error::ApiResult;
use crate::graphql::ids::{Kind, encode};

/// An instrument of the testing center.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentDto {
    pub id: String,
    /// The organisation running it.
    pub organization_id: String,
    /// The testing center it belongs to.
    pub center_id: String,
    pub name: String,
    pub model: String,
    pub category: String,
    pub location: String,
    /// Hourly price of the INTERNAL tier (the owners and below them).
    pub rate_internal: super::MoneyDto,
    /// Hourly price of the GROUP tier (the owners' legal entities, the
    /// organisations running or co-building the center).
    pub rate_group: super::MoneyDto,
    /// Hourly price of the EXTERNAL tier (everybody else).
    pub rate_external: super::MoneyDto,
    pub requires_qualification: bool,
    pub status: super::enums::InstrumentStatus,
    pub description: String,
    /// What it cost; null when not recorded.
    pub original_value: Option<super::MoneyDto>,
    /// When it was bought (`YYYY-MM-DD`).
    pub purchase_date: Option<String>,
    pub registration_number: String,
    /// Shown in the public catalogue.
    pub public: bool,
}

impl From<Instrument> for InstrumentDto {
    fn from(i: Instrument) -> Self {
        InstrumentDto {
            id: encode(Kind::Instrument, i.id),
            organization_id: encode(Kind::Organization, i.organization_id),
            center_id: encode(Kind::Center, i.center_id),
            name: i.name,
            model: i.model,
            category: i.category,
            location: i.location,
            rate_internal: super::MoneyDto::fen(i.rate_internal_cents),
            rate_group: super::MoneyDto::fen(i.rate_group_cents),
            rate_external: super::MoneyDto::fen(i.rate_external_cents),
            requires_qualification: i.requires_qualification,
            status: i.status.into(),
            description: i.description,
            original_value: i.original_value_cents.map(super::MoneyDto::fen),
            purchase_date: i.purchase_date.map(|d| d.format("%Y-%m-%d").to_string()),
            registration_number: i.registration_number,
            public: i.public,
        }
    }
}

list_params! {
    /// Filters and paging of `GET /api/v1/instruments`.
    pub struct InstrumentParams {
        first,
        after,
        total_count,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub organization_id,
        #[param(pattern = r"^[A-Za-z0-9_-]{1,64}$", max_length = 64)]
        pub center_id,
        #[param(max_length = 100)]
        pub category,
        /// Free text (Chinese or English): every word of it is in the
        /// instrument's name, model, category, location or description.
        #[param(max_length = 200)]
        pub search,
        /// Comma-separated statuses.
        #[param(pattern = r"^(AVAILABLE|MAINTENANCE|RETIRED)(,(AVAILABLE|MAINTENANCE|RETIRED))*$")]
        pub status,
        /// NAME (default) or CREATED_AT.
        #[param(pattern = r"^(NAME|CREATED_AT)$")]
        pub order_by,
        /// ASC (default) or DESC.
        #[param(pattern = r"^(ASC|DESC)$")]
        pub direction,
    }
}

/// The instruments: all of them for signed-in users, the public ones for
/// anonymous visitors (the public catalogue); by name unless `orderBy` says
/// otherwise.
#[utoipa::path(get, path = "/api/v1/instruments", tag = "instruments", params(InstrumentParams),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListPage<InstrumentDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_instruments(call: ListCall) -> ApiResult<Json<ListPage<InstrumentDto>>> {
    let (p, paging): (InstrumentParams, _) = call.request()?;
    let (sort, descending, tag) = order(
        "instruments",
        p.order_by.as_deref(),
        Some(p.direction.as_deref().unwrap_or("ASC")),
        &[
            ("NAME", InstrumentSort::Name),
            ("CREATED_AT", InstrumentSort::CreatedAt),
        ],
    )?;
    let statuses = list::<InstrumentStatus>("status", p.status.as_deref())?;
    let center_id = id_of("centerId", Kind::Center, p.center_id.as_deref())?;
    let query = instruments::InstrumentQuery {
        organization_id: organization_id(p.organization_id.as_deref())?,
        center_id,
        category: p.category,
        statuses,
        search: p.search,
    };
    let found = instruments::list(
        &call.state.app,
        &call.who,
        query,
        (sort, descending),
        paging.args(&tag)?,
    )
    .await?;
    Ok(call.page(&tag, found, InstrumentDto::from))
}

/// One instrument: any for signed-in users, a public one for anonymous
/// visitors (401 for any other id).
#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "instruments",
    params(("id" = String, Path, description = "Global id")),
    security((), ("bearer" = [])),
    responses((status = 200, body = InstrumentDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_instrument(call: ItemCall) -> ApiResult<Json<InstrumentDto>> {
    let id = call.id(Kind::Instrument, "instrument")?;
    Ok(Json(
        instruments::readable(&call.state.app, &call.who, id)
            .await?
            .into(),
    ))
}
