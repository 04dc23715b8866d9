//! The seed catalogue: `seed/catalogue.json`, a file an admin can read and
//! edit, compiled into the binary so a fresh database anywhere gets it.

use serde::Deserialize;
use shop_core::adoption::AdoptionPlan;
use shop_core::catalogue::{Image, Origin, ProductKind, Variant};

pub const CATALOGUE_JSON: &str = include_str!("../seed/catalogue.json");

#[derive(Deserialize)]
pub struct SeedCatalogue {
    pub categories: Vec<SeedCategory>,
    pub producers: Vec<SeedProducer>,
    pub products: Vec<SeedProduct>,
}

#[derive(Deserialize)]
pub struct SeedProducer {
    pub slug: String,
    pub name: String,
    pub county: String,
    pub township: String,
    pub description: String,
}

/// An adoption product's plan, and how many numbered hives it offers.
#[derive(Deserialize)]
pub struct SeedAdoption {
    #[serde(flatten)]
    pub plan: AdoptionPlan,
    pub hives: i64,
}

#[derive(Deserialize)]
pub struct SeedCategory {
    pub slug: String,
    pub name: String,
    pub blurb: String,
}

#[derive(Deserialize)]
pub struct SeedProduct {
    pub slug: String,
    pub name: String,
    pub subtitle: String,
    pub category: String,
    pub origin: Origin,
    /// The producer's slug.
    pub producer: String,
    pub kind: ProductKind,
    #[serde(default)]
    pub adoption: Option<SeedAdoption>,
    pub description: String,
    pub story: String,
    pub net_weight: String,
    pub shelf_life: String,
    pub storage: String,
    pub certifications: Vec<String>,
    pub images: Vec<Image>,
    pub variants: Vec<Variant>,
    pub published: bool,
    pub featured_rank: i64,
}

pub fn catalogue() -> SeedCatalogue {
    parse(CATALOGUE_JSON).expect("seed/catalogue.json is valid (checked by a test)")
}

/// A catalogue file in the seed's format (for `order-api reseed FILE`).
pub fn parse(json: &str) -> serde_json::Result<SeedCatalogue> {
    serde_json::from_str(json)
}
