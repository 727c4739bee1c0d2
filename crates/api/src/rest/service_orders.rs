//! The report file of a service order over REST: `POST
//! /api/v1/service-orders/{id}/report` uploads it (the center's staff,
//! while the order is IN_PROGRESS; multipart/form-data, field `file`) and
//! `GET /api/v1/service-orders/{id}/report` downloads it (the client side
//! and the staff). The rules are in `iurhub_app::service_orders`; the file
//! is read and served as conversation attachments are.

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use iurhub_app::service_orders as service;
use iurhub_domain::records::service_orders::ServiceOrderReport;
use serde::Serialize;
use utoipa::ToSchema;

use super::ErrorBody;
use super::attachments::{file_response, read_file};
use super::query::path_id;
use crate::auth::Identity;
use crate::error::ApiResult;
use crate::graphql::ids::{Kind, encode};
use crate::state::AppState;

/// The report file of a service order.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceOrderReportDto {
    /// The order (`ServiceOrder.id`).
    pub order_id: String,
    /// The file name, made safe.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// The media type of the checked file type.
    pub content_type: String,
    pub created_at: DateTime<Utc>,
}

impl From<ServiceOrderReport> for ServiceOrderReportDto {
    fn from(r: ServiceOrderReport) -> Self {
        ServiceOrderReportDto {
            order_id: encode(Kind::ServiceOrder, r.order_id),
            name: r.name,
            size: r.size,
            content_type: r.content_type,
            created_at: r.created_at,
        }
    }
}

/// Attaches the test report of an IN_PROGRESS service order (the center's
/// staff), replacing the one it had: multipart/form-data with the file in
/// the field `file`. Checked like a conversation's attachment: PDF, PNG,
/// JPEG, DOCX, XLSX, PPTX, TXT or CSV by name and leading bytes, at most
/// `attachments_max_bytes` (413 beyond). 404 for who may not see the
/// order, 403 for its client side, 409 when the order is not IN_PROGRESS.
#[utoipa::path(post, path = "/api/v1/service-orders/{id}/report", tag = "service-orders",
    params(("id" = String, Path, description = "The order's global id (`ServiceOrder.id`)")),
    request_body(content_type = "multipart/form-data", description = "The file, in the field `file`"),
    security(("bearer" = [])),
    responses((status = 201, body = ServiceOrderReportDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody)))]
pub async fn upload_report(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    match upload(state, identity, id, multipart).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn upload(
    state: AppState,
    identity: Identity,
    id: String,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let app = &state.app;
    let caller = identity.require()?;
    let order_id = path_id(Kind::ServiceOrder, "service order", &id)?;
    // Refused before a byte of the file is read.
    service::may_upload_report(app, caller, order_id).await?;
    let (name, data) = match read_file(app, multipart).await? {
        Ok(file) => file,
        Err(refusal) => return Ok(refusal),
    };
    let report = service::upload_report(app, caller, order_id, &name, data).await?;
    Ok((
        StatusCode::CREATED,
        Json(ServiceOrderReportDto::from(report)),
    )
        .into_response())
}

/// Downloads the report of a service order, for its client side, the
/// center's staff and admins (404 for everyone else, as for an order
/// without a report). Served as a download with `X-Content-Type-Options:
/// nosniff`.
#[utoipa::path(get, path = "/api/v1/service-orders/{id}/report", tag = "service-orders",
    params(("id" = String, Path, description = "The order's global id (`ServiceOrder.id`)")),
    security(("bearer" = [])),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn download_report(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let caller = identity.require()?;
    let order_id = path_id(Kind::ServiceOrder, "service order", &id)?;
    let (report, bytes) = service::download_report(&state.app, caller, order_id).await?;
    Ok(file_response(bytes, &report.content_type, &report.name))
}
