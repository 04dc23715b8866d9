//! The catalogue part of the API contract.

use crate::adoption::AdoptionPlan;
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

/// Catalogue order. The wire names are the API's `sort` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
pub enum Sort {
    #[default]
    Featured,
    PriceAsc,
    PriceDesc,
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Featured, Sort::PriceAsc, Sort::PriceDesc, Sort::Newest];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Featured => "featured",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

/// Page sizes the API accepts; the default keeps the first screen's JSON small.
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_round_trips_its_wire_names() {
        for sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.as_str()), Some(sort));
        }
        assert_eq!(Sort::parse("cheapest"), None);
        assert_eq!(Sort::parse(""), None);
    }
}
