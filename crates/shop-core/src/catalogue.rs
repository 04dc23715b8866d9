//! The catalogue part of the API contract.

use crate::adoption::AdoptionPlan;
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

/// Every image in the contract carries its size, so pages reserve the space
/// before it loads and nothing shifts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Image {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub slug: String,
    pub name: String,
    /// A one-line description for the category shortcut on the home page.
    pub blurb: String,
    pub product_count: i64,
}

/// A product as listed in the catalogue grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    pub slug: String,
    pub name: String,
    pub subtitle: String,
    pub category: String,
    pub origin: String,
    /// The lowest variant price.
    pub price_fen: i64,
    pub image: Image,
    pub in_stock: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductList {
    pub items: Vec<ProductSummary>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variant {
    pub sku: String,
    pub label: String,
    pub price_fen: i64,
    pub stock: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    /// Province and prefecture, e.g. 甘肃省白银市.
    pub region: String,
    pub county: String,
    pub township: String,
}

/// A product with everything its detail page shows (the GB 7718 label items
/// shoppers expect online: net content, shelf life, storage, producer, origin).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub slug: String,
    pub name: String,
    pub subtitle: String,
    pub category: String,
    pub category_name: String,
    pub origin: Origin,
    /// The producer's name, and the slug of its page.
    pub producer: String,
    pub producer_slug: String,
    pub description: String,
    pub story: String,
    pub net_weight: String,
    pub shelf_life: String,
    pub storage: String,
    pub certifications: Vec<String>,
    pub images: Vec<Image>,
    pub variants: Vec<Variant>,
    /// For adoption products (蜜蜂认养): what one adoption promises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionPlan>,
}

/// A cooperative or farm, with what it sells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Producer {
    pub slug: String,
    pub name: String,
    pub county: String,
    pub township: String,
    pub description: String,
    pub products: Vec<ProductSummary>,
}

wire_enum! {
    /// Catalogue order: the API's `sort` values.
    #[derive(Default)]
    pub enum Sort {
        #[default]
        Featured = "featured",
        PriceAsc = "price_asc",
        PriceDesc = "price_desc",
        Newest = "newest",
    }
}

wire_enum! {
    /// What buying a product means.
    pub enum ProductKind {
        /// Goods posted to the shopper.
        Goods = "goods",
        /// A season's adoption of a numbered hive (蜜蜂认养): one per order
        /// line, with a name for the hive.
        Adoption = "adoption",
    }
}

/// Page sizes the API accepts; the default keeps the first screen's JSON small.
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Pages past the end are fine (they are empty); this bound only keeps the
/// OFFSET arithmetic far from overflow.
pub const MAX_PAGE: u32 = 1_000_000;
/// Longest search text (and category slug) accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_round_trips_its_wire_names() {
        for &sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.as_str()), Some(sort));
            assert_eq!(serde_json::to_value(sort).unwrap(), sort.as_str());
        }
        assert_eq!(Sort::default(), Sort::Featured);
        assert_eq!(Sort::parse("cheapest"), None);
        assert_eq!(Sort::parse(""), None);
        assert_eq!(serde_json::to_value(ProductKind::Adoption).unwrap(), "adoption");
    }
}
