//! `/api/v1/auth`: register, login, refresh (rotating), logout.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::password::{dummy_hash, hash_password, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use iurhub_domain::validate;

/// A new account.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    #[schema(
        pattern = r"^\s*[^@\s]+@[^@\s.]([^@\s]*[^@\s.])?\.[^@\s.]+\s*$",
        max_length = 254
    )]
    pub email: String,
    /// 10 to 128 characters, no control characters, not only spaces.
    #[schema(
        min_length = 10,
        max_length = 128,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub password: String,
    /// 1 to 100 characters besides surrounding spaces; no control characters
    /// other than tab and line breaks, no bidirectional overrides or isolates.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$",
        min_length = 1,
        max_length = 100
    )]
    pub display_name: String,
}

/// The account created.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
}

/// Credentials.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A refresh token (single use).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A fresh pair of tokens.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// Runs a CPU-heavy password operation off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)
}

/// Creates an account (no platform role, no organisation yet).
///
/// Limited per client IP: 429 `RATE_LIMITED` with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", security(()),
    request_body = RegisterRequest,
    responses((status = 201, body = RegisteredUser), (status = 400, body = crate::rest::ErrorBody),
        (status = 409, body = crate::rest::ErrorBody), (status = 415, body = crate::rest::ErrorBody),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds (code RATE_LIMITED)", body = crate::rest::ErrorBody,
            headers(("retry-after" = u64, description = "Seconds to wait before trying again")))))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<impl IntoResponse> {
    // Every bad field at once: missing ones, wrong types, broken rules.
    let mut v = validate::Validator::new();
    let mut text = |name: &'static str| match body.get(name) {
        None | Some(serde_json::Value::Null) => {
            v.fail(name, iurhub_domain::Message::new("body.missing_field"));
            None
        }
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            v.fail(
                name,
                iurhub_domain::Message::new("body.wrong_type").with("expected", "a string"),
            );
            None
        }
    };
    let (email, password, display_name) = (text("email"), text("password"), text("displayName"));
    if !body.is_object() {
        return Err(ApiError::App(iurhub_app::AppError::invalid(
            "body",
            iurhub_domain::Message::new("body.wrong_type").with("expected", "an object"),
        )));
    }
    let display_name = display_name.map(|d| v.text("displayName", &d, 1, 100));
    let email = email.and_then(|e| match validate::email("email", &e) {
        Ok(e) => Some(e),
        Err(iurhub_domain::DomainError::Validation(errors)) => {
            v.extend(errors);
            None
        }
        Err(_) => None,
    });
    if let Some(p) = &password
        && let Err(iurhub_domain::DomainError::Validation(errors)) =
            validate::password("password", p)
    {
        v.extend(errors);
    }
    v.finish()?;
    let (Some(email), Some(password), Some(display_name)) = (email, password, display_name) else {
        return Err(ApiError::App(iurhub_app::AppError::invalid(
            "body",
            iurhub_domain::Message::new("body.incomplete"),
        )));
    };
    let req = RegisterRequest {
        email: email.clone(),
        password,
        display_name,
    };
    let display_name = req.display_name.clone();
    let hash = blocking(move || hash_password(&req.password))
        .await?
        .map_err(ApiError::internal)?;
    let user = iurhub_app::accounts::register(&state.app, &email, &hash, &display_name).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisteredUser {
            id: crate::graphql::ids::encode(crate::graphql::ids::Kind::User, user.id),
            email: user.email,
            display_name: user.display_name,
        }),
    ))
}

/// Signs in: an access token (15 minutes) and a refresh token.
///
/// Limited per client IP and per account (every attempt on one e-mail
/// address counts): 429 `RATE_LIMITED` with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 400, body = crate::rest::ErrorBody),
        (status = 401, body = crate::rest::ErrorBody), (status = 415, body = crate::rest::ErrorBody),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds (code RATE_LIMITED)", body = crate::rest::ErrorBody,
            headers(("retry-after" = u64, description = "Seconds to wait before trying again")))))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenPair>> {
    let refused = ApiError::unauthenticated("auth.bad_credentials");
    let Ok(email) = validate::email("email", &req.email) else {
        return Err(refused);
    };
    // Every attempt on an account counts, from any address, right or wrong,
    // before the password is looked at.
    state.limits.check_login_account(&email)?;
    let found = iurhub_app::accounts::credentials(&state.app, &email).await?;
    let (user_id, hash) = match found {
        Some((user, hash)) => (Some(user.id), hash),
        None => (None, dummy_hash().to_owned()),
    };
    let password = req.password;
    let ok = blocking(move || verify_password(&password, &hash)).await?;
    match (user_id, ok) {
        (Some(id), true) => Ok(Json(issue_pair(&state, id, None).await?)),
        _ => Err(refused),
    }
}

/// Trades a refresh token for a new pair; a token presented twice revokes
/// every token of that sign-in.
///
/// Limited per client IP: 429 `RATE_LIMITED` with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", security(()),
    request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 400, body = crate::rest::ErrorBody),
        (status = 401, body = crate::rest::ErrorBody), (status = 415, body = crate::rest::ErrorBody),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds (code RATE_LIMITED)", body = crate::rest::ErrorBody,
            headers(("retry-after" = u64, description = "Seconds to wait before trying again")))))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    let refused = ApiError::unauthenticated("auth.refresh_invalid");
    let Some(stored) =
        iurhub_app::accounts::refresh_token(&state.app, &digest(&req.refresh_token)).await?
    else {
        return Err(refused);
    };
    if stored.revoked_at.is_some() || stored.used_at.is_some() {
        // A used token came back: someone holds a copy. End the whole family.
        tracing::warn!(
            user_id = stored.user_id,
            "refresh token reuse detected; family revoked"
        );
        iurhub_app::accounts::end_sign_in(&state.app, &stored.family_id).await?;
        return Err(refused);
    }
    if stored.expires_at <= Utc::now() {
        return Err(refused);
    }
    if !iurhub_app::accounts::consume_refresh_token(&state.app, stored.id).await? {
        iurhub_app::accounts::end_sign_in(&state.app, &stored.family_id).await?;
        return Err(refused);
    }
    if iurhub_app::accounts::user(&state.app, stored.user_id)
        .await?
        .is_none()
    {
        return Err(refused);
    }
    Ok(Json(
        issue_pair(&state, stored.user_id, Some(stored.family_id)).await?,
    ))
}

/// Ends a sign-in: its refresh tokens are revoked.
// Its WebSockets are closed too (4401); its access tokens stay valid over
// HTTP until they expire.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(()),
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"), (status = 400, body = crate::rest::ErrorBody),
        (status = 415, body = crate::rest::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<StatusCode> {
    if let Some(stored) =
        iurhub_app::accounts::refresh_token(&state.app, &digest(&req.refresh_token)).await?
    {
        iurhub_app::accounts::end_sign_in(&state.app, &stored.family_id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A password change: the current password and the new one.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    /// The password the account has now.
    pub current_password: String,
    /// 10 to 128 characters, no control characters, not only spaces.
    #[schema(
        min_length = 10,
        max_length = 128,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub new_password: String,
}

/// Changes the signed-in user's password. Every other sign-in of the user
/// ends (its refresh tokens are revoked and its WebSockets closed with
/// 4401); the sign-in of the access token used here goes on.
///
/// Limited like a sign-in, per account (every attempt counts): 429
/// `RATE_LIMITED` with `Retry-After`. A wrong current password is 403
/// `FORBIDDEN` with the key `account.password.wrong`.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Password changed; other sign-ins ended"),
        (status = 400, body = crate::rest::ErrorBody),
        (status = 401, body = crate::rest::ErrorBody), (status = 403, body = crate::rest::ErrorBody),
        (status = 415, body = crate::rest::ErrorBody),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds (code RATE_LIMITED)", body = crate::rest::ErrorBody,
            headers(("retry-after" = u64, description = "Seconds to wait before trying again")))))]
pub async fn change_password(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    let header = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::unauthenticated("auth.required"))?;
    let (user_id, claims) = super::bearer_claims(&state, header)?;
    let user = iurhub_app::accounts::user(&state.app, user_id)
        .await?
        .ok_or(ApiError::unauthenticated("auth.user_gone"))?;
    if let Some(sid) = &claims.sid
        && iurhub_app::accounts::sign_in_revoked(&state.app, sid).await?
    {
        return Err(ApiError::unauthenticated("auth.sign_in_ended"));
    }
    validate::password("newPassword", &req.new_password)?;
    // Guessing the current password is as slow as guessing at sign-in.
    state.limits.check_login_account(&user.email)?;
    let Some((_, hash)) = iurhub_app::accounts::credentials(&state.app, &user.email).await? else {
        return Err(ApiError::unauthenticated("auth.user_gone"));
    };
    let current = req.current_password;
    if !blocking(move || verify_password(&current, &hash)).await? {
        // Well-formed but not proven: 403, so a client does not take it for
        // an expired token (401) or a malformed request (400).
        return Err(iurhub_app::AppError::keyed(
            iurhub_app::ErrorCode::Forbidden,
            iurhub_domain::Message::new("account.password.wrong"),
        )
        .into());
    }
    let new_password = req.new_password;
    let hash = blocking(move || hash_password(&new_password))
        .await?
        .map_err(ApiError::internal)?;
    iurhub_app::accounts::change_password(&state.app, user.id, &hash, claims.sid.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue_pair(
    state: &AppState,
    user_id: i64,
    family: Option<String>,
) -> ApiResult<TokenPair> {
    let refresh_token = random_token(32);
    let family = family.unwrap_or_else(|| random_token(16));
    // The access token names its sign-in: WebSockets signed in with it end
    // when the sign-in is revoked.
    let access_token = state
        .jwt
        .issue(user_id, &family)
        .map_err(ApiError::internal)?;
    let expires_at = Utc::now() + Duration::seconds(state.settings.refresh_token_ttl_secs as i64);
    iurhub_app::accounts::keep_refresh_token(
        &state.app,
        user_id,
        &family,
        &digest(&refresh_token),
        expires_at,
    )
    .await?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs(),
    })
}

pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Refresh tokens are stored as SHA-256 digests only.
pub(crate) fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}
