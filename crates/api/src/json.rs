//! A JSON body extractor whose rejections are coded API errors.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use iurhub_domain::Message;

/// Like `axum::Json`, but a malformed body is BAD_USER_INPUT naming the problem.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(JsonRejection::MissingJsonContentType(_)) => {
                return Err(invalid("body", Message::new("body.content_type")));
            }
            Err(JsonRejection::JsonSyntaxError(_) | JsonRejection::JsonDataError(_)) => {
                return Err(invalid("body", Message::new("body.not_json")));
            }
            Err(_) => return Err(invalid("body", Message::new("body.invalid"))),
        };
        T::deserialize_from(json).map(ApiJson)
    }
}

fn invalid(field: &str, text: Message) -> ApiError {
    ApiError::App(iurhub_app::AppError::invalid(field, text))
}

/// A body read from JSON, every problem named by its field with a key —
/// never serde's own text.
pub trait FromJson: Sized {
    fn deserialize_from(json: serde_json::Value) -> Result<Self, ApiError>;
}

impl<T: DeserializeOwned> FromJson for T {
    fn deserialize_from(json: serde_json::Value) -> Result<Self, ApiError> {
        serde_path_to_error::deserialize(json).map_err(|err| {
            let path = err.path().to_string();
            let text = err.inner().to_string();
            let named = |prefix: &str| -> Option<String> {
                let rest = text.strip_prefix(prefix)?;
                let name = rest.strip_prefix('`')?.split('`').next()?;
                Some(if path == "." || path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                })
            };
            if let Some(field) = named("missing field ") {
                invalid(&field, Message::new("body.missing_field"))
            } else if let Some(field) = named("unknown field ") {
                invalid(&field, Message::new("body.unknown_field"))
            } else if let Some(expected) = text.split(", expected ").nth(1) {
                let field = if path == "." { "body" } else { &path };
                invalid(
                    field,
                    Message::new("body.wrong_type").with("expected", expected.trim()),
                )
            } else {
                let field = if path == "." { "body" } else { &path };
                invalid(field, Message::new("body.invalid"))
            }
        })
    }
}
