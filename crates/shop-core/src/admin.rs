//! The admin part of the API contract: catalogue preview and editing, and
//! running orders.

use crate::adoption::Adoption;
use crate::catalogue::{Image, ProductDetail, Variant};
use crate::field;
use crate::order::{Order, OrderStatus, MAX_SKU};
use crate::validate::{self, FieldError, FieldErrors, MAX_TRACKING_NO};
use serde::{Deserialize, Serialize};

/// A product in the admin list: drafts included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminProduct {
    pub slug: String,
    pub name: String,
    pub category: String,
    pub published: bool,
    pub image: Image,
    pub variants: Vec<Variant>,
}

/// One recorded change to a product: what, from what, to what, by whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductChange {
    pub changed_at: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub remote_addr: String,
}

/// Any product, draft or not, as shoppers would see it, plus its recent history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminProductDetail {
    pub product: ProductDetail,
    pub published: bool,
    pub history: Vec<ProductChange>,
}

/// `PATCH /api/admin/products/{slug}`: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantPatch>,
}

/// Stock changes are deltas (restock +20, write off −3), never absolute
/// values that would race with orders being placed at the same moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VariantPatch {
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_fen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_delta: Option<i64>,
}

/// Highest price a variant may have: ¥100,000 (a typo guard, not a policy).
pub const MAX_PRICE_FEN: i64 = 10_000_000;
/// Largest single stock adjustment.
pub const MAX_STOCK_DELTA: i64 = 100_000;
/// Longest product texts, in characters.
pub const MAX_PRODUCT_NAME: usize = 40;
pub const MAX_SUBTITLE: usize = 60;
pub const MAX_PRODUCT_TEXT: usize = 2000;

pub fn validate_patch(patch: &ProductPatch) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let mut check = |field: String, result: Result<(), FieldError>| {
        if let Err(e) = result {
            errors.insert(field, e);
        }
    };
    if let Some(name) = &patch.name {
        check(field::NAME.into(), validate::required_text(name, MAX_PRODUCT_NAME));
    }
    if let Some(subtitle) = &patch.subtitle {
        check(field::SUBTITLE.into(), validate::optional_text(subtitle, MAX_SUBTITLE));
    }
    for (path, text) in [(field::DESCRIPTION, &patch.description), (field::STORY, &patch.story)] {
        if let Some(text) = text {
            check(path.into(), validate::optional_text(text, MAX_PRODUCT_TEXT));
        }
    }
    for (i, v) in patch.variants.iter().enumerate() {
        if let Err(e) = validate::required_text(&v.sku, MAX_SKU) {
            check(field::variant(i, field::SKU), Err(e));
        } else if patch.variants[..i].iter().any(|earlier| earlier.sku == v.sku) {
            check(field::variant(i, field::SKU), Err(FieldError::Duplicate));
        }
        if let Some(price) = v.price_fen {
            let rule = if (1..=MAX_PRICE_FEN).contains(&price) { Ok(()) } else { Err(FieldError::Invalid) };
            check(field::variant(i, field::PRICE_FEN), rule);
        }
        if let Some(delta) = v.stock_delta {
            // A range, not `delta.abs()`: that overflows for i64::MIN.
            let ok = delta != 0 && (-MAX_STOCK_DELTA..=MAX_STOCK_DELTA).contains(&delta);
            check(field::variant(i, field::STOCK_DELTA), if ok { Ok(()) } else { Err(FieldError::Invalid) });
        }
    }
    errors
}

/// `POST /api/admin/orders/{order_no}/status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: OrderStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_no: Option<String>,
}

impl StatusChange {
    /// The tracking number sent, trimmed; `None` when blank.
    pub fn tracking_no(&self) -> Option<&str> {
        self.tracking_no.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

/// Shipping needs a tracking number; any status change may record one.
pub fn validate_status_change(change: &StatusChange) -> FieldErrors {
    let rule = match change.tracking_no() {
        None if change.status == OrderStatus::Shipped => Err(FieldError::Required),
        None => Ok(()),
        Some(no) => validate::required_text(no, MAX_TRACKING_NO),
    };
    rule.err().map(|e| FieldErrors::from([(field::TRACKING_NO.to_owned(), e)])).unwrap_or_default()
}

/// An adoption as the admin lists it: with its order's number and status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminAdoption {
    #[serde(flatten)]
    pub adoption: Adoption,
    pub order_no: String,
    pub status: OrderStatus,
}

/// Longest admin order search (an order number or a phone), in characters.
pub const MAX_ORDER_SEARCH: usize = 20;
/// Highest page of the admin order list.
pub const MAX_ADMIN_PAGE: u32 = 100_000;

/// Orders placed today (China time) that were not cancelled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayTotals {
    pub orders: i64,
    pub total_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminOrderList {
    pub items: Vec<Order>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub today: DayTotals,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_rules() {
        let patch = ProductPatch {
            name: Some(" ".into()),
            variants: vec![
                VariantPatch { sku: "A".into(), price_fen: Some(0), stock_delta: Some(0) },
                VariantPatch { sku: "A".into(), price_fen: Some(MAX_PRICE_FEN), stock_delta: Some(-3) },
            ],
            ..Default::default()
        };
        let errors = validate_patch(&patch);
        assert_eq!(errors["name"], FieldError::Required);
        assert_eq!(errors["variants[0].price_fen"], FieldError::Invalid);
        assert_eq!(errors["variants[0].stock_delta"], FieldError::Invalid);
        assert_eq!(errors["variants[1].sku"], FieldError::Duplicate);
        assert!(!errors.contains_key("variants[1].price_fen"));
        assert!(validate_patch(&ProductPatch { published: Some(true), ..Default::default() }).is_empty());
        let extreme = ProductPatch {
            variants: vec![VariantPatch { sku: "A".into(), price_fen: None, stock_delta: Some(i64::MIN) }],
            ..Default::default()
        };
        assert_eq!(validate_patch(&extreme)["variants[0].stock_delta"], FieldError::Invalid);
    }
}
