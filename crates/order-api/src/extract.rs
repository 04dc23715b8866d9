//! `ApiJson`: axum's `Json` extractor whose rejections (wrong content type,
//! malformed JSON, wrong shapes, oversized bodies) are the API's JSON errors.

use crate::error::ApiError;
use axum::extract::FromRequest;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);
