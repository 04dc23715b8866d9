//! The API process also serves the built storefront: files with the right
//! types and caching, `index.html` for client-side routes, precompressed
//! bodies when the browser accepts them.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::shop_with_dist;
use std::fs;

const WASM: &str = "storefront-0123456789abcdef_bg.wasm";

async fn shop_with_fake_dist() -> common::TestShop {
    let dist = tempfile::tempdir().unwrap().keep();
    fs::write(dist.join("index.html"), "<!DOCTYPE html><title>shop</title>").unwrap();
    fs::write(dist.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dist.join("storefront-0123456789abcdef.js"), "console.log('hi')").unwrap();
    fs::write(dist.join("storefront-0123456789abcdef.js.br"), b"brotli bytes").unwrap();
    fs::create_dir(dist.join("images")).unwrap();
    fs::create_dir(dist.join("admin")).unwrap();
    fs::write(dist.join("admin/index.html"), "<!DOCTYPE html><title>admin</title>").unwrap();
    fs::write(dist.join("images/honey.svg"), "<svg/>").unwrap();
    shop_with_dist(Some(dist)).await
}

#[tokio::test]
async fn client_routes_get_index_html_revalidated_every_time() {
    let shop = shop_with_fake_dist().await;
    for path in ["/", "/products", "/products/jingtai-red-goji", "/any/deep/link"] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.header(header::CONTENT_TYPE).starts_with("text/html"), "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
        assert!(String::from_utf8_lossy(&reply.body).contains("<title>shop</title>"));
    }
}

#[tokio::test]
async fn the_admin_area_has_its_own_app() {
    let shop = shop_with_fake_dist().await;
    for path in ["/admin", "/admin/orders", "/admin/products/honey-comb-gift"] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(String::from_utf8_lossy(&reply.body).contains("<title>admin</title>"), "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_wasm_has_its_type() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get(&format!("/{WASM}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(reply.header(header::CACHE_CONTROL), "public, max-age=31536000, immutable");

    let image = shop.get("/images/honey.svg").await;
    assert_eq!(image.header(header::CACHE_CONTROL), "public, max-age=3600");
}

#[tokio::test]
async fn precompressed_files_are_sent_to_browsers_that_accept_them() {
    let shop = shop_with_fake_dist().await;
    let request = Request::get("/storefront-0123456789abcdef.js")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.header(header::CONTENT_ENCODING), "br");
    assert_eq!(reply.body, b"brotli bytes");
}

#[tokio::test]
async fn missing_files_are_404_not_html() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/storefront-ffffffffffffffff_bg.wasm").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_storefront() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/api/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error_code(), "not_found");
}

#[tokio::test]
async fn api_responses_are_compressed() {
    let shop = shop_with_fake_dist().await;
    let request =
        Request::get("/api/products").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), "gzip");
}
