use std::fmt;

use crate::messages::{Locale, Message};

/// A rule of the domain that an input or an action breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more fields of an input are invalid.
    #[error("invalid input: {}", join(.0))]
    Validation(Vec<FieldError>),
    /// A state machine does not allow this step.
    #[error("{entity} cannot move from {from} to {to}")]
    IllegalTransition {
        entity: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

impl DomainError {
    /// A validation error about one field, with a keyed message.
    pub fn keyed(field: impl Into<String>, message: Message) -> Self {
        Self::Validation(vec![FieldError::keyed(field, message)])
    }
}

/// One invalid field, named as the client spelled it (camelCase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// The English text of [`FieldError::text`].
    pub message: String,
    /// The keyed message, in any [`Locale`].
    pub text: Message,
}

impl FieldError {
    /// An error with a keyed message.
    pub fn keyed(field: impl Into<String>, text: Message) -> Self {
        Self {
            field: field.into(),
            message: text.render(Locale::En),
            text,
        }
    }

    /// The message's key.
    pub fn key(&self) -> &str {
        &self.text.key
    }

    /// The message in `locale`.
    pub fn message_in(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.message.clone(),
            _ => self.text.render(locale),
        }
    }

    /// The same error about `prefix.field` (`input.title`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
