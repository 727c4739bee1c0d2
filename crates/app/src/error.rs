//! The application's error type: what a read or write can end with, in the
//! fixed vocabulary of codes clients rely on. The transports map it to an
//! HTTP status or a GraphQL `extensions.code` (`iurhub_api::error`).

use std::sync::Arc;

use iurhub_domain::{DomainError, FieldError};
use iurhub_store::StoreError;

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
}

/// Every failure of the application layer.
///
/// It deliberately does not implement `Display`: async-graphql converts any
/// `Display` type into an error without a code, and every error must carry
/// one. [`AppError::message`] is the text a client sees.
#[derive(Debug)]
pub enum AppError {
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
    /// The database cannot be reached; the client may retry.
    Unavailable,
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::BadUserInput {
            message: format!("{field}: {message}"),
            fields: vec![FieldError::new(field, message)],
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// The message shown to the client; never the cause of an internal error.
    pub fn message(&self) -> String {
        match self {
            AppError::BadUserInput { message, .. } | AppError::Conflict { message, .. } => {
                message.clone()
            }
            AppError::Unauthenticated(m) => (*m).to_owned(),
            AppError::Forbidden(m) => m.clone(),
            AppError::NotFound(what) => format!("{what} not found"),
            AppError::Unavailable => "the database is unavailable, try again shortly".to_owned(),
            AppError::Internal(_) => "internal error".to_owned(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadUserInput { .. } => ErrorCode::BadUserInput,
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Conflict { .. } => ErrorCode::Conflict,
            AppError::Unavailable | AppError::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// The fields a bad input names, or the field a conflict is about.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            AppError::BadUserInput { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Logs the cause of a server-side failure once, at the boundary.
    pub fn log(&self) {
        match self {
            AppError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "internal error")
            }
            AppError::Unavailable => tracing::warn!("database unavailable"),
            _ => {}
        }
    }
}

impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => AppError::BadUserInput {
                message: fields
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                fields,
            },
            DomainError::IllegalTransition { .. } => AppError::BadUserInput {
                message: err.to_string(),
                fields: vec![FieldError::new("status", err.to_string())],
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        if err.is_unavailable() {
            return AppError::Unavailable;
        }
        match err {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict { field, message } => AppError::Conflict { message, field },
            StoreError::Domain(d) => d.into(),
            StoreError::Database(db) => AppError::Internal(db.into()),
        }
    }
}

impl From<Arc<StoreError>> for AppError {
    fn from(err: Arc<StoreError>) -> Self {
        match Arc::try_unwrap(err) {
            Ok(e) => e.into(),
            Err(shared) if shared.is_unavailable() => AppError::Unavailable,
            Err(shared) => match &*shared {
                StoreError::NotFound(what) => AppError::NotFound(what),
                other => AppError::Internal(anyhow::anyhow!("{other:#}")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_the_field() {
        let err: AppError = DomainError::field("title", "must not be empty").into();
        assert_eq!(err.message(), "title: must not be empty");
        assert_eq!(err.fields()[0].field, "title");
    }

    #[test]
    fn illegal_transition_is_bad_input_naming_states() {
        let err: AppError = iurhub_domain::NeedStatus::Closed
            .transition(iurhub_domain::NeedStatus::Published)
            .unwrap_err()
            .into();
        assert_eq!(err.code(), ErrorCode::BadUserInput);
        assert!(err.message().contains("CLOSED") && err.message().contains("PUBLISHED"));
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::internal(anyhow::anyhow!("near \"SELEC\": syntax error"));
        assert_eq!(err.message(), "internal error");
        assert_eq!(err.code(), ErrorCode::InternalServerError);
    }
}
