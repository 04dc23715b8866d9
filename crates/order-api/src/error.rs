//! The API's one error type. Every failure becomes
//! `{"error":{"code","message",…details}}` with the right status, so the
//! storefront can show the shopper a sentence and logs keep the detail.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shop_core::error::{ApiError as ErrorInfo, ErrorBody};
use shop_core::order::{FieldErrors, OrderStatus};
use shop_core::validate::FieldError;
use std::collections::BTreeMap;

#[derive(Debug)]
pub enum ApiError {
    /// 404: no such thing, or not for the caller to see (drafts, another's order).
    NotFound,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// 422: these fields broke these rules.
    Validation(FieldErrors),
    /// 400/413/415: a request we cannot read; the status and code say why.
    Unreadable { status: StatusCode, code: &'static str, message: String },
    /// 400: `POST /api/orders` without an `Idempotency-Key` header.
    IdempotencyKeyRequired,
    /// 422: an `Idempotency-Key` reused with a different request.
    IdempotencyMismatch,
    /// 409: not enough stock of `sku`; nothing was ordered.
    OutOfStock { sku: String, available: i64 },
    /// 409: the hive the shopper chose was adopted by someone else first.
    HiveTaken { hive_no: i64 },
    /// 409: the order cannot move from its current status to the one asked.
    InvalidTransition { status: OrderStatus },
    /// 401: no admin token, or the wrong one.
    Unauthorized,
    /// 429: too many attempts from this address; try again after `retry_after_secs`.
    TooManyRequests { retry_after_secs: u64 },
    /// 503: the request took longer than `REQUEST_TIMEOUT_SECS`.
    Timeout,
    /// 409: the total differs from what the shopper saw; nothing was ordered.
    PriceChanged { total_fen: i64 },
    /// 500: our fault; the detail goes to the log, not to the client.
    Internal(String),
}

impl ApiError {
    /// A validation error for one field.
    pub fn field(name: &str, rule: FieldError) -> ApiError {
        ApiError::Validation(FieldErrors::from([(name.to_owned(), rule)]))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Unreadable { status: StatusCode::BAD_REQUEST, code: "bad_query", message: e.body_text() }
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::NotFound
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        let code = match &e {
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::JsonDataError(_) => "invalid_body",
            _ if e.status() == StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            _ => "unreadable_body",
        };
        ApiError::Unreadable { status: e.status(), code, message: e.body_text() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut info = ErrorInfo {
            code: String::new(),
            message: String::new(),
            fields: BTreeMap::new(),
            sku: None,
            available: None,
            total_fen: None,
            status: None,
            hive_no: None,
        };
        let mut retry_after = None;
        let (status, code, message): (StatusCode, &str, String) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "no such resource".into()),
            ApiError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this path does not take that method".into())
            }
            ApiError::Validation(fields) => {
                info.fields = fields.into_iter().map(|(k, v)| (k, v.code().to_owned())).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, "validation", "some fields are invalid".into())
            }
            ApiError::Unreadable { status, code, message } => (status, code, message),
            ApiError::IdempotencyKeyRequired => (
                StatusCode::BAD_REQUEST,
                "idempotency_key_required",
                "send an Idempotency-Key header (1-100 visible ASCII characters) with every order".into(),
            ),
            ApiError::IdempotencyMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_mismatch",
                "this Idempotency-Key was used with a different request".into(),
            ),
            ApiError::OutOfStock { sku, available } => {
                let message = format!("only {available} of {sku} left");
                info.sku = Some(sku);
                info.available = Some(available);
                (StatusCode::CONFLICT, "out_of_stock", message)
            }
            ApiError::PriceChanged { total_fen } => {
                info.total_fen = Some(total_fen);
                (StatusCode::CONFLICT, "price_changed", "the total has changed; review it and confirm again".into())
            }
            ApiError::HiveTaken { hive_no } => {
                info.hive_no = Some(hive_no);
                (StatusCode::CONFLICT, "hive_taken", format!("hive {hive_no} was just adopted by someone else"))
            }
            ApiError::InvalidTransition { status } => {
                info.status = Some(status.as_str().to_owned());
                let message = format!("an order that is {} cannot move there", status.as_str());
                (StatusCode::CONFLICT, "invalid_transition", message)
            }
            ApiError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <admin token>".into())
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                retry_after = Some(retry_after_secs);
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many attempts; wait and try again".into())
            }
            ApiError::Timeout => {
                (StatusCode::SERVICE_UNAVAILABLE, "timeout", "the server took too long; try again".into())
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error".into())
            }
        };
        info.code = code.to_owned();
        info.message = message;
        let mut response = (status, Json(ErrorBody { error: info })).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
