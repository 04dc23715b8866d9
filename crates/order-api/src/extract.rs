//! Extractors whose rejections are the API's JSON errors rather than
//! axum's plain-text ones.

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::Json;
use serde::de::DeserializeOwned;
use shop_core::error::ErrorCode;

/// A JSON request body. Wrong content type, malformed JSON, wrong shapes
/// and oversized bodies are refused as `ApiError`s, and so is a body that
/// is not a JSON object: serde would otherwise read a struct from an array
/// of its fields in order (`[null, null]` as a product patch), which no
/// client means and the published contract does not allow.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(body) = Json::<serde_json::Value>::from_request(req, state).await?;
        let invalid_body = |message: String| ApiError::Unreadable(ErrorCode::InvalidBody, message);
        if !body.is_object() {
            return Err(invalid_body("the body must be a JSON object".into()));
        }
        T::deserialize(body).map(ApiJson).map_err(|e| invalid_body(e.to_string()))
    }
}

/// Path parameters. A segment that cannot be read as its type (a
/// non-numeric or too large id, bad percent-encoding) names nothing: 404.
/// So does one holding NUL (`%00`), which PostgreSQL cannot even compare.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if parts.uri.path().contains("%00") {
            return Err(ApiError::NOT_FOUND);
        }
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(value))
    }
}
