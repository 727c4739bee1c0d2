//! The API's error type: one place that maps every failure to an HTTP status
//! and a GraphQL `extensions.code`. The codes and messages are the
//! application's ([`iurhub_app::AppError`]); only rate limits are the
//! transport's own.

use async_graphql::ErrorExtensions;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub use iurhub_app::{AppError, ErrorCode};

/// The HTTP status of a code.
pub const fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every failure a request can end with: the application's, or a rate limit
/// of the transport.
///
/// It deliberately does not implement `Display`: async-graphql converts any
/// `Display` type into an error without a code, and every API error must
/// carry one. [`ApiError::message`] is the text a client sees.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// A rate limit refused the request; the client may retry after
    /// `retry_after_secs` (the `Retry-After` header).
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError::App(err)
    }
}

impl From<iurhub_domain::DomainError> for ApiError {
    fn from(err: iurhub_domain::DomainError) -> Self {
        ApiError::App(err.into())
    }
}

impl From<std::sync::Arc<AppError>> for ApiError {
    fn from(err: std::sync::Arc<AppError>) -> Self {
        match std::sync::Arc::try_unwrap(err) {
            Ok(e) => ApiError::App(e),
            Err(shared) => ApiError::App(match &*shared {
                AppError::Unavailable => AppError::Unavailable,
                AppError::NotFound(what) => AppError::NotFound(what),
                other => AppError::internal(anyhow::anyhow!("{}", other.message())),
            }),
        }
    }
}

impl ApiError {
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        ApiError::App(AppError::bad_input(field, message))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::App(AppError::forbidden(message))
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::App(AppError::internal(err))
    }

    pub fn not_found(what: &'static str) -> Self {
        ApiError::App(AppError::NotFound(what))
    }

    pub fn unauthenticated(message: &'static str) -> Self {
        ApiError::App(AppError::Unauthenticated(message))
    }

    /// The database cannot be reached (a retryable 503).
    pub fn unavailable() -> Self {
        ApiError::App(AppError::Unavailable)
    }

    /// The message shown to the client; never the cause of an internal error.
    pub fn message(&self) -> String {
        match self {
            ApiError::App(err) => err.message(),
            ApiError::RateLimited { message, .. } => message.clone(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::App(err) => err.code(),
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
        }
    }

    /// The HTTP status: the code's, except that an unreachable database is a
    /// retryable 503 rather than a 500.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::App(AppError::Unavailable) => StatusCode::SERVICE_UNAVAILABLE,
            other => status_of(other.code()),
        }
    }

    /// Logs the cause of a server-side failure once, at the boundary.
    fn log(&self) {
        if let ApiError::App(err) = self {
            err.log();
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ApiError::App(AppError::BadUserInput { fields, .. }) => json!({
                "fields": fields
                    .iter()
                    .map(|f| json!({"field": f.field, "message": f.message}))
                    .collect::<Vec<_>>()
            }),
            ApiError::App(AppError::Conflict {
                field: Some(field), ..
            }) => json!({ "field": field }),
            _ => serde_json::Value::Null,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let code = self.code();
        let mut body = json!({ "code": code.as_str(), "message": self.message() });
        let details = self.details();
        if !details.is_null() {
            body["details"] = details;
        }
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::RateLimited {
            retry_after_secs, ..
        } = self
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_secs),
            );
        }
        response
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.log();
        let code = err.code();
        let details = err.details();
        async_graphql::Error::new(err.message()).extend_with(|_, e| {
            e.set("code", code.as_str());
            if let Some(fields) = details.get("fields").and_then(|f| f.as_array()) {
                if let Some(first) = fields.first().and_then(|f| f.get("field")) {
                    e.set("field", first.as_str().unwrap_or_default());
                }
                let list: Vec<async_graphql::Value> = fields
                    .iter()
                    .map(|f| async_graphql::Value::from_json(f.clone()).unwrap_or_default())
                    .collect();
                e.set("fields", list);
            }
            if let Some(field) = details.get("field").and_then(|f| f.as_str()) {
                e.set("field", field);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gql(err: ApiError) -> async_graphql::Error {
        err.into()
    }

    fn code_of(err: &async_graphql::Error) -> String {
        let ext = err.extensions.as_ref().expect("extensions");
        ext.get("code")
            .unwrap()
            .to_string()
            .trim_matches('"')
            .to_owned()
    }

    #[test]
    fn every_variant_maps_to_status_and_code() {
        let cases: Vec<(ApiError, StatusCode, &str)> = vec![
            (
                ApiError::bad_input("title", "must not be empty"),
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
            ),
            (
                ApiError::unauthenticated("sign in"),
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
            ),
            (
                ApiError::forbidden("no"),
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
            ),
            (
                ApiError::not_found("need"),
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
            ),
            (
                ApiError::App(AppError::Conflict {
                    message: "taken".into(),
                    field: Some("email"),
                }),
                StatusCode::CONFLICT,
                "CONFLICT",
            ),
            (
                ApiError::RateLimited {
                    message: "slow down".into(),
                    retry_after_secs: 3,
                },
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
            ),
            (
                ApiError::unavailable(),
                StatusCode::SERVICE_UNAVAILABLE,
                "INTERNAL_SERVER_ERROR",
            ),
            (
                ApiError::internal(anyhow::anyhow!("SELECT secret FROM x")),
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
            ),
        ];
        for (err, status, code) in cases {
            assert_eq!(err.status(), status);
            assert_eq!(err.code().as_str(), code);
            assert_eq!(code_of(&gql(err)), code);
        }
    }

    #[test]
    fn rate_limited_responses_say_when_to_retry() {
        let response = ApiError::RateLimited {
            message: "too many requests: try again in 7 s".into(),
            retry_after_secs: 7,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "7");
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = gql(ApiError::internal(anyhow::anyhow!(
            "near \"SELEC\": syntax error at /src/x.rs"
        )));
        assert_eq!(err.message, "internal error");
    }

    #[test]
    fn validation_errors_name_the_field() {
        let err: ApiError = iurhub_domain::DomainError::field("title", "must not be empty").into();
        let g = gql(err);
        assert_eq!(g.message, "title: must not be empty");
        let ext = g.extensions.unwrap();
        assert_eq!(ext.get("field").unwrap().to_string(), "\"title\"");
    }

    #[test]
    fn illegal_transition_is_bad_input_naming_states() {
        let err: ApiError = iurhub_domain::NeedStatus::Closed
            .transition(iurhub_domain::NeedStatus::Published)
            .unwrap_err()
            .into();
        assert_eq!(err.code(), ErrorCode::BadUserInput);
        assert!(err.message().contains("CLOSED") && err.message().contains("PUBLISHED"));
    }
}
