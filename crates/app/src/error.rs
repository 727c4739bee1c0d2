//! The application's error type: what a read or write can end with, in the
//! fixed vocabulary of codes clients rely on. The transports map it to an
//! HTTP status or a GraphQL `extensions.code` (`iurhub_api::error`).

use std::borrow::Cow;
use std::sync::Arc;

use iurhub_domain::{DomainError, FieldError, Locale, Message};
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

    /// Every code, for documentation and tests.
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::BadUserInput,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::RateLimited,
        ErrorCode::InternalServerError,
    ];
}

/// Every failure of the application layer.
///
/// It deliberately does not implement `Display`: async-graphql converts any
/// `Display` type into an error without a code, and every error must carry
/// one. [`AppError::message_in`] is the text a client sees, [`AppError::key`]
/// its stable message key.
///
/// Every error carries a message key (`need.deadline.past`,
/// `booking.overlap`) whose texts, English and Chinese, live in
/// [`iurhub_domain::messages`]: [`AppError::invalid`] for a bad field,
/// [`AppError::denied`] for FORBIDDEN, [`AppError::conflict`] and
/// [`AppError::conflict_on`] for CONFLICT, [`AppError::keyed`] otherwise.
#[derive(Debug)]
pub enum AppError {
    BadUserInput {
        message: String,
        fields: Vec<FieldError>,
    },
    /// The caller is not signed in, or their credentials are refused; the
    /// message key (`auth.required`, `auth.token_invalid`, …).
    Unauthenticated(&'static str),
    NotFound(&'static str),
    /// An error with a keyed message, and the fields it is about (for a
    /// CONFLICT, the fields whose values clash; none for a refused step of a
    /// life cycle).
    Keyed {
        code: ErrorCode,
        text: Message,
        fields: Vec<FieldError>,
    },
    /// The database cannot be reached; the client may retry.
    Unavailable,
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A bad value of `field`, with a keyed message.
    pub fn invalid(field: &str, text: Message) -> Self {
        let error = FieldError::keyed(field, text);
        AppError::BadUserInput {
            message: error.to_string(),
            fields: vec![error],
        }
    }

    /// An error about no field in particular, with a keyed message.
    pub fn keyed(code: ErrorCode, text: Message) -> Self {
        AppError::Keyed {
            code,
            text,
            fields: Vec::new(),
        }
    }

    /// A CONFLICT about the value of `field`.
    pub fn conflict_on(field: &str, text: Message) -> Self {
        AppError::Keyed {
            code: ErrorCode::Conflict,
            fields: vec![FieldError::keyed(field, text.clone())],
            text,
        }
    }

    /// A FORBIDDEN refusal, with a keyed message saying who may do this.
    pub fn denied(text: Message) -> Self {
        AppError::keyed(ErrorCode::Forbidden, text)
    }

    /// A CONFLICT with the current state of an object, about no field in
    /// particular (a refused booking of a retired instrument, a second
    /// project for a match).
    pub fn conflict(text: Message) -> Self {
        AppError::keyed(ErrorCode::Conflict, text)
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// The message shown to the client, in English; never the cause of an
    /// internal error.
    pub fn message(&self) -> String {
        self.message_in(Locale::En)
    }

    /// The message shown to the client in `locale`.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            AppError::BadUserInput { message, fields } => match (locale, fields.as_slice()) {
                (Locale::En, _) | (_, []) => message.clone(),
                (_, [one]) => format!("{}：{}", one.field, one.message_in(locale)),
                (_, many) => Message::new("input.invalid_many")
                    .with("count", many.len())
                    .with("detail", joined(many, locale))
                    .render(locale),
            },
            AppError::Keyed { text, .. } => text.render(locale),
            other => other.text().render(locale),
        }
    }

    /// The keyed message of the error (for the variants with an English text
    /// of their own, a generic key with that text as `{detail}`).
    pub fn text(&self) -> Message {
        match self {
            AppError::BadUserInput { fields, .. } => match fields.as_slice() {
                [one] => one.text.clone(),
                [] => Message::new("body.invalid"),
                many => Message::new("input.invalid_many")
                    .with("count", many.len())
                    .with("detail", joined(many, Locale::En)),
            },
            AppError::Unauthenticated(key) => Message::new(key),
            AppError::NotFound(what) => {
                Message::owned(format!("{}.not_found", what.replace(' ', "_")))
            }
            AppError::Keyed { text, .. } => text.clone(),
            AppError::Unavailable => Message::new("server.unavailable"),
            AppError::Internal(_) => Message::new("server.internal"),
        }
    }

    /// The stable message key (`need.deadline.past`, `need.not_found`).
    pub fn key(&self) -> Cow<'static, str> {
        self.text().key
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadUserInput { .. } => ErrorCode::BadUserInput,
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Keyed { code, .. } => *code,
            AppError::Unavailable | AppError::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// The fields a bad input names, or the fields a conflict is about.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            AppError::BadUserInput { fields, .. } | AppError::Keyed { fields, .. } => {
                fields.clone()
            }
            _ => Vec::new(),
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

fn joined(fields: &[FieldError], locale: Locale) -> String {
    locale.join_clauses(
        fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message_in(locale))),
    )
}

impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => AppError::BadUserInput {
                message: joined(&fields, Locale::En),
                fields,
            },
            // A refused step of a life cycle is about the object, not about
            // a field the client sent.
            DomainError::IllegalTransition { entity, from, to } => AppError::keyed(
                ErrorCode::BadUserInput,
                Message::owned(format!("{entity}.transition.not_allowed"))
                    .with("entity", entity)
                    .with("from", from)
                    .with("to", to),
            ),
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
            StoreError::Conflict { field, text } => AppError::Keyed {
                code: ErrorCode::Conflict,
                fields: field
                    .map(|f| vec![FieldError::keyed(f, text.clone())])
                    .unwrap_or_default(),
                text,
            },
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
        let err: AppError = DomainError::keyed("title", Message::new("value.required")).into();
        assert_eq!(err.message(), "title: must not be empty");
        assert_eq!(err.fields()[0].field, "title");
        assert_eq!(err.key(), "value.required");
    }

    #[test]
    fn every_error_has_a_key_and_both_languages() {
        let errors = [
            AppError::invalid("title", Message::new("value.required")),
            AppError::Unauthenticated("auth.required"),
            AppError::denied(Message::new("need.write.forbidden")),
            AppError::NotFound("checklist item"),
            AppError::conflict_on(
                "version",
                Message::new("conflict.version")
                    .with("object", "need")
                    .with("version", 2),
            ),
            AppError::Unavailable,
            AppError::internal(anyhow::anyhow!("x")),
        ];
        for err in errors {
            assert!(!err.key().is_empty());
            let zh = err.message_in(Locale::Zh);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
        assert_eq!(
            AppError::NotFound("checklist item").key(),
            "checklist_item.not_found"
        );
    }

    #[test]
    fn illegal_transition_is_bad_input_naming_states() {
        let err: AppError = iurhub_domain::NeedStatus::Closed
            .transition(iurhub_domain::NeedStatus::Published)
            .unwrap_err()
            .into();
        assert_eq!(err.code(), ErrorCode::BadUserInput);
        assert!(err.message().contains("CLOSED") && err.message().contains("PUBLISHED"));
        assert_eq!(err.key(), "need.transition.not_allowed");
        assert!(err.fields().is_empty(), "a life-cycle step names no field");
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::internal(anyhow::anyhow!("near \"SELEC\": syntax error"));
        assert_eq!(err.message(), "internal error");
        assert_eq!(err.code(), ErrorCode::InternalServerError);
    }
}
