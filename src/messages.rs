//! Which catalogue text (`i18n`) each code from the shared rules and the
//! API is shown as, so every component says the same thing for the same
//! problem, in the shopper's language.

use crate::i18n::texts;

/// A field error code (`shop_core::validate::FieldError::code`) as shown next to the field.
pub fn field_error(code: &str) -> &'static str {
    let t = texts();
    match code {
        "required" => t.error_required,
        "too_long" => t.error_too_long,
        "invalid_phone" => t.error_invalid_phone,
        "invalid_postal_code" => t.error_invalid_postal_code,
        "invalid_quantity" => t.error_invalid_quantity,
        "invalid_credit_code" => t.error_invalid_credit_code,
        "unknown_province" => t.error_unknown_province,
        "duplicate" => t.error_duplicate,
        "unknown_sku" => t.error_unknown_sku,
        "inappropriate" => t.error_inappropriate,
        "invalid" => t.error_invalid,
        _ => t.error_other,
    }
}

pub fn order_status(status: shop_core::order::OrderStatus) -> &'static str {
    use shop_core::order::OrderStatus::*;
    let t = texts();
    match status {
        PendingPayment => t.status_pending_payment,
        Paid => t.status_paid,
        Shipped => t.status_shipped,
        Completed => t.status_completed,
        Cancelled => t.status_cancelled,
    }
}
