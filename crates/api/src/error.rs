//! The API's error type: one place that maps every failure to an HTTP status
//! and a GraphQL `extensions.code`. The codes and messages are the
//! application's ([`iurhub_app::AppError`]); only rate limits are the
//! transport's own.

use async_graphql::ErrorExtensions;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iurhub_domain::{Locale, Message};

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
        /// The message key of the limit (`rate.graphql_per_user`, …).
        key: &'static str,
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
    /// A bad value of `field`, with a keyed message.
    pub fn invalid(field: &str, text: Message) -> Self {
        ApiError::App(AppError::invalid(field, text))
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::App(AppError::internal(err))
    }

    pub fn not_found(what: &'static str) -> Self {
        ApiError::App(AppError::NotFound(what))
    }

    /// UNAUTHENTICATED, with the message key (`auth.required`, …).
    pub fn unauthenticated(key: &'static str) -> Self {
        ApiError::App(AppError::Unauthenticated(key))
    }

    /// The database cannot be reached (a retryable 503).
    pub fn unavailable() -> Self {
        ApiError::App(AppError::Unavailable)
    }

    /// The message shown to the client, in English; never the cause of an
    /// internal error.
    pub fn message(&self) -> String {
        self.message_in(Locale::En)
    }

    /// The message in `locale`.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            ApiError::App(err) => err.message_in(locale),
            ApiError::RateLimited { .. } => self.text().render(locale),
        }
    }

    /// The keyed message.
    pub fn text(&self) -> Message {
        match self {
            ApiError::App(err) => err.text(),
            ApiError::RateLimited {
                key,
                retry_after_secs,
            } => Message::new(key).with("retryAfter", retry_after_secs),
        }
    }

    /// The stable message key.
    pub fn key(&self) -> String {
        self.text().key.into_owned()
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

    /// The fields the error is about, each with its code, key and message
    /// in `locale` (empty for errors about no field).
    pub fn fields_in(&self, locale: Locale) -> Vec<FieldProblem> {
        let ApiError::App(err) = self else {
            return Vec::new();
        };
        let code = err.code().as_str();
        err.fields()
            .into_iter()
            .map(|f| FieldProblem {
                field: f.field.clone(),
                code: code.to_owned(),
                key: f.key().to_owned(),
                message: f.message_in(locale),
            })
            .collect()
    }

    /// The error as a GraphQL response body (`{"errors": [...]}`), for
    /// refusals before execution; the request id is filled in by
    /// [`crate::rest::error_request_id`].
    pub fn graphql_body(&self) -> serde_json::Value {
        let locale = crate::i18n::current();
        serde_json::json!({ "errors": [{
            "message": self.message_in(locale),
            "extensions": {
                "code": self.code().as_str(),
                "key": self.key(),
                "fields": self.fields_in(locale),
                "requestId": null,
            },
        }] })
    }

    /// The REST body of the error, in `locale`.
    pub fn body(&self, locale: Locale) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            key: self.key(),
            message: self.message_in(locale),
            fields: self.fields_in(locale),
            request_id: None,
        }
    }
}

/// The vocabulary of error codes (`code` of every error and of every field
/// problem).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    BadUserInput,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    InternalServerError,
}

impl From<ErrorCode> for Code {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::BadUserInput => Code::BadUserInput,
            ErrorCode::Unauthenticated => Code::Unauthenticated,
            ErrorCode::Forbidden => Code::Forbidden,
            ErrorCode::NotFound => Code::NotFound,
            ErrorCode::Conflict => Code::Conflict,
            ErrorCode::RateLimited => Code::RateLimited,
            ErrorCode::InternalServerError => Code::InternalServerError,
        }
    }
}

/// One field an error is about.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The field as the client sent it: `email`, `input.title`,
    /// `input[2].disciplineCodes`.
    pub field: String,
    /// BAD_USER_INPUT for an invalid value, CONFLICT for a value that clashes
    /// with stored data.
    #[schema(value_type = Code)]
    pub code: String,
    /// The stable message key (`value.too_long`).
    pub key: String,
    /// The message, in the language of `Accept-Language`.
    pub message: String,
}

/// Every REST error: the same shape as a GraphQL error's `extensions`, plus
/// the message.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The error code, from the fixed vocabulary.
    #[serde(serialize_with = "code_str")]
    #[schema(value_type = Code)]
    pub code: ErrorCode,
    /// The stable message key (`need.not_found`, `value.required`), for
    /// clients that translate messages themselves.
    pub key: String,
    /// The message, in the language of `Accept-Language` (English or
    /// Chinese).
    pub message: String,
    /// Every field the error is about (always present; empty when it is
    /// about no field).
    pub fields: Vec<FieldProblem>,
    /// The `x-request-id` of the request (also in the response header).
    pub request_id: Option<String>,
}

fn code_str<S: serde::Serializer>(code: &ErrorCode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let body = self.body(crate::i18n::current());
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

/// The `extensions.fields` entry of a field problem.
pub fn field_value(field: &str, code: &str, key: &str, message: &str) -> async_graphql::Value {
    let mut map = async_graphql::indexmap::IndexMap::new();
    map.insert(async_graphql::Name::new("field"), field.into());
    map.insert(async_graphql::Name::new("code"), code.into());
    map.insert(async_graphql::Name::new("key"), key.into());
    map.insert(async_graphql::Name::new("message"), message.into());
    async_graphql::Value::Object(map)
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.log();
        let locale = crate::i18n::current();
        let code = err.code();
        let key = err.key();
        let fields: Vec<async_graphql::Value> = err
            .fields_in(locale)
            .iter()
            .map(|f| field_value(&f.field, &f.code, &f.key, &f.message))
            .collect();
        async_graphql::Error::new(err.message_in(locale)).extend_with(|_, e| {
            e.set("code", code.as_str());
            e.set("key", key);
            e.set("fields", fields);
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
                ApiError::invalid("title", Message::new("value.required")),
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
            ),
            (
                ApiError::unauthenticated("auth.required"),
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
            ),
            (
                ApiError::App(AppError::denied(Message::new("need.write.forbidden"))),
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
            ),
            (
                ApiError::not_found("need"),
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
            ),
            (
                ApiError::App(AppError::conflict_on("email", Message::new("email.taken"))),
                StatusCode::CONFLICT,
                "CONFLICT",
            ),
            (
                ApiError::RateLimited {
                    key: "rate.graphql_per_user",
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
        let err = ApiError::RateLimited {
            key: "rate.auth_per_ip",
            retry_after_secs: 7,
        };
        assert_eq!(
            err.message_in(Locale::Zh),
            "来自该地址的请求过于频繁，请 7 秒后重试"
        );
        assert_eq!(
            err.message(),
            "too many requests from this address: try again in 7 s"
        );
        let response = err.into_response();
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
        let err: ApiError =
            iurhub_domain::DomainError::keyed("title", Message::new("value.required")).into();
        let g = gql(err);
        assert_eq!(g.message, "title: must not be empty");
        let ext = g.extensions.unwrap();
        assert_eq!(ext.get("key").unwrap().to_string(), "\"value.required\"");
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
