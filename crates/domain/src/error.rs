use std::fmt;

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
    /// A validation error about one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

/// One invalid field, named as the client spelled it (camelCase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
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
