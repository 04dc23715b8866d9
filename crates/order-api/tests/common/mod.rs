//! Builds the real router on a real SQLite database in a temp dir and calls
//! it in-process, as the server would be called over HTTP.
#![allow(dead_code)] // each test file uses its own subset of these helpers

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use order_api::config::Config;
use order_api::{app, db, AppState};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestShop {
    pub app: Router,
    pub db: db::Db,
    /// Holds the database (and any dist/) until the test ends.
    pub dir: TempDir,
}

pub async fn shop() -> TestShop {
    shop_with_dist(None).await
}

/// A shop serving the storefront files in `dist` (or a nonexistent one).
pub async fn shop_with_dist(dist: Option<PathBuf>) -> TestShop {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        bind: "127.0.0.1:0".into(),
        database_url: format!("sqlite://{}", dir.path().join("shop.db").display()),
        static_dir: dist.unwrap_or_else(|| dir.path().join("no-dist")),
    };
    let db = db::connect(&config.database_url).await.unwrap();
    let app = app(AppState { db: db.clone(), config: Arc::new(config) });
    TestShop { app, db, dir }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).map(|v| v.to_str().unwrap()).unwrap_or("")
    }

    /// The error `code` of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().expect("error.code").to_owned()
    }
}

impl TestShop {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// POSTs `body` as JSON, with an `Idempotency-Key` when one is given.
    pub async fn post_json(&self, uri: &str, body: &Value, idempotency_key: Option<&str>) -> Reply {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap()).await
    }

    pub async fn stock(&self, sku: &str) -> i64 {
        sqlx::query_scalar("SELECT stock FROM variants WHERE sku = ?").bind(sku).fetch_one(&self.db).await.unwrap()
    }

    pub async fn set_stock(&self, sku: &str, stock: i64) {
        sqlx::query("UPDATE variants SET stock = ? WHERE sku = ?").bind(stock).bind(sku).execute(&self.db).await.unwrap();
    }

    pub async fn order_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&self.db).await.unwrap()
    }
}

/// A valid order for `quantity` of each SKU, delivered to Xiqing.
pub fn order_body(items: &[(&str, i64)]) -> Value {
    serde_json::json!({
        "items": items.iter().map(|(sku, quantity)| serde_json::json!({"sku": sku, "quantity": quantity})).collect::<Vec<_>>(),
        "contact": {"name": "王小蜜", "phone": "13800138000"},
        "address": {"province": "天津市", "city": "天津市", "district": "西青区", "detail": "杨柳青镇柳口路1号"}
    })
}
