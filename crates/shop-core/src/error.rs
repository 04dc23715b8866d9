//! The one error shape every API endpoint returns:
//! `{"error":{"code":"…","message":"…", …details}}`.
//! `code` is a stable word a client acts on, with the details that go with
//! it ([`ErrorCode`]); `message` is for people reading logs.

use crate::order::OrderStatus;
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The header every answer carries its request's id in: the id every log
/// line about that request carries, for a shopper to quote.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: Problem,
}

/// What went wrong: the code with its details, and a sentence for logs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(flatten)]
    pub code: ErrorCode,
    pub message: String,
}

/// `error_codes! { /// docs  Variant = "word" { detail: Type, … }, … }`
/// declares [`ErrorCode`] (what the server sends, and its document lists)
/// and how a client reads it back ([`ReceivedError`]). The client's reading
/// goes through one flat struct of every detail rather than serde's
/// internally tagged enums, which buffer the body first and cost the
/// storefront's wasm several KB; so a detail's name must be the same type
/// wherever it appears (the flat struct does not compile otherwise).
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:tt $({ $($field:ident: $type:ty),+ $(,)? })?, )+) => {
        /// Why a request failed, as `code` on the wire, with the details a
        /// client needs to react beside it. The server sends exactly these,
        /// and its OpenAPI document lists exactly these; a client reads them
        /// through [`ReceivedError`], which also survives codes from a newer
        /// server.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(tag = "code")]
        pub enum ErrorCode {
            $( $(#[$doc])* #[serde(rename = $wire)] $variant $({ $($field: $type),+ })?, )+
        }

        impl ErrorCode {
            /// The code's word on the wire (`not_found`, `out_of_stock`, …).
            pub fn word(&self) -> &'static str {
                match self {
                    $( ErrorCode::$variant { .. } => $wire, )+
                }
            }
        }

        /// An error object as it arrives: the code, and each detail any code has.
        #[derive(Deserialize)]
        struct ReceivedFields {
            code: String,
            $($($( $field: Option<$type>, )+)?)+
        }

        impl ReceivedError {
            fn from_fields(received: ReceivedFields) -> ReceivedError {
                let code = received.code;
                match code.as_str() {
                    $( $wire => known!(received, code, $variant $({ $($field),+ })?), )+
                    _ => ReceivedError::Unknown { code },
                }
            }
        }
    };
}

/// A known code with its details, or kept as unknown when a detail is missing.
macro_rules! known {
    ($received:ident, $code:ident, $variant:ident) => {
        ReceivedError::Known(ErrorCode::$variant)
    };
    ($received:ident, $code:ident, $variant:ident { $($field:ident),+ }) => {
        match ($($received.$field,)+) {
            ($(Some($field),)+) => ReceivedError::Known(ErrorCode::$variant { $($field),+ }),
            _ => ReceivedError::Unknown { code: $code.clone() },
        }
    };
}

error_codes! {
    /// No such thing, or not for the caller to see (drafts, another's order).
    NotFound = "not_found",
    /// The path exists, the method does not.
    MethodNotAllowed = "method_not_allowed",
    /// These fields (paths from `shop_core::field`) broke these rules.
    /// (`FieldErrors`, spelt out for the API document, which cannot see
    /// through a type alias.)
    Validation = "validation" { fields: BTreeMap<String, FieldError> },
    /// Not enough of `sku` left; nothing was ordered.
    OutOfStock = "out_of_stock" { sku: String, available: i64 },
    /// The total differs from what the shopper saw; nothing was ordered.
    PriceChanged = "price_changed" { total_fen: i64 },
    /// The hive the shopper chose was adopted by someone else first.
    HiveTaken = "hive_taken" { hive_no: i64 },
    /// The order cannot move from its current `status` to the one asked.
    InvalidTransition = "invalid_transition" { status: OrderStatus },
    /// `POST /api/orders` without a usable `Idempotency-Key` header.
    IdempotencyKeyRequired = "idempotency_key_required",
    /// An `Idempotency-Key` reused with a different request.
    IdempotencyMismatch = "idempotency_mismatch",
    /// No admin token, or the wrong one.
    Unauthorized = "unauthorized",
    /// Too many attempts from this address; try again after this many
    /// seconds (also the `Retry-After` header).
    RateLimited = "rate_limited" { retry_after_secs: u64 },
    /// The request took longer than the server allows; a write it made may
    /// or may not have committed, so retry an order with the same key.
    Timeout = "timeout",
    /// The shop's database cannot be reached right now (restarting, or
    /// every connection busy); try again after the `Retry-After` header's
    /// seconds. An order may be retried with the same key.
    Unavailable = "unavailable",
    /// The body is not JSON.
    MalformedJson = "malformed_json",
    /// JSON that is not an object of the documented shape.
    InvalidBody = "invalid_body",
    /// No `Content-Type: application/json`.
    UnsupportedMediaType = "unsupported_media_type",
    /// A body over the size limit.
    PayloadTooLarge = "payload_too_large",
    /// A query string that cannot be read.
    BadQuery = "bad_query",
    /// A body that could not be read for another reason.
    UnreadableBody = "unreadable_body",
    /// The server's fault; the detail is in its log.
    Internal = "internal",
    /// Paying online is not possible now: no payment provider is set up, or
    /// it did not answer (nothing was charged; try again).
    PaymentUnavailable = "payment_unavailable",
    /// Paying inside WeChat needs the shopper's openid: send them to
    /// `authorize_url` (WeChat's silent authorisation), which comes back.
    OpenidRequired = "openid_required" { authorize_url: String },
    /// The order's time to pay has run out.
    PaymentExpired = "payment_expired",
    /// An online payment of the order is still open; it is being closed
    /// (try again shortly).
    PaymentInProgress = "payment_in_progress",
    /// More than was paid (less what was refunded already): at most
    /// `refundable_fen` can still be refunded.
    RefundTooLarge = "refund_too_large" { refundable_fen: i64 },
}

/// An API error as a client reads it: a code this build knows, with its
/// details, or one from a newer server (or a known one without its
/// details), kept as it was sent so the page can still say something: an
/// older storefront must survive a newer server, and serde's
/// `#[serde(other)]` alone could not keep the code.
#[derive(Clone, Debug, PartialEq)]
pub enum ReceivedError {
    Known(ErrorCode),
    Unknown { code: String },
}

impl<'de> Deserialize<'de> for ReceivedError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ReceivedError, D::Error> {
        ReceivedFields::deserialize(deserializer).map(ReceivedError::from_fields)
    }
}

/// An error body as a client reads it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ReceivedBody {
    pub error: ReceivedError,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::FieldErrors;
    use serde_json::json;

    #[test]
    fn details_sit_beside_the_code() {
        let body = ErrorBody {
            error: Problem {
                code: ErrorCode::OutOfStock { sku: "GOJI-250".into(), available: 2 },
                message: "only 2 left".into(),
            },
        };
        let wire =
            json!({"error": {"code": "out_of_stock", "sku": "GOJI-250", "available": 2, "message": "only 2 left"}});
        assert_eq!(serde_json::to_value(&body).unwrap(), wire);
        let unit = ErrorBody { error: Problem { code: ErrorCode::NotFound, message: "no".into() } };
        assert_eq!(serde_json::to_value(&unit).unwrap(), json!({"error": {"code": "not_found", "message": "no"}}));
        // The word a server's metrics and logs use is the one on the wire.
        for code in [body.error.code, unit.error.code, ErrorCode::Unavailable] {
            assert_eq!(serde_json::to_value(&code).unwrap()["code"], code.word());
        }
    }

    #[test]
    fn a_client_reads_known_codes_with_details_and_keeps_unknown_ones() {
        let read = |wire: serde_json::Value| serde_json::from_value::<ReceivedBody>(wire).unwrap().error;
        let fields = read(
            json!({"error": {"code": "validation", "message": "m", "fields": {"contact.phone": "invalid_phone"}}}),
        );
        let expected = FieldErrors::from([("contact.phone".to_owned(), FieldError::InvalidPhone)]);
        assert_eq!(fields, ReceivedError::Known(ErrorCode::Validation { fields: expected }));
        assert_eq!(
            read(json!({"error": {"code": "not_found", "message": "m"}})),
            ReceivedError::Known(ErrorCode::NotFound)
        );
        let status = read(json!({"error": {"code": "invalid_transition", "status": "paid", "message": "m"}}));
        assert_eq!(status, ReceivedError::Known(ErrorCode::InvalidTransition { status: OrderStatus::Paid }));
        // A newer server's code, and a newer server's rule inside a known code.
        assert_eq!(
            read(json!({"error": {"code": "coupon_expired", "message": "m"}})),
            ReceivedError::Unknown { code: "coupon_expired".into() }
        );
        // A known code without its details cannot be acted on as that code.
        let bare = read(json!({"error": {"code": "out_of_stock", "message": "m"}}));
        assert_eq!(bare, ReceivedError::Unknown { code: "out_of_stock".into() });
        let newer_rule = read(json!({"error": {"code": "validation", "message": "m", "fields": {"note": "too_rude"}}}));
        let expected = FieldErrors::from([("note".to_owned(), FieldError::Unrecognised)]);
        assert_eq!(newer_rule, ReceivedError::Known(ErrorCode::Validation { fields: expected }));
    }
}
