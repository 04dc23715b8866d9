//! The API's one error type. Every failure becomes
//! `{"error":{"code","message",…details}}` (shop-core's `ErrorBody`) with the
//! status its code calls for, so the storefront can show the shopper a
//! sentence and logs keep the detail.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shop_core::error::{ErrorBody, ErrorCode, Problem};
use shop_core::validate::{FieldError, FieldErrors};

#[derive(Clone, Debug)]
pub enum ApiError {
    /// The request is refused for the reason the code gives.
    Refused(ErrorCode),
    /// Refused because it could not be read; the message is the parser's.
    Unreadable(ErrorCode, String),
    /// 500: our fault; the detail goes to the log, not to the client.
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub const NOT_FOUND: ApiError = ApiError::Refused(ErrorCode::NotFound);

    /// A validation error for one field.
    pub fn field(path: &str, rule: FieldError) -> ApiError {
        ApiError::invalid(FieldErrors::from([(path.to_owned(), rule)]))
    }

    pub fn invalid(fields: FieldErrors) -> ApiError {
        ApiError::Refused(ErrorCode::Validation { fields })
    }

    /// `Err(invalid)` when `fields` names any error, else `Ok`.
    pub fn unless_valid(fields: FieldErrors) -> ApiResult<()> {
        if fields.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(fields))
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::Refused(code)
    }
}

/// How long a client is asked to wait when the database cannot be reached.
const DATABASE_RETRY_AFTER_SECS: u64 = 2;

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if database_unreachable(&e) {
            // Logged here: the client's answer says only "try again".
            tracing::warn!(error = %e, "the database cannot be reached");
            ApiError::Refused(ErrorCode::Unavailable)
        } else {
            ApiError::Internal(e.to_string())
        }
    }
}

/// Whether `e` says the database is away or saturated (so the request may
/// simply be retried) rather than that the query is wrong.
fn database_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => {
            if let Some(postgres) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // Connection exceptions (class 08), and a server shutting
                // down or starting up (57P01-57P03).
                let code = postgres.code();
                code.starts_with("08") || ["57P01", "57P02", "57P03"].contains(&code)
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Still locked by another writer after busy_timeout
                // (SQLITE_BUSY and SQLITE_LOCKED, with their extended codes).
                db.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| matches!(code & 0xff, 5 | 6))
            } else {
                false
            }
        }
        _ => false,
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Unreadable(ErrorCode::BadQuery, e.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::NOT_FOUND
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        let code = match &e {
            JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
            JsonRejection::JsonSyntaxError(_) => ErrorCode::MalformedJson,
            JsonRejection::JsonDataError(_) => ErrorCode::InvalidBody,
            _ if e.status() == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            _ => ErrorCode::UnreadableBody,
        };
        ApiError::Unreadable(code, e.body_text())
    }
}

/// The HTTP status each code is answered with.
pub fn status_of(code: &ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        NotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Validation { .. } | IdempotencyMismatch | InvalidBody => StatusCode::UNPROCESSABLE_ENTITY,
        OutOfStock { .. }
        | PriceChanged { .. }
        | HiveTaken { .. }
        | InvalidTransition { .. }
        | OpenidRequired { .. }
        | PaymentExpired
        | PaymentInProgress
        | RefundTooLarge { .. } => StatusCode::CONFLICT,
        IdempotencyKeyRequired | MalformedJson | BadQuery | UnreadableBody => StatusCode::BAD_REQUEST,
        Unauthorized => StatusCode::UNAUTHORIZED,
        RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Timeout | Unavailable | PaymentUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The sentence a code's answer carries for people reading logs.
fn message_of(code: &ErrorCode) -> String {
    use ErrorCode::*;
    match code {
        NotFound => "no such resource".into(),
        MethodNotAllowed => "this path does not take that method".into(),
        Validation { .. } => "some fields are invalid".into(),
        OutOfStock { sku, available } => format!("only {available} of {sku} left"),
        PriceChanged { .. } => "the total has changed; review it and confirm again".into(),
        HiveTaken { hive_no } => format!("hive {hive_no} was just adopted by someone else"),
        InvalidTransition { status } => format!("an order that is {} cannot move there", status.as_str()),
        IdempotencyKeyRequired => {
            "send an Idempotency-Key header (1-100 visible ASCII characters) with every order and refund".into()
        }
        IdempotencyMismatch => "this Idempotency-Key was used with a different request".into(),
        Unauthorized => "send Authorization: Bearer <admin token>".into(),
        RateLimited { .. } => "too many attempts; wait and try again".into(),
        Timeout => "the server took too long; try again".into(),
        Unavailable => "the shop's database cannot be reached right now; try again shortly".into(),
        MalformedJson | InvalidBody | UnsupportedMediaType | PayloadTooLarge | BadQuery | UnreadableBody => {
            "the request could not be read".into()
        }
        Internal => "internal error".into(),
        PaymentUnavailable => "online payment is not available right now; nothing was charged".into(),
        OpenidRequired { .. } => "paying inside WeChat needs the shopper's openid: open authorize_url".into(),
        PaymentExpired => "the time to pay this order has run out".into(),
        PaymentInProgress => "an online payment of this order is still open; try again shortly".into(),
        RefundTooLarge { refundable_fen } => format!("at most {refundable_fen} fen can still be refunded"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (code, message) = match self {
            ApiError::Refused(code) => {
                let message = message_of(&code);
                (code, message)
            }
            ApiError::Unreadable(code, message) => (code, message),
            ApiError::Internal(detail) => {
                // Inside the request's span, so the line carries its request id.
                tracing::error!(%detail, "internal error");
                (ErrorCode::Internal, message_of(&ErrorCode::Internal))
            }
        };
        let retry_after = match code {
            ErrorCode::RateLimited { retry_after_secs } => Some(retry_after_secs),
            ErrorCode::Unavailable => Some(DATABASE_RETRY_AFTER_SECS),
            _ => None,
        };
        let word = crate::metrics::AnsweredCode(code.word());
        let mut response = (status_of(&code), Json(ErrorBody { error: Problem { code, message } })).into_response();
        response.extensions_mut().insert(word);
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        response
    }
}
