//! The API's error type: one place that maps every failure to an HTTP status
//! and a GraphQL `extensions.code`.

use async_graphql::ErrorExtensions;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iurhub_domain::{DomainError, FieldError};
use iurhub_store::StoreError;
use serde_json::json;

/// The fixed vocabulary of error codes clients can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadUserInput,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    InternalServerError,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::InternalServerError => "INTERNAL_SERVER_ERROR",
        }
    }

    pub const fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Every failure a request can end with.
///
/// It deliberately does not implement `Display`: async-graphql converts any
/// `Display` type into an error without a code, and every API error must
/// carry one. [`ApiError::message`] is the text a client sees.
#[derive(Debug)]
pub enum ApiError {
    BadUserInput {
        message: String,
        fields: Vec<FieldError>,
    },
    Unauthenticated(&'static str),
    Forbidden(String),
    NotFound(&'static str),
    Conflict {
        message: String,
        field: Option<&'static str>,
    },
    /// A rate limit refused the request; the client may retry after
    /// `retry_after_secs` (the `Retry-After` header).
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    Unavailable,
    Internal(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::BadUserInput {
            message: format!("{field}: {message}"),
            fields: vec![FieldError::new(field, message)],
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }

    /// The message shown to the client; never the cause of an internal error.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadUserInput { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::RateLimited { message, .. } => message.clone(),
            ApiError::Unauthenticated(m) => (*m).to_owned(),
            ApiError::Forbidden(m) => m.clone(),
            ApiError::NotFound(what) => format!("{what} not found"),
            ApiError::Unavailable => "the database is unavailable, try again shortly".to_owned(),
            ApiError::Internal(_) => "internal error".to_owned(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadUserInput { .. } => ErrorCode::BadUserInput,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Conflict { .. } => ErrorCode::Conflict,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Unavailable | ApiError::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// The HTTP status: the code's, except that an unreachable database is a
    /// retryable 503 rather than a 500.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            other => other.code().status(),
        }
    }

    /// Logs the cause of a server-side failure once, at the boundary.
    fn log(&self) {
        match self {
            ApiError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "internal error")
            }
            ApiError::Unavailable => tracing::warn!("database unavailable"),
            _ => {}
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ApiError::BadUserInput { fields, .. } => json!({
                "fields": fields
                    .iter()
                    .map(|f| json!({"field": f.field, "message": f.message}))
                    .collect::<Vec<_>>()
            }),
            ApiError::Conflict {
                field: Some(field), ..
            } => json!({ "field": field }),
            _ => serde_json::Value::Null,
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => ApiError::BadUserInput {
                message: fields
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                fields,
            },
            DomainError::IllegalTransition { .. } => ApiError::BadUserInput {
                message: err.to_string(),
                fields: vec![FieldError::new("status", err.to_string())],
            },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        if err.is_unavailable() {
            return ApiError::Unavailable;
        }
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::Conflict { field, message } => ApiError::Conflict { message, field },
            StoreError::Domain(d) => d.into(),
            StoreError::Database(db) => ApiError::Internal(db.into()),
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

impl From<std::sync::Arc<StoreError>> for ApiError {
    fn from(err: std::sync::Arc<StoreError>) -> Self {
        match std::sync::Arc::try_unwrap(err) {
            Ok(e) => e.into(),
            Err(shared) if shared.is_unavailable() => ApiError::Unavailable,
            Err(shared) => match &*shared {
                StoreError::NotFound(what) => ApiError::NotFound(what),
                other => ApiError::Internal(anyhow::anyhow!("{other:#}")),
            },
        }
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
                ApiError::Unauthenticated("sign in"),
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
            ),
            (
                ApiError::forbidden("no"),
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
            ),
            (
                ApiError::NotFound("need"),
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
            ),
            (
                ApiError::Conflict {
                    message: "taken".into(),
                    field: Some("email"),
                },
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
                ApiError::Unavailable,
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
        let err: ApiError = DomainError::field("title", "must not be empty").into();
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
