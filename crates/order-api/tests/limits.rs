//! What one client may ask: per-address rate limits (429 with Retry-After),
//! a deadline per request, a 503 with Retry-After when the database is away, CORS only for configured origins, and a request
//! id on every response.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{hold_every_connection, order_body, shop_configured};
use std::time::Duration;

#[tokio::test]
async fn order_attempts_are_limited_per_address() {
    let shop = shop_configured(|c| c.orders_per_minute = 3).await;
    for i in 0..3 {
        let reply = shop.post_json("/api/orders", &order_body(&[("HONEY-WF-500", 1)]), Some(&format!("k{i}"))).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let refused = shop.post_json("/api/orders", &order_body(&[("HONEY-WF-500", 1)]), Some("k3")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.error_code(), "rate_limited");
    let retry_after: u64 = refused.header(header::RETRY_AFTER).parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(shop.order_count().await, 3, "the refused attempt placed nothing");
    // Browsing is not limited by it.
    assert_eq!(shop.get("/api/products").await.status, StatusCode::OK);
}

#[tokio::test]
async fn order_lookups_are_limited_per_address() {
    let shop = shop_configured(|c| c.lookups_per_minute = 2).await;
    for _ in 0..2 {
        assert_eq!(shop.get("/api/orders/XQ2345678923?phone=13800138000").await.status, StatusCode::NOT_FOUND);
    }
    let refused = shop.get("/api/orders/XQ2345678923?phone=13800138000").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!refused.header(header::RETRY_AFTER).is_empty());
}

/// Each address has its own budget, and a client cannot forge one: the
/// forwarded address counts only when the server is told it sits behind a proxy.
#[tokio::test]
async fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
    for (trusted, second_status) in [(true, StatusCode::NOT_FOUND), (false, StatusCode::TOO_MANY_REQUESTS)] {
        let shop = shop_configured(|c| {
            c.lookups_per_minute = 1;
            c.trust_forwarded_for = trusted;
        })
        .await;
        let lookup = |forwarded_for: &'static str| {
            Request::get("/api/orders/XQ2345678923?phone=13800138000")
                .header("x-forwarded-for", forwarded_for)
                .body(Body::empty())
                .unwrap()
        };
        assert_eq!(shop.send(lookup("203.0.113.7")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(shop.send(lookup("198.51.100.1, 203.0.113.8")).await.status, second_status, "trusted: {trusted}");
    }
}

/// A checkout stuck behind a lock past its deadline gets a clean 503,
/// leaves nothing behind, and the retry with the same key succeeds.
#[tokio::test]
async fn a_checkout_past_its_deadline_gets_a_clean_503_and_loses_nothing() {
    let shop = shop_configured(|c| c.request_timeout = Duration::from_millis(300)).await;
    // Another transaction holds the row (PostgreSQL) or the write lock (SQLite).
    let mut blocker = shop.db.begin().await.unwrap();
    sqlx::query("UPDATE variants SET stock = stock WHERE sku = $1")
        .bind("HONEY-WF-500")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let body = order_body(&[("HONEY-WF-500", 1)]);
    let reply = shop.post_json("/api/orders", &body, Some("slow")).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error_code(), "timeout");
    blocker.rollback().await.unwrap();

    assert_eq!(shop.order_count().await, 0);
    assert_eq!(shop.stock("HONEY-WF-500").await, 120);
    assert_eq!(shop.post_json("/api/orders", &body, Some("slow")).await.status, StatusCode::CREATED);
}

/// With every database connection taken (a saturated or vanished database
/// looks the same to a request), a checkout gets `503 unavailable` with
/// `Retry-After` within the pool's acquire timeout instead of hanging, and
/// the retry with the same key places the order once.
#[tokio::test]
async fn a_checkout_finding_no_database_connection_gets_503_with_retry_after() {
    let shop = shop_configured(|_| {}).await;
    let held = hold_every_connection(&shop.db).await;
    let body = order_body(&[("HONEY-WF-500", 1)]);
    let reply = shop.post_json("/api/orders", &body, Some("no-connection")).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error_code(), "unavailable");
    let retry_after: u64 = reply.header(header::RETRY_AFTER).parse().unwrap();
    assert!((1..=10).contains(&retry_after));
    drop(held);

    assert_eq!(shop.order_count().await, 0);
    assert_eq!(shop.post_json("/api/orders", &body, Some("no-connection")).await.status, StatusCode::CREATED);
    assert_eq!(shop.order_count().await, 1);
}

#[tokio::test]
async fn cors_answers_only_the_configured_storefront_origins() {
    let shop = shop_configured(|c| c.cors_allowed_origins = vec!["https://shop.example.cn".into()]).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/orders")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = shop.send(preflight("https://shop.example.cn")).await;
    assert_eq!(allowed.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "https://shop.example.cn");
    assert!(allowed.header(header::ACCESS_CONTROL_ALLOW_HEADERS).contains("idempotency-key"));
    let other = shop.send(preflight("https://evil.example")).await;
    assert_eq!(other.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "");

    let default = shop_configured(|_| {}).await;
    assert_eq!(
        default.send(preflight("https://shop.example.cn")).await.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        ""
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let shop = shop_configured(|_| {}).await;
    let generated = shop.get("/api/categories").await;
    assert_eq!(generated.header(header::HeaderName::from_static("x-request-id")).len(), 16);
    let passed_on =
        shop.send(Request::get("/nowhere").header("x-request-id", "lb-42").body(Body::empty()).unwrap()).await;
    assert_eq!(passed_on.header(header::HeaderName::from_static("x-request-id")), "lb-42");
}
