//! A JSON body extractor whose rejections are coded API errors.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, but a malformed body is BAD_USER_INPUT naming the problem.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    ApiError::bad_input("body", "expected `content-type: application/json`")
                }
                JsonRejection::JsonDataError(e) => ApiError::bad_input("body", e.body_text()),
                JsonRejection::JsonSyntaxError(_) => {
                    ApiError::bad_input("body", "is not valid JSON")
                }
                other => ApiError::bad_input("body", other.body_text()),
            }),
        }
    }
}
