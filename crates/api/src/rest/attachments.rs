//! Attachments of conversations over REST: `POST
//! /api/v1/threads/{id}/attachments` uploads one file (multipart/form-data,
//! field `file`) and `GET /api/v1/attachments/{id}` downloads it. The rules
//! (who, which files, which names, how large) are in
//! `iurhub_app::threads`; here the file is streamed in, never held beyond
//! the limit, and served with headers that keep a browser from running it.

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use chrono::{DateTime, Utc};
use iurhub_app::threads;
use iurhub_domain::Message;
use iurhub_domain::records::threads::Attachment;
use serde::Serialize;
use utoipa::ToSchema;

use super::ErrorBody;
use super::query::path_id;
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult, AppError};
use crate::graphql::ids::{Kind, encode};
use crate::state::AppState;

/// An uploaded file.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentDto {
    /// Name it in `postMessage(input: {attachmentIds})`.
    pub id: String,
    /// The conversation it was uploaded to.
    pub thread_id: String,
    /// The file name, made safe.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// The media type of the checked file type.
    pub content_type: String,
    pub created_at: DateTime<Utc>,
}

impl From<Attachment> for AttachmentDto {
    fn from(a: Attachment) -> Self {
        AttachmentDto {
            id: encode(Kind::Attachment, a.id),
            thread_id: encode(Kind::Thread, a.thread_id),
            name: a.name,
            size: a.size,
            content_type: a.content_type,
            created_at: a.created_at,
        }
    }
}

/// The refusal of a file over `max` bytes: 413 with the usual body (code
/// BAD_USER_INPUT, key `attachment.too_large`, field `file`) and
/// `Connection: close` — the rest of the body is never read, so the
/// connection cannot carry another request and a client must not keep it.
fn too_large(max: u64) -> Response {
    let mut response = ApiError::from(threads::too_large(max)).into_response();
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn bad_multipart() -> Response {
    ApiError::from(AppError::invalid(
        "file",
        Message::new("attachment.multipart.invalid"),
    ))
    .into_response()
}

fn multipart_error(err: &MultipartError, max: u64) -> Response {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max)
    } else {
        bad_multipart()
    }
}

/// Uploads a file to a conversation: multipart/form-data with the file in
/// the field `file` (its file name is kept, made safe). Accepted: PDF, PNG,
/// JPEG, DOCX, XLSX, PPTX, TXT and CSV, checked by name and by the file's
/// leading bytes; at most `attachments_max_bytes` (20 MiB by default), else
/// 413. The file is on no message until `postMessage` names it; one no
/// message names within a day is dropped.
#[utoipa::path(post, path = "/api/v1/threads/{id}/attachments", tag = "threads",
    params(("id" = String, Path, description = "The conversation's global id (`Thread.id`)")),
    request_body(content_type = "multipart/form-data", description = "The file, in the field `file`"),
    security(("bearer" = [])),
    responses((status = 201, body = AttachmentDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn upload_attachment(
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
    let thread_id = path_id(Kind::Thread, "thread", &id)?;
    // Refused before a byte of the file is read.
    threads::may_upload(app, caller, thread_id).await?;
    let (name, data) = match read_file(app, multipart).await? {
        Ok(file) => file,
        Err(refusal) => return Ok(refusal),
    };
    let attachment = threads::upload(app, caller, thread_id, &name, data).await?;
    Ok((StatusCode::CREATED, Json(AttachmentDto::from(attachment))).into_response())
}

/// The file of an upload: the field `file` of a multipart/form-data body,
/// streamed in and never held beyond the attachment limit, with its file
/// name. `Ok(Err(response))`: the refusal to send as it is (413 with
/// `Connection: close` past the limit, 400 for a broken body).
pub async fn read_file(
    app: &iurhub_app::App,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Result<(String, bytes::Bytes), Response>> {
    let max = threads::max_attachment_bytes(app);
    let Ok(mut multipart) = multipart else {
        return Ok(Err(bad_multipart()));
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => {
                return Err(
                    AppError::invalid("file", Message::new("attachment.file.missing")).into(),
                );
            }
            Err(err) => return Ok(Err(multipart_error(&err, max))),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut data = BytesMut::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if (data.len() + chunk.len()) as u64 > max {
                        return Ok(Err(too_large(max)));
                    }
                    data.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) => return Ok(Err(multipart_error(&err, max))),
            }
        }
        return Ok(Ok((name, data.freeze())));
    }
}

/// `Content-Disposition: attachment` with the name as an RFC 6266
/// `filename*` (UTF-8, percent-encoded) and an ASCII `filename` for old
/// clients (other characters as `_`).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        // RFC 8187 attr-char.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Downloads an attachment, for those who may see its conversation (404
/// for everyone else, as for a missing one). Always served as a download
/// (`Content-Disposition: attachment`) with `X-Content-Type-Options:
/// nosniff`.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "threads",
    params(("id" = String, Path, description = "The attachment's global id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    identity.require()?;
    let id = path_id(Kind::Attachment, "attachment", &id)?;
    let (attachment, bytes) = threads::download(&state.app, &identity, id).await?;
    Ok(file_response(
        bytes,
        &attachment.content_type,
        &attachment.name,
    ))
}

/// A stored file served as a download (`Content-Disposition: attachment`)
/// that a browser never runs nor sniffs, nor keeps.
pub fn file_response(bytes: bytes::Bytes, content_type: &str, name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let value = |v: &str| {
        HeaderValue::from_str(v)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, value(content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_offered_as_rfc_6266_filename_star() {
        assert_eq!(
            super::content_disposition("报告 v2.pdf"),
            "attachment; filename=\"__ v2.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20v2.pdf"
        );
        assert_eq!(
            super::content_disposition("a\"b.txt"),
            "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt"
        );
    }
}
