//! The order part of the API contract, and the rules a checkout must pass.
//! The storefront runs `validate` as the shopper types; the API runs it
//! again on every request, field names and all.

use crate::adoption::{self, Adoption, AdoptionChoice};
use crate::cart::subtotal_fen;
use crate::regions::{is_province, REMOTE_PROVINCES};
use crate::validate::{self, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub sku: String,
    // The API document states the rules the API checks exactly (these are
    // `validate::MAX_QUANTITY` and `MAX_LINES`), so generated requests reach
    // deeper than validation.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub quantity: i64,
    /// Required for adoption products (then `quantity` is 1), absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionChoice>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Personal,
    Company,
}

/// A 普通发票 request: a personal title, or a company title with its
/// unified social credit code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub kind: InvoiceKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub items: Vec<OrderItem>,
    pub contact: Contact,
    pub address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<Invoice>,
    /// The total the shopper saw; if the server's differs, nothing is ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total_fen: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteAddress {
    pub province: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<QuoteAddress>,
}

/// What is wrong with one line of a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineProblem {
    OutOfStock,
    UnknownSku,
}

/// A cart line as the server prices it now: the order line it would become,
/// how many are left, and what (if anything) stops it being bought.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    #[serde(flatten)]
    pub line: OrderLine,
    pub available: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<LineProblem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    pub subtotal_fen: i64,
    pub shipping_fen: i64,
    pub total_fen: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// The only moves an order may make. Everything else is refused with
    /// the current status, so two admins cannot, say, ship a cancelled order.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid) | (PendingPayment, Cancelled) | (Paid, Shipped) | (Paid, Cancelled) | (Shipped, Completed)
        )
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        [Self::PendingPayment, Self::Paid, Self::Shipped, Self::Completed, Self::Cancelled]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub sku: String,
    pub name: String,
    pub label: String,
    pub unit_price_fen: i64,
    pub quantity: i64,
    pub line_total_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub order_no: String,
    pub status: OrderStatus,
    pub lines: Vec<OrderLine>,
    pub subtotal_fen: i64,
    pub shipping_fen: i64,
    pub total_fen: i64,
    pub contact: Contact,
    pub address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<Invoice>,
    pub created_at: String,
    /// The courier's number, once shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_no: Option<String>,
    /// Why a cancelled order was cancelled: `by_shop`, or `payment_timeout`
    /// when it stayed unpaid too long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Hives this order adopted (their certificates, once paid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adoptions: Vec<Adoption>,
}

/// Shipping: free from ¥99, else ¥10; Xinjiang and Tibet add ¥20 either way.
/// The one place this rule lives; the storefront shows the server's result.
pub const FREE_SHIPPING_FROM_FEN: i64 = 9900;
pub const STANDARD_SHIPPING_FEN: i64 = 1000;
pub const REMOTE_SURCHARGE_FEN: i64 = 2000;

pub fn shipping_fen(subtotal_fen: i64, province: Option<&str>) -> i64 {
    if subtotal_fen <= 0 {
        return 0;
    }
    let base = if subtotal_fen >= FREE_SHIPPING_FROM_FEN { 0 } else { STANDARD_SHIPPING_FEN };
    let remote = province.is_some_and(|p| REMOTE_PROVINCES.contains(&p));
    base + if remote { REMOTE_SURCHARGE_FEN } else { 0 }
}

/// Subtotal, shipping and total for priced lines `(unit_price_fen, quantity)`.
pub fn totals(lines: impl IntoIterator<Item = (i64, i64)>, province: Option<&str>) -> (i64, i64, i64) {
    let subtotal = subtotal_fen(lines);
    let shipping = shipping_fen(subtotal, province);
    (subtotal, shipping, subtotal.saturating_add(shipping))
}

/// Field length limits, in characters.
pub const MAX_NAME: usize = 20;
pub const MAX_PLACE: usize = 20;
pub const MAX_DETAIL: usize = 120;
pub const MAX_NOTE: usize = 200;
pub const MAX_INVOICE_TITLE: usize = 60;
pub const MAX_SKU: usize = 40;
/// Most distinct lines in one order.
pub const MAX_LINES: usize = 50;

/// Field errors keyed by the request's field path (`contact.phone`,
/// `items[0].quantity`, …). Empty means valid.
pub type FieldErrors = BTreeMap<String, FieldError>;

pub fn validate_items(items: &[OrderItem], errors: &mut FieldErrors) {
    if items.is_empty() {
        errors.insert("items".into(), FieldError::Required);
    } else if items.len() > MAX_LINES {
        errors.insert("items".into(), FieldError::TooLong);
    }
    for (i, item) in items.iter().take(MAX_LINES).enumerate() {
        let path = |field: &str| ["items[", &i.to_string(), "].", field].concat();
        if let Err(e) = validate::required_text(&item.sku, MAX_SKU) {
            errors.insert(path("sku"), e);
        } else if items[..i].iter().any(|earlier| earlier.sku == item.sku) {
            errors.insert(path("sku"), FieldError::Duplicate);
        }
        if let Err(e) = validate::quantity(item.quantity) {
            errors.insert(path("quantity"), e);
        }
        if let Some(choice) = &item.adoption {
            if let Err(e) = adoption::hive_name(&choice.hive_name) {
                errors.insert(path("adoption.hive_name"), e);
            }
            if item.quantity != 1 {
                errors.insert(path("quantity"), FieldError::InvalidQuantity);
            }
        }
    }
}

pub fn validate_contact(contact: &Contact, errors: &mut FieldErrors) {
    check(errors, "contact.name", validate::required_text(&contact.name, MAX_NAME));
    check(errors, "contact.phone", validate::phone(&contact.phone));
}

pub fn validate_address(address: &Address, errors: &mut FieldErrors) {
    let province = if address.province.trim().is_empty() {
        Err(FieldError::Required)
    } else if is_province(address.province.trim()) {
        Ok(())
    } else {
        Err(FieldError::UnknownProvince)
    };
    check(errors, "address.province", province);
    check(errors, "address.city", validate::required_text(&address.city, MAX_PLACE));
    check(errors, "address.district", validate::required_text(&address.district, MAX_PLACE));
    check(errors, "address.detail", validate::required_text(&address.detail, MAX_DETAIL));
    check(errors, "address.postal_code", validate::postal_code(address.postal_code.as_deref().unwrap_or("")));
}

pub fn validate_invoice(invoice: &Invoice, errors: &mut FieldErrors) {
    check(errors, "invoice.title", validate::required_text(&invoice.title, MAX_INVOICE_TITLE));
    if invoice.kind == InvoiceKind::Company {
        check(errors, "invoice.tax_id", validate::credit_code(invoice.tax_id.as_deref().unwrap_or("")));
    }
}

/// Every rule an order must pass before it reaches the database.
pub fn validate(order: &OrderRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    validate_items(&order.items, &mut errors);
    validate_contact(&order.contact, &mut errors);
    validate_address(&order.address, &mut errors);
    check(&mut errors, "note", validate::optional_text(order.note.as_deref().unwrap_or(""), MAX_NOTE));
    if let Some(invoice) = &order.invoice {
        validate_invoice(invoice, &mut errors);
    }
    errors
}

fn check(errors: &mut FieldErrors, field: &str, result: Result<(), FieldError>) {
    if let Err(e) = result {
        errors.insert(field.into(), e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> OrderRequest {
        OrderRequest {
            items: vec![OrderItem { sku: "HONEY-WF-500".into(), quantity: 2, adoption: None }],
            contact: Contact { name: "张三".into(), phone: "13800138000".into() },
            address: Address {
                province: "天津市".into(),
                city: "天津市".into(),
                district: "西青区".into(),
                detail: "杨柳青镇某路1号".into(),
                postal_code: None,
            },
            note: None,
            invoice: None,
            expected_total_fen: None,
        }
    }

    #[test]
    fn a_complete_order_is_valid() {
        assert!(validate(&order()).is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut o = order();
        o.contact.phone = "12345".into();
        o.address.detail = String::new();
        o.address.province = "火星".into();
        o.address.postal_code = Some("1234".into());
        o.items.push(OrderItem { sku: "HONEY-WF-500".into(), quantity: 0, adoption: None });
        o.invoice = Some(Invoice { kind: InvoiceKind::Company, title: "某公司".into(), tax_id: Some("123".into()) });
        let errors = validate(&o);
        assert_eq!(errors["contact.phone"], FieldError::InvalidPhone);
        assert_eq!(errors["address.detail"], FieldError::Required);
        assert_eq!(errors["address.province"], FieldError::UnknownProvince);
        assert_eq!(errors["address.postal_code"], FieldError::InvalidPostalCode);
        assert_eq!(errors["items[1].sku"], FieldError::Duplicate);
        assert_eq!(errors["items[1].quantity"], FieldError::InvalidQuantity);
        assert_eq!(errors["invoice.tax_id"], FieldError::InvalidCreditCode);
        assert!(!errors.contains_key("contact.name"));
    }

    #[test]
    fn empty_and_oversized_carts_are_refused() {
        let mut o = order();
        o.items.clear();
        assert_eq!(validate(&o)["items"], FieldError::Required);
        o.items = (0..=MAX_LINES).map(|i| OrderItem { sku: ["SKU", &i.to_string()].concat(), quantity: 1, adoption: None }).collect();
        assert_eq!(validate(&o)["items"], FieldError::TooLong);
    }

    #[test]
    fn personal_invoice_needs_no_tax_id() {
        let mut o = order();
        o.invoice = Some(Invoice { kind: InvoiceKind::Personal, title: "张三".into(), tax_id: None });
        assert!(validate(&o).is_empty());
    }

    #[test]
    fn shipping_is_free_from_99_yuan_with_a_remote_surcharge() {
        assert_eq!(shipping_fen(0, None), 0);
        assert_eq!(shipping_fen(6800, Some("天津市")), 1000);
        assert_eq!(shipping_fen(9900, Some("天津市")), 0);
        assert_eq!(shipping_fen(9900, Some("新疆维吾尔自治区")), 2000);
        assert_eq!(shipping_fen(6800, Some("西藏自治区")), 3000);
        assert_eq!(shipping_fen(6800, None), 1000);
        assert_eq!(totals([(6800, 1)], Some("天津市")), (6800, 1000, 7800));
    }

    #[test]
    fn only_the_order_lifecycle_moves_are_allowed() {
        use OrderStatus::*;
        let all = [PendingPayment, Paid, Shipped, Completed, Cancelled];
        let allowed: Vec<_> =
            all.iter().flat_map(|&a| all.iter().map(move |&b| (a, b))).filter(|&(a, b)| a.can_become(b)).collect();
        assert_eq!(
            allowed,
            [(PendingPayment, Paid), (PendingPayment, Cancelled), (Paid, Shipped), (Paid, Cancelled), (Shipped, Completed)]
        );
    }

    #[test]
    fn status_wire_names_round_trip() {
        for s in ["pending_payment", "paid", "shipped", "completed", "cancelled"] {
            assert_eq!(OrderStatus::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }
}
