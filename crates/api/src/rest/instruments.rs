//! `GET /api/v1/instruments` and one instrument of the testing center.

use axum::Json;
use iurhub_app::instruments::{self, InstrumentSort};
use iurhub_domain::InstrumentStatus;
use iurhub_domain::records::instruments::Instrument;
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{ItemCall, ListCall, list_params, order, organization_id};
use super::{ErrorBody, ListPage, list};
use crate::error::ApiResult;
use crate::graphql::ids::{Kind, encode};

/// An instrument of the testing center.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentDto {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub model: String,
    pub category: String,
    pub location: String,
    /// Hourly rate for the owning organisation.
    pub rate_internal: super::MoneyDto,
    /// Hourly rate for other organisations.
    pub rate_external: super::MoneyDto,
    pub requires_qualification: bool,
    pub status: super::enums::InstrumentStatus,
    pub description: String,
}

impl From<Instrument> for InstrumentDto {
    fn from(i: Instrument) -> Self {
        InstrumentDto {
            id: encode(Kind::Instrument, i.id),
            organization_id: encode(Kind::Organization, i.organization_id),
            name: i.name,
            model: i.model,
            category: i.category,
            location: i.location,
            rate_internal: super::MoneyDto::fen(i.rate_internal_cents),
            rate_external: super::MoneyDto::fen(i.rate_external_cents),
            requires_qualification: i.requires_qualification,
            status: i.status.into(),
            description: i.description,
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
        #[param(max_length = 100)]
        pub category,
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

/// The testing center's instruments (signed-in users), by name unless
/// `orderBy` says otherwise.
#[utoipa::path(get, path = "/api/v1/instruments", tag = "instruments", params(InstrumentParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListPage<InstrumentDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list_instruments(call: ListCall) -> ApiResult<Json<ListPage<InstrumentDto>>> {
    call.who.require()?;
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
    let found = instruments::list(
        &call.state.app,
        organization_id(p.organization_id.as_deref())?,
        p.category.as_deref(),
        &statuses,
        (sort, descending),
        paging.args(&tag)?,
    )
    .await?;
    Ok(call.page(&tag, found, InstrumentDto::from))
}

/// One instrument (signed-in users).
#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "instruments",
    params(("id" = String, Path, description = "Global id")),
    security(("bearer" = [])),
    responses((status = 200, body = InstrumentDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_instrument(call: ItemCall) -> ApiResult<Json<InstrumentDto>> {
    call.who.require()?;
    let id = call.id(Kind::Instrument, "instrument")?;
    Ok(Json(
        instruments::instrument(&call.state.app, id).await?.into(),
    ))
}
