//! Which catalogue text (`i18n`) each rule, status and failure from the
//! shared contract is shown as, so every component says the same thing for
//! the same problem, in the shopper's language.

use crate::api::FetchError;
use crate::i18n::texts;
use shop_core::order::{CancelReason, OrderStatus};
use shop_core::payment::{PaymentMethod, RefundState};
use shop_core::time::{china_time, parse_utc};
use shop_core::validate::{FieldError, MAX_QUANTITY};

/// A broken rule, as shown next to its field.
pub fn field_error(error: FieldError) -> String {
    let t = texts();
    match error {
        FieldError::Required => t.error_required.into(),
        FieldError::TooLong => t.error_too_long.into(),
        FieldError::InvalidPhone => t.error_invalid_phone.into(),
        FieldError::InvalidPostalCode => t.error_invalid_postal_code.into(),
        FieldError::InvalidQuantity => (t.error_invalid_quantity)(MAX_QUANTITY),
        FieldError::InvalidCreditCode => t.error_invalid_credit_code.into(),
        FieldError::UnknownProvince => t.error_unknown_province.into(),
        FieldError::UnknownCity => t.error_unknown_city.into(),
        FieldError::UnknownDistrict => t.error_unknown_district.into(),
        FieldError::CodeMismatch => t.error_code_mismatch.into(),
        FieldError::Duplicate => t.error_duplicate.into(),
        FieldError::UnknownSku => t.error_unknown_sku.into(),
        FieldError::Inappropriate => t.error_inappropriate.into(),
        FieldError::HiveTaken => t.error_hive_taken.into(),
        FieldError::Invalid => t.error_invalid.into(),
        FieldError::Unrecognised => t.error_other.into(),
    }
}

pub fn order_status(status: OrderStatus) -> &'static str {
    let t = texts();
    match status {
        OrderStatus::PendingPayment => t.status_pending_payment,
        OrderStatus::Paid => t.status_paid,
        OrderStatus::Shipped => t.status_shipped,
        OrderStatus::Completed => t.status_completed,
        OrderStatus::Cancelled => t.status_cancelled,
    }
}

pub fn cancel_reason(reason: CancelReason) -> &'static str {
    let t = texts();
    match reason {
        CancelReason::ByShop => t.cancelled_by_shop,
        CancelReason::PaymentTimeout => t.cancelled_unpaid,
    }
}

pub fn refund_state(state: RefundState) -> &'static str {
    let t = texts();
    match state {
        RefundState::Pending => t.refund_pending,
        RefundState::Processing => t.refund_processing,
        RefundState::Succeeded => t.refund_succeeded,
        RefundState::Failed => t.refund_failed,
        RefundState::Manual => t.refund_manual,
    }
}

/// A timestamp from the server (UTC) on the shop's clock, in the shopper's language.
pub fn moment(utc: &str) -> String {
    match parse_utc(utc).map(china_time) {
        Some(c) => (texts().moment)(c.year, c.month, c.day, c.hour, c.minute),
        None => utc.to_owned(),
    }
}

pub fn payment_method(method: PaymentMethod) -> &'static str {
    let t = texts();
    match method {
        PaymentMethod::WechatPay => t.paid_by_wechat,
        PaymentMethod::BankTransfer => t.paid_by_transfer,
    }
}

/// `text`, followed by the failed request's id when the server gave one,
/// so a shopper who writes to the shop can quote it.
pub fn with_request_id(text: &str, error: &FetchError) -> String {
    match error.request_id() {
        Some(id) => [text, " ", &(texts().request_id)(id)].concat(),
        None => text.to_owned(),
    }
}

/// Why a request failed, for a page without a more specific sentence.
pub fn failure(error: &FetchError) -> String {
    let t = texts();
    if let Some(secs) = error.rate_limited_for() {
        return (t.too_many_attempts)(secs);
    }
    match error {
        FetchError::Network => t.network_error.to_owned(),
        _ => with_request_id(t.server_error, error),
    }
}
