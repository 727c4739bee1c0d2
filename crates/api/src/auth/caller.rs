//! Who is calling: resolved once per request from the bearer token.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

pub use iurhub_app::{Caller, Identity};

/// Resolves the bearer token of a request; a present but invalid token is
/// UNAUTHENTICATED rather than anonymous.
pub async fn identity_from_header(
    state: &AppState,
    header: Option<&str>,
) -> Result<Identity, ApiError> {
    let Some(value) = header else {
        return Ok(Identity::Anonymous);
    };
    let (user_id, _) = bearer_claims(state, value)?;
    Ok(iurhub_app::accounts::identity(&state.app, user_id).await?)
}

/// The user id and claims of a `Bearer <access token>` header value; a
/// malformed value or an invalid, expired or wrongly typed token is
/// UNAUTHENTICATED. HTTP requests and WebSocket sign-ins both verify here.
pub fn bearer_claims(
    state: &AppState,
    header: &str,
) -> Result<(i64, crate::auth::AccessClaims), ApiError> {
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::unauthenticated("auth.header.not_bearer"))?;
    state.jwt.verify_claims(token).map_err(|err| {
        tracing::debug!(%err, "access token refused");
        ApiError::unauthenticated("auth.token_invalid")
    })
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = match parts.headers.get(AUTHORIZATION) {
            Some(v) => Some(
                v.to_str()
                    .map_err(|_| ApiError::unauthenticated("auth.header.not_text"))?,
            ),
            None => None,
        };
        identity_from_header(state, header).await
    }
}
