//! The order part of the API contract, and the rules a checkout must pass.
//! The storefront runs `validate` as the shopper types; the API runs it
//! again on every request, field names and all.

use crate::adoption::{self, Adoption, AdoptionChoice};
use crate::cart::subtotal_fen;
use crate::field;
use crate::payment::{PaymentRecord, RefundRecord};
use crate::regions::{find, province_code_of, Mismatch, RegionTree, REMOTE_PROVINCE_CODES};
use crate::validate::{self, FieldError, FieldErrors};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub sku: String,
    /// 1 to [`validate::MAX_QUANTITY`].
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
    /// Province, city and district: names from the region data (a
    /// municipality's city is spelled out, 天津市 / 天津市 / 西青区). Orders
    /// placed before the region check have free text here, kept as written.
    pub province: String,
    pub city: String,
    pub district: String,
    /// The district's 6-digit code in the region data. Optional on the way
    /// in (a storefront page WeChat still has cached sends none): the server
    /// derives it from the names and refuses a code that does not match them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$", example = "120111"))]
    pub district_code: Option<String>,
    /// The district is not in the region data (created since 2023): the
    /// shopper chose the city and typed the district, for staff to check.
    #[serde(default, skip_serializing_if = "is_false")]
    pub district_unlisted: bool,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

impl Address {
    /// The address on one line, as a waybill prints it (天津市西青区 杨柳青镇…,
    /// a municipality's city written once).
    pub fn one_line(&self) -> String {
        let city = if self.city == self.province { "" } else { &self.city };
        [&*self.province, city, &self.district, " ", &self.detail].concat()
    }
}

wire_enum! {
    pub enum InvoiceKind {
        Personal = "personal",
        Company = "company",
    }
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
    /// 1 to [`MAX_LINES`] lines.
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
    /// 1 to [`MAX_LINES`] lines.
    pub items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<QuoteAddress>,
}

wire_enum! {
    /// What is wrong with one line of a quote.
    pub enum LineProblem {
        OutOfStock = "out_of_stock",
        UnknownSku = "unknown_sku",
    }
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

wire_enum! {
    /// Where an order is in its life.
    pub enum OrderStatus {
        PendingPayment = "pending_payment",
        Paid = "paid",
        Shipped = "shipped",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl OrderStatus {
    /// The only moves an order may make. Everything else is refused with
    /// the current status, so two admins cannot, say, ship a cancelled order.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid)
                | (PendingPayment, Cancelled)
                | (Paid, Shipped)
                | (Paid, Cancelled)
                | (Shipped, Completed)
        )
    }

    /// Whether the order's money has reached the shop (and so the
    /// producers): what the impact panel counts and a certificate needs.
    pub fn is_paid(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed)
    }
}

wire_enum! {
    /// Why a cancelled order was cancelled.
    pub enum CancelReason {
        /// Staff cancelled it.
        ByShop = "by_shop",
        /// It stayed unpaid longer than the shop holds stock for.
        PaymentTimeout = "payment_timeout",
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
    /// Why a cancelled order was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<CancelReason>,
    /// Hives this order adopted (their certificates, once paid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adoptions: Vec<Adoption>,
    /// While it awaits payment: the moment it is cancelled unless paid
    /// (`YYYY-MM-DDTHH:MM:SSZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_by: Option<String>,
    /// Payments made or started, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentRecord>,
    /// Refunds, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<RefundRecord>,
}

/// Shipping: free from ¥99, else ¥10; Xinjiang and Tibet add ¥20 either way.
/// The one place this rule lives; the storefront shows the server's result.
pub const FREE_SHIPPING_FROM_FEN: i64 = 9900;
pub const STANDARD_SHIPPING_FEN: i64 = 1000;
pub const REMOTE_SURCHARGE_FEN: i64 = 2000;

/// `province_code`: the region data's code of the province shipped to, if known.
pub fn shipping_fen(subtotal_fen: i64, province_code: Option<u32>) -> i64 {
    if subtotal_fen <= 0 {
        return 0;
    }
    let base = if subtotal_fen >= FREE_SHIPPING_FROM_FEN { 0 } else { STANDARD_SHIPPING_FEN };
    let remote = province_code.is_some_and(|code| REMOTE_PROVINCE_CODES.contains(&province_code_of(code)));
    base + if remote { REMOTE_SURCHARGE_FEN } else { 0 }
}

/// Subtotal, shipping and total for priced lines `(unit_price_fen, quantity)`.
pub fn totals(lines: impl IntoIterator<Item = (i64, i64)>, province_code: Option<u32>) -> (i64, i64, i64) {
    let subtotal = subtotal_fen(lines);
    let shipping = shipping_fen(subtotal, province_code);
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
/// The header that makes placing an order safe to retry: the same key and
/// body get the same order.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Longest `Idempotency-Key` header, in (visible ASCII) characters.
pub const MAX_IDEMPOTENCY_KEY: usize = 100;

pub fn validate_items(items: &[OrderItem], errors: &mut FieldErrors) {
    if items.is_empty() {
        errors.insert(field::ITEMS.into(), FieldError::Required);
    } else if items.len() > MAX_LINES {
        errors.insert(field::ITEMS.into(), FieldError::TooLong);
    }
    for (i, item) in items.iter().take(MAX_LINES).enumerate() {
        if let Err(e) = validate::required_text(&item.sku, MAX_SKU) {
            errors.insert(field::item(i, field::SKU), e);
        } else if items[..i].iter().any(|earlier| earlier.sku == item.sku) {
            errors.insert(field::item(i, field::SKU), FieldError::Duplicate);
        }
        if let Err(e) = validate::quantity(item.quantity) {
            errors.insert(field::item(i, field::QUANTITY), e);
        }
        if let Some(choice) = &item.adoption {
            if let Err(e) = adoption::hive_name(&choice.hive_name) {
                errors.insert(field::item(i, field::HIVE_NAME), e);
            }
            if item.quantity != 1 {
                errors.insert(field::item(i, field::QUANTITY), FieldError::InvalidQuantity);
            }
        }
    }
}

pub fn validate_contact(contact: &Contact, errors: &mut FieldErrors) {
    check(errors, field::CONTACT_NAME, validate::required_text(&contact.name, MAX_NAME));
    check(errors, field::CONTACT_PHONE, validate::phone(&contact.phone));
}

fn is_false(flag: &bool) -> bool {
    !flag
}

/// The rules an address passes without the region data: what is required,
/// how long, the code's shape. [`resolve_region`] checks the combination.
pub fn validate_address(address: &Address, errors: &mut FieldErrors) {
    check(errors, field::ADDRESS_PROVINCE, validate::required_text(&address.province, MAX_PLACE));
    check(errors, field::ADDRESS_CITY, validate::required_text(&address.city, MAX_PLACE));
    check(errors, field::ADDRESS_DISTRICT, validate::required_text(&address.district, MAX_PLACE));
    if let Some(code) = &address.district_code {
        let six_digits = code.len() == DISTRICT_CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit());
        check(errors, field::ADDRESS_DISTRICT_CODE, if six_digits { Ok(()) } else { Err(FieldError::Invalid) });
    }
    check(errors, field::ADDRESS_DETAIL, validate::required_text(&address.detail, MAX_DETAIL));
    check(errors, field::ADDRESS_POSTAL_CODE, validate::postal_code(address.postal_code.as_deref().unwrap_or("")));
}

/// Digits in a district code (620423 is 景泰县).
pub const DISTRICT_CODE_DIGITS: usize = 6;

/// Checks that the address's province, city and district make one district
/// of `tree` and match its code when one is given, then writes the tree's
/// full names and the code into the address (甘肃/白银/景泰 is stored as
/// 甘肃省/白银市/景泰县, 620423). For a district marked unlisted only the
/// province and city must resolve. Returns the province's code, for shipping.
pub fn resolve_region(tree: &RegionTree, address: &mut Address, errors: &mut FieldErrors) -> Option<u32> {
    let paths = [field::ADDRESS_PROVINCE, field::ADDRESS_CITY, field::ADDRESS_DISTRICT, field::ADDRESS_DISTRICT_CODE];
    if paths.iter().any(|path| errors.contains_key(*path)) {
        return None;
    }
    let refuse = |errors: &mut FieldErrors, mismatch| {
        let (path, error) = match mismatch {
            Mismatch::Province => (field::ADDRESS_PROVINCE, FieldError::UnknownProvince),
            Mismatch::City => (field::ADDRESS_CITY, FieldError::UnknownCity),
            Mismatch::District => (field::ADDRESS_DISTRICT, FieldError::UnknownDistrict),
        };
        errors.insert(path.into(), error);
        None
    };
    let (province, city) = match tree.resolve_city(&address.province, &address.city) {
        Ok(found) => found,
        Err(mismatch) => return refuse(errors, mismatch),
    };
    let district = match find(&city.districts, &address.district) {
        Some(district) => Some(district),
        None if address.district_unlisted => None,
        None => return refuse(errors, Mismatch::District),
    };
    let code = district.map(|d| d.code.to_string());
    if address.district_code.is_some() && address.district_code != code {
        errors.insert(field::ADDRESS_DISTRICT_CODE.into(), FieldError::CodeMismatch);
        return None;
    }
    address.province.clone_from(&province.name);
    address.city.clone_from(&city.name);
    if let Some(district) = district {
        address.district.clone_from(&district.name);
    }
    address.district_unlisted = district.is_none();
    address.district_code = code;
    Some(province.code)
}

pub fn validate_invoice(invoice: &Invoice, errors: &mut FieldErrors) {
    check(errors, field::INVOICE_TITLE, validate::required_text(&invoice.title, MAX_INVOICE_TITLE));
    if invoice.kind == InvoiceKind::Company {
        check(errors, field::INVOICE_TAX_ID, validate::credit_code(invoice.tax_id.as_deref().unwrap_or("")));
    }
}

/// Every rule an order must pass before it reaches the database.
pub fn validate(order: &OrderRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    validate_items(&order.items, &mut errors);
    validate_contact(&order.contact, &mut errors);
    validate_address(&order.address, &mut errors);
    check(&mut errors, field::NOTE, validate::optional_text(order.note.as_deref().unwrap_or(""), MAX_NOTE));
    if let Some(invoice) = &order.invoice {
        validate_invoice(invoice, &mut errors);
    }
    errors
}

fn check(errors: &mut FieldErrors, path: &str, result: Result<(), FieldError>) {
    if let Err(e) = result {
        errors.insert(path.into(), e);
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
                ..Default::default()
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
        o.address.district_code = Some("12011".into());
        o.address.postal_code = Some("1234".into());
        o.items.push(OrderItem { sku: "HONEY-WF-500".into(), quantity: 0, adoption: None });
        o.invoice = Some(Invoice { kind: InvoiceKind::Company, title: "某公司".into(), tax_id: Some("123".into()) });
        let errors = validate(&o);
        assert_eq!(errors["contact.phone"], FieldError::InvalidPhone);
        assert_eq!(errors["address.detail"], FieldError::Required);
        assert_eq!(errors["address.district_code"], FieldError::Invalid);
        assert_eq!(errors["address.postal_code"], FieldError::InvalidPostalCode);
        assert_eq!(errors["items[1].sku"], FieldError::Duplicate);
        assert_eq!(errors["items[1].quantity"], FieldError::InvalidQuantity);
        assert_eq!(errors["invoice.tax_id"], FieldError::InvalidCreditCode);
        assert!(!errors.contains_key("contact.name"));
    }

    fn region_of(province: &str, city: &str, district: &str) -> (Address, FieldErrors, Option<u32>) {
        let tree = RegionTree::mainland();
        let mut address =
            Address { province: province.into(), city: city.into(), district: district.into(), ..order().address };
        let mut errors = FieldErrors::new();
        let province_code = resolve_region(tree, &mut address, &mut errors);
        (address, errors, province_code)
    }

    #[test]
    fn the_region_must_be_one_district_and_is_stored_by_its_full_names_and_code() {
        let (address, errors, province) = region_of("甘肃", "白银", "景泰");
        assert!(errors.is_empty());
        assert_eq!(province, Some(620000));
        assert_eq!([&*address.province, &*address.city, &*address.district], ["甘肃省", "白银市", "景泰县"]);
        assert_eq!(address.district_code.as_deref(), Some("620423"));
        assert_eq!(region_of("甘肃省", "白银市", "西青区").1["address.district"], FieldError::UnknownDistrict);
        assert_eq!(region_of("甘肃省", "天津市", "西青区").1["address.city"], FieldError::UnknownCity);
        assert_eq!(region_of("火星", "白银市", "景泰县").1["address.province"], FieldError::UnknownProvince);
    }

    #[test]
    fn a_given_district_code_must_match_the_names() {
        let tree = RegionTree::mainland();
        let mut address = order().address;
        address.district_code = Some("620423".into());
        let mut errors = FieldErrors::new();
        assert_eq!(resolve_region(tree, &mut address, &mut errors), None);
        assert_eq!(errors["address.district_code"], FieldError::CodeMismatch);
        address.district_code = Some("120111".into());
        errors.clear();
        assert_eq!(resolve_region(tree, &mut address, &mut errors), Some(120000));
        assert!(errors.is_empty());
    }

    #[test]
    fn an_unlisted_district_needs_its_city_to_resolve_and_a_listed_one_is_not_unlisted() {
        let tree = RegionTree::mainland();
        let mut address = Address { district: "新设区".into(), district_unlisted: true, ..order().address };
        let mut errors = FieldErrors::new();
        assert_eq!(resolve_region(tree, &mut address, &mut errors), Some(120000));
        assert!(errors.is_empty() && address.district_unlisted && address.district_code.is_none());
        let mut listed = Address { district_unlisted: true, ..order().address };
        resolve_region(tree, &mut listed, &mut errors);
        assert!(!listed.district_unlisted);
        assert_eq!(listed.district_code.as_deref(), Some("120111"));
        let mut wrong_city = Address { city: "白银市".into(), ..address };
        assert_eq!(resolve_region(tree, &mut wrong_city, &mut errors), None);
        assert_eq!(errors["address.city"], FieldError::UnknownCity);
    }

    #[test]
    fn empty_and_oversized_carts_are_refused() {
        let mut o = order();
        o.items.clear();
        assert_eq!(validate(&o)["items"], FieldError::Required);
        o.items = (0..=MAX_LINES)
            .map(|i| OrderItem { sku: ["SKU", &i.to_string()].concat(), quantity: 1, adoption: None })
            .collect();
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
        assert_eq!(shipping_fen(6800, Some(120000)), 1000);
        assert_eq!(shipping_fen(9900, Some(120000)), 0);
        assert_eq!(shipping_fen(9900, Some(650000)), 2000);
        assert_eq!(shipping_fen(6800, Some(540000)), 3000);
        assert_eq!(shipping_fen(6800, Some(650102)), 3000, "a district code keys on its province");
        assert_eq!(shipping_fen(6800, None), 1000);
        assert_eq!(totals([(6800, 1)], Some(120000)), (6800, 1000, 7800));
    }

    #[test]
    fn only_the_order_lifecycle_moves_are_allowed() {
        use OrderStatus::*;
        let all = [PendingPayment, Paid, Shipped, Completed, Cancelled];
        let allowed: Vec<_> =
            all.iter().flat_map(|&a| all.iter().map(move |&b| (a, b))).filter(|&(a, b)| a.can_become(b)).collect();
        assert_eq!(
            allowed,
            [
                (PendingPayment, Paid),
                (PendingPayment, Cancelled),
                (Paid, Shipped),
                (Paid, Cancelled),
                (Shipped, Completed)
            ]
        );
    }

    #[test]
    fn paid_means_the_money_arrived() {
        use OrderStatus::*;
        let paid: Vec<_> = OrderStatus::ALL.iter().copied().filter(|s| s.is_paid()).collect();
        assert_eq!(paid, [Paid, Shipped, Completed]);
    }

    #[test]
    fn wire_names_are_serdes_names() {
        fn serde_name<T: Serialize>(value: T) -> String {
            serde_json::to_value(value).unwrap().as_str().unwrap().to_owned()
        }
        for &s in OrderStatus::ALL {
            assert_eq!(serde_name(s), s.as_str());
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
            assert_eq!(OrderStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        assert!(CancelReason::ALL.iter().all(|&r| serde_name(r) == r.as_str()));
        assert_eq!(OrderStatus::parse("lost"), None);
        assert_eq!(OrderStatus::try_from("lost".to_owned()).unwrap_err().to_string(), r#""lost" is not a OrderStatus"#);
    }
}
