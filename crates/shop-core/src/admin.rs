//! The admin part of the API contract: catalogue preview and editing, and
//! running orders.

use crate::catalogue::{Image, ProductDetail, Variant};
use crate::order::{FieldErrors, Order, OrderStatus, MAX_SKU};
use crate::validate::{self, FieldError};
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

pub fn validate_patch(patch: &ProductPatch) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let mut check = |field: String, result: Result<(), FieldError>| {
        if let Err(e) = result {
            errors.insert(field, e);
        }
    };
    if let Some(name) = &patch.name {
        check("name".into(), validate::required_text(name, 40));
    }
    if let Some(subtitle) = &patch.subtitle {
        check("subtitle".into(), validate::optional_text(subtitle, 60));
    }
    for (field, text) in [("description", &patch.description), ("story", &patch.story)] {
        if let Some(text) = text {
            check(field.into(), validate::optional_text(text, 2000));
        }
    }
    for (i, v) in patch.variants.iter().enumerate() {
        let path = |f: &str| ["variants[", &i.to_string(), "].", f].concat();
        if let Err(e) = validate::required_text(&v.sku, MAX_SKU) {
            check(path("sku"), Err(e));
        } else if patch.variants[..i].iter().any(|earlier| earlier.sku == v.sku) {
            check(path("sku"), Err(FieldError::Duplicate));
        }
        if let Some(price) = v.price_fen {
            check(path("price_fen"), if (1..=MAX_PRICE_FEN).contains(&price) { Ok(()) } else { Err(FieldError::Invalid) });
        }
        if let Some(delta) = v.stock_delta {
            // A range, not `delta.abs()`: that overflows for i64::MIN.
            let ok = delta != 0 && (-MAX_STOCK_DELTA..=MAX_STOCK_DELTA).contains(&delta);
            check(path("stock_delta"), if ok { Ok(()) } else { Err(FieldError::Invalid) });
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
