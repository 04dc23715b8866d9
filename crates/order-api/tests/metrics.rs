//! What staff watch: `/metrics` counts answers by route template (never by
//! raw path), orders placed and refused by reason, stock-outs by SKU, and
//! the database pool; it answers only on the private `METRICS_BIND`.

mod common;

use axum::http::{Request, StatusCode};
use common::process::{request, ApiProcess};
use common::{fresh_database_url, order_body, shop, TestShop};
use std::time::Duration;
use tower::ServiceExt;

async fn scrape(shop: &TestShop) -> String {
    let router = order_api::metrics::router(shop.state.clone());
    let response = router.oneshot(Request::get("/metrics").body(axum::body::Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    String::from_utf8(body.to_vec()).unwrap()
}

/// The value of the sample named exactly `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn answers_orders_and_stock_outs_are_counted_by_template_and_reason() {
    let shop = shop().await;
    assert_eq!(shop.get("/api/products/jingtai-red-goji").await.status, StatusCode::OK);
    assert_eq!(shop.get("/api/products/no-such-honey").await.status, StatusCode::NOT_FOUND);
    let page = shop.get("/").await.status.as_u16();
    let order = order_body(&[("HONEY-WF-500", 1)]);
    assert_eq!(shop.post_json("/api/orders", &order, Some("m-1")).await.status, StatusCode::CREATED);
    // A retry returns the same order: one order placed, not two.
    assert_eq!(shop.post_json("/api/orders", &order, Some("m-1")).await.status, StatusCode::CREATED);
    shop.set_stock("HONEY-WF-500", 0).await;
    assert_eq!(shop.post_json("/api/orders", &order, Some("m-2")).await.status, StatusCode::CONFLICT);
    assert_eq!(shop.post_json("/api/orders", &order, None).await.status, StatusCode::BAD_REQUEST);

    let text = scrape(&shop).await;
    let count = |series: &str| sample(&text, series).unwrap_or_else(|| panic!("no {series} in:\n{text}"));
    let product = r#"route="/api/products/{slug}""#;
    assert_eq!(count(&format!(r#"shop_http_requests_total{{method="GET",{product},status="200",code=""}}"#)), 1.0);
    assert_eq!(
        count(&format!(r#"shop_http_requests_total{{method="GET",{product},status="404",code="not_found"}}"#)),
        1.0
    );
    assert!(!text.contains("no-such-honey") && !text.contains("jingtai-red-goji"), "raw paths never become labels");
    let storefront = format!(r#"shop_http_requests_total{{method="GET",route="storefront",status="{page}",code=""}}"#);
    assert_eq!(count(&storefront), 1.0);
    assert_eq!(count(r#"shop_http_request_duration_seconds_count{method="POST",route="/api/orders"}"#), 4.0);
    assert_eq!(count("shop_orders_placed_total"), 1.0);
    assert_eq!(count(r#"shop_orders_refused_total{reason="out_of_stock"}"#), 1.0);
    assert_eq!(count(r#"shop_orders_refused_total{reason="idempotency_key_required"}"#), 1.0);
    assert_eq!(count(r#"shop_stock_outs_total{sku="HONEY-WF-500"}"#), 1.0);
    let max = f64::from(shop.db.options().get_max_connections());
    assert_eq!(count("shop_db_connections_max"), max);
    assert!(count(r#"shop_db_connections{state="in_use"}"#) + count(r#"shop_db_connections{state="idle"}"#) <= max);
}

#[tokio::test]
async fn metrics_answer_on_their_private_address_only() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let server = ApiProcess::start(&url, dir.path(), &[("METRICS_BIND", "127.0.0.1:0")]).await;
    let announced = async {
        loop {
            let line = server
                .output
                .lock()
                .unwrap()
                .iter()
                .find_map(|l| l.strip_prefix("metrics at http://").map(str::to_owned));
            if let Some(rest) = line {
                return rest.trim_end_matches("/metrics").parse::<std::net::SocketAddr>().unwrap();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let metrics_addr = tokio::time::timeout(Duration::from_secs(10), announced).await.expect("the address is printed");
    let public = request(server.addr, "GET", "/metrics", &[], "").await.unwrap();
    assert!(!public.body.contains("shop_http_requests"), "the shop's own address does not tell");
    let private = request(metrics_addr, "GET", "/metrics", &[], "").await.unwrap();
    assert_eq!(private.status, 200);
    // The public request was a storefront page like any other.
    assert!(private.body.contains(r#"shop_http_requests_total{method="GET",route="storefront""#), "{}", private.body);
}

/// The Grafana dashboard staff import (`ops/grafana-dashboard.json`) asks
/// only for series the server exports, so it cannot drift into empty panels.
#[tokio::test]
async fn the_dashboard_asks_only_for_series_the_server_exports() {
    let dashboard: serde_json::Value = serde_json::from_str(include_str!("../ops/grafana-dashboard.json")).unwrap();
    // Families with labels show once they have a sample: one of each.
    let shop = shop().await;
    shop.set_stock("HONEY-WF-500", 0).await;
    let order = order_body(&[("HONEY-WF-500", 1)]);
    assert_eq!(shop.post_json("/api/orders", &order, Some("d-1")).await.status, StatusCode::CONFLICT);
    let text = scrape(&shop).await;
    let mut asked = std::collections::BTreeSet::new();
    for target in dashboard["panels"].as_array().unwrap().iter().flat_map(|p| p["targets"].as_array().unwrap()) {
        let expr = target["expr"].as_str().unwrap();
        let names = expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| w.starts_with("shop_"));
        for name in names {
            // A counter's samples end in `_total`, a histogram's in `_bucket`, `_sum`, `_count`.
            let family =
                ["_total", "_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
            assert!(text.contains(&format!("# TYPE {family} ")), "the dashboard asks for {name}, which /metrics lacks");
            asked.insert(family.to_owned());
        }
    }
    assert!(asked.len() >= 10, "every family has a panel: {asked:?}");
}
