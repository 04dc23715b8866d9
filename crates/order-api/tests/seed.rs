//! The seed catalogue is data an admin edits by hand: check what the shop
//! relies on, so a bad edit fails here rather than on a shopper's phone.

use order_api::seed::catalogue;
use std::collections::HashSet;
use std::path::Path;

#[test]
fn seed_catalogue_is_complete() {
    let c = catalogue();
    assert!(c.categories.len() >= 4);
    let published: Vec<_> = c.products.iter().filter(|p| p.published).collect();
    assert!(published.len() >= 12, "at least 12 products for sale");
    assert!(c.products.iter().any(|p| !p.published), "at least one draft");

    let categories: HashSet<_> = c.categories.iter().map(|c| c.slug.as_str()).collect();
    let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public");
    let mut skus = HashSet::new();
    let mut slugs = HashSet::new();
    for p in &c.products {
        assert!(slugs.insert(&p.slug), "duplicate slug {}", p.slug);
        assert!(categories.contains(p.category.as_str()), "{}: unknown category", p.slug);
        assert!(!p.variants.is_empty(), "{}: no variants", p.slug);
        for v in &p.variants {
            assert!(skus.insert(&v.sku), "duplicate sku {}", v.sku);
            assert!(v.price_fen > 0 && v.stock >= 0, "{}", v.sku);
        }
        assert!(!p.images.is_empty(), "{}: no image", p.slug);
        for img in &p.images {
            assert!(img.width > 0 && img.height > 0 && !img.alt.is_empty(), "{}", img.src);
            let file = images.join(img.src.trim_start_matches('/'));
            assert!(file.is_file(), "{}: {} is not in the repo", p.slug, file.display());
        }
        for field in [&p.producer, &p.description, &p.story, &p.net_weight, &p.shelf_life, &p.storage] {
            assert!(!field.is_empty(), "{}: a label fact is empty", p.slug);
        }
    }
}
