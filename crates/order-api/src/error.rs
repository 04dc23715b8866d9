//! The API's one error type. Every failure becomes
//! `{"error":{"code","message",…details}}` with the right status, so the
//! storefront can show the shopper a sentence and logs keep the detail.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shop_core::error::{ApiError as ErrorInfo, ErrorBody};
use shop_core::validate::FieldError;
use std::collections::BTreeMap;

#[derive(Debug)]
pub enum ApiError {
    /// 404: no such thing, or not for the caller to see (drafts).
    NotFound,
    /// 422: these fields broke these rules.
    Validation(BTreeMap<String, String>),
    /// 400: a request we cannot even read.
    BadRequest { code: &'static str, message: String },
    /// 500: our fault; the detail goes to the log, not to the client.
    Internal(String),
}

impl ApiError {
    /// A validation error for one field.
    pub fn field(name: &str, rule: FieldError) -> ApiError {
        ApiError::Validation(BTreeMap::from([(name.to_owned(), rule.code().to_owned())]))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::BadRequest { code: "bad_query", message: e.body_text() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "no such resource".to_owned(), BTreeMap::new()),
            ApiError::Validation(fields) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation", "some fields are invalid".to_owned(), fields)
            }
            ApiError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message, BTreeMap::new()),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error".to_owned(), BTreeMap::new())
            }
        };
        let body = ErrorBody { error: ErrorInfo { code: code.to_owned(), message, fields } };
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
