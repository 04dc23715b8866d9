//! The payment part of the contract: how a shopper pays an order (WeChat
//! Pay in one of its three modes, or a bank transfer staff record), what
//! an order shows of its payments, and refunds, which are records against
//! the order's lines (an order that is partly refunded still ships).

use crate::field;
use crate::validate::{self, FieldError, FieldErrors};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Where the shopper pays, which decides how WeChat Pay is started.
    pub enum PaymentMode {
        /// Inside WeChat's browser: the page calls `WeixinJSBridge`.
        Jsapi = "jsapi",
        /// A phone browser outside WeChat: the page goes to WeChat's `h5_url`.
        H5 = "h5",
        /// A desktop (or 企业微信): the page shows a QR code to scan with WeChat.
        Native = "native",
    }
}

wire_enum! {
    pub enum PaymentMethod {
        WechatPay = "wechat_pay",
        /// 对公转账, recorded by staff with the bank's reference.
        BankTransfer = "bank_transfer",
    }
}

wire_enum! {
    /// One payment attempt's state, as the shop knows it.
    pub enum PaymentState {
        /// Started; the shopper may still pay it.
        Open = "open",
        Paid = "paid",
        /// Closed unpaid (expired, replaced by another attempt, or cancelled).
        Closed = "closed",
    }
}

wire_enum! {
    pub enum RefundReason {
        /// 仅退款: money back, nothing returned.
        RefundOnly = "refund_only",
        /// 坏果包赔: fresh produce that arrived spoilt.
        DamagedOnArrival = "damaged_on_arrival",
        /// A paid order cancelled before it shipped.
        OrderCancelled = "order_cancelled",
        /// A second payment for an order already paid (refunded automatically).
        DuplicatePayment = "duplicate_payment",
        /// A payment that arrived for an order already cancelled (refunded automatically).
        PaidAfterCancel = "paid_after_cancel",
    }
}

wire_enum! {
    pub enum RefundState {
        /// Recorded; not yet accepted by the payment provider (it is retried).
        Pending = "pending",
        /// Accepted; the money is on its way back (原路退回).
        Processing = "processing",
        Succeeded = "succeeded",
        /// The provider refused it; staff must look.
        Failed = "failed",
        /// A bank transfer's refund, which staff pay back by hand.
        Manual = "manual",
    }
}

impl RefundState {
    /// Whether the refund's amount is (or will be) out of the shop's hands,
    /// and so counts against what can still be refunded.
    pub fn counts(self) -> bool {
        !matches!(self, RefundState::Failed)
    }
}

wire_enum! {
    /// Why WeChat sent the shopper back to the order's page, in its query
    /// (`/orders/XQ…?payment=check`).
    pub enum PaymentReturn {
        /// From the silent authorisation: pay now (the openid is known).
        Pay = "pay",
        /// From WeChat's H5 cashier: ask whether it was paid.
        Check = "check",
    }
}

/// The order page's query parameter that carries a [`PaymentReturn`].
pub const PAYMENT_RETURN_PARAM: &str = "payment";

impl PaymentReturn {
    /// The order page to come back to, with this reason.
    pub fn page(self, order_no: &str) -> String {
        ["/orders/", order_no, "?", PAYMENT_RETURN_PARAM, "=", self.as_str()].concat()
    }
}

/// `POST /api/orders/{order_no}/payments`: pay an order, proved by its phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub phone: String,
    pub mode: PaymentMode,
}

/// What the page does to let the shopper pay. `mode` may differ from the
/// one asked: without H5 approval an H5 request gets a Native QR code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStart {
    pub out_trade_no: String,
    pub mode: PaymentMode,
    /// The order's payment deadline, `YYYY-MM-DDTHH:MM:SSZ`.
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jsapi: Option<JsapiParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h5_url: Option<String>,
    /// The Native code, drawn by the server as an SVG `data:` URL in `qr_svg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
}

/// The argument of `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, with
/// WeChat's own field names; `pay_sign` is the merchant's signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JsapiParams {
    #[serde(rename = "appId")]
    pub app_id: String,
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    #[serde(rename = "nonceStr")]
    pub nonce_str: String,
    pub package: String,
    #[serde(rename = "signType")]
    pub sign_type: String,
    #[serde(rename = "paySign")]
    pub pay_sign: String,
}

/// A payment of an order, as the order shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRecord {
    pub method: PaymentMethod,
    pub amount_fen: i64,
    pub state: PaymentState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    /// WeChat Pay's transaction id, or the bank transfer's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Units of one order line (by its position in the order) a refund covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    pub line: u32,
    pub quantity: i64,
}

/// A refund of an order, as the order shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundRecord {
    pub refund_no: String,
    pub amount_fen: i64,
    pub reason: RefundReason,
    pub state: RefundState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<RefundLine>,
    pub requested_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_at: Option<String>,
}

/// `POST /api/admin/orders/{order_no}/refunds`: by lines (their value, or
/// less with `amount_fen`), or an amount alone (a partial compensation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    pub reason: Option<RefundReason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<RefundLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
}

/// The reasons staff can give; the others are the shop's own.
pub const STAFF_REFUND_REASONS: [RefundReason; 2] = [RefundReason::RefundOnly, RefundReason::DamagedOnArrival];

pub fn validate_refund(request: &RefundRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    match request.reason {
        None => errors.insert(field::REASON.into(), FieldError::Required),
        Some(reason) if !STAFF_REFUND_REASONS.contains(&reason) => {
            errors.insert(field::REASON.into(), FieldError::Invalid)
        }
        Some(_) => None,
    };
    for (i, line) in request.lines.iter().enumerate() {
        if validate::quantity(line.quantity).is_err() {
            errors.insert(field::refund_line(i, field::QUANTITY), FieldError::InvalidQuantity);
        }
        if request.lines[..i].iter().any(|earlier| earlier.line == line.line) {
            errors.insert(field::refund_line(i, field::LINE), FieldError::Duplicate);
        }
    }
    match request.amount_fen {
        Some(fen) if !(1..=MAX_REFUND_FEN).contains(&fen) => {
            errors.insert(field::AMOUNT_FEN.into(), FieldError::Invalid);
        }
        None if request.lines.is_empty() => {
            errors.insert(field::AMOUNT_FEN.into(), FieldError::Required);
        }
        _ => {}
    }
    errors
}

/// A typo guard for refunds typed by hand: ¥100,000.
pub const MAX_REFUND_FEN: i64 = 10_000_000;

/// `POST /api/admin/orders/{order_no}/bank-transfer`: a 对公转账 staff saw
/// arrive, recorded with the bank's reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BankTransfer {
    /// The bank's reference (流水号) of the transfer.
    pub reference: String,
    /// Who paid, as the bank statement names them.
    pub payer: String,
    /// When it arrived, China time: `YYYY-MM-DD HH:MM`.
    pub received_at: String,
}

/// Longest bank reference or payer name, in characters.
pub const MAX_TRANSFER_TEXT: usize = 60;

pub fn validate_bank_transfer(transfer: &BankTransfer) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let rules = [
        (field::REFERENCE, validate::required_text(&transfer.reference, MAX_TRANSFER_TEXT)),
        (field::PAYER, validate::required_text(&transfer.payer, MAX_TRANSFER_TEXT)),
        (field::RECEIVED_AT, china_minute(&transfer.received_at).map(|_| ())),
    ];
    for (path, rule) in rules {
        if let Err(e) = rule {
            errors.insert(path.into(), e);
        }
    }
    errors
}

/// `YYYY-MM-DD HH:MM` (China time) as its fields, checked for range.
pub fn china_minute(text: &str) -> Result<(i64, u32, u32, u32, u32), FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    let b = text.as_bytes();
    let shape = b.len() == 16
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(FieldError::Invalid);
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| FieldError::Invalid);
    let (year, month, day, hour, minute) =
        (number(0..4)?, number(5..7)?, number(8..10)?, number(11..13)?, number(14..16)?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    };
    if !(2000..=2099).contains(&year) || day == 0 || day > days_in_month || hour > 23 || minute > 59 {
        return Err(FieldError::Invalid);
    }
    Ok((i64::from(year), month, day, hour, minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_need_a_staff_reason_and_lines_or_an_amount() {
        let request = RefundRequest::default();
        let errors = validate_refund(&request);
        assert_eq!(errors[field::REASON], FieldError::Required);
        assert_eq!(errors[field::AMOUNT_FEN], FieldError::Required);

        let by_lines = RefundRequest {
            reason: Some(RefundReason::DamagedOnArrival),
            lines: vec![RefundLine { line: 0, quantity: 1 }],
            amount_fen: None,
        };
        assert!(validate_refund(&by_lines).is_empty());
        let automatic_reason = RefundRequest { reason: Some(RefundReason::DuplicatePayment), ..by_lines.clone() };
        assert_eq!(validate_refund(&automatic_reason)[field::REASON], FieldError::Invalid);
        let twice = RefundRequest {
            lines: vec![RefundLine { line: 0, quantity: 1 }, RefundLine { line: 0, quantity: 0 }],
            ..by_lines.clone()
        };
        let errors = validate_refund(&twice);
        assert_eq!(errors["lines[1].line"], FieldError::Duplicate);
        assert_eq!(errors["lines[1].quantity"], FieldError::InvalidQuantity);
        let nothing = RefundRequest { amount_fen: Some(0), lines: vec![], ..by_lines };
        assert_eq!(validate_refund(&nothing)[field::AMOUNT_FEN], FieldError::Invalid);
    }

    #[test]
    fn a_bank_transfer_needs_its_reference_payer_and_a_real_minute() {
        let ok = BankTransfer {
            reference: "ICBC2026120100012".into(),
            payer: "西青区总工会".into(),
            received_at: "2026-12-01 09:30".into(),
        };
        assert!(validate_bank_transfer(&ok).is_empty());
        let errors = validate_bank_transfer(&BankTransfer::default());
        assert_eq!(errors.len(), 3);
        for bad in ["2026-02-29 09:30", "2026-12-01 24:00", "2026-12-1 09:30", "2026/12/01 09:30", "1999-12-01 09:30"] {
            assert_eq!(china_minute(bad), Err(FieldError::Invalid), "{bad}");
        }
        assert_eq!(china_minute("2028-02-29 23:59"), Ok((2028, 2, 29, 23, 59)));
    }
}
