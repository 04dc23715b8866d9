//! Builds the real router on a real database and calls it in-process, as
//! the server would be called over HTTP. The database is SQLite in a temp
//! dir, or a fresh database in the PostgreSQL cluster `TEST_POSTGRES_URL`
//! names (the test command runs the suite both ways).
#![allow(dead_code)] // each test file uses its own subset of these helpers

pub mod process;
pub mod robot;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use order_api::config::Config;
use order_api::{app, db, AppState};
use serde_json::Value;
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestShop {
    pub app: Router,
    pub db: db::Db,
    pub state: AppState,
    /// Holds the database (and any dist/) until the test ends.
    pub dir: TempDir,
}

pub const ADMIN_TOKEN: &str = "test-admin-token";

pub async fn shop() -> TestShop {
    shop_with(None, 1000).await
}

/// A shop serving the storefront files in `dist` (or a nonexistent one).
pub async fn shop_with_dist(dist: Option<PathBuf>) -> TestShop {
    shop_with(dist, 1000).await
}

/// A shop that refuses an address after `max_auth_failures` wrong tokens.
pub async fn shop_with(dist: Option<PathBuf>, max_auth_failures: u32) -> TestShop {
    shop_configured(|config| {
        config.static_dir = dist.unwrap_or(config.static_dir.clone());
        config.admin_auth_max_failures = max_auth_failures;
    })
    .await
}

/// A shop with the test defaults changed by `configure`. The rate limits
/// default high here: most tests place many orders from one address.
pub async fn shop_configured(configure: impl FnOnce(&mut Config)) -> TestShop {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        bind: "127.0.0.1:0".into(),
        database_url: fresh_database_url(dir.path()).await,
        static_dir: dir.path().join("no-dist"),
        admin_token: Some(ADMIN_TOKEN.into()),
        admin_token_file: dir.path().join("admin-token"),
        admin_auth_max_failures: 1000,
        orders_per_minute: 100_000,
        lookups_per_minute: 100_000,
        assets_dir: dir.path().join("no-assets"),
        ..Config::default()
    };
    configure(&mut config);
    let db = db::connect(&config.database_url).await.unwrap();
    let state = AppState::new(db.clone(), config, ADMIN_TOKEN.into());
    TestShop { app: app(state.clone()), db, state, dir }
}

/// A new, empty database for one test: SQLite in `dir`, or a database of
/// its own in the `TEST_POSTGRES_URL` cluster.
pub async fn fresh_database_url(dir: &Path) -> String {
    let Ok(cluster) = std::env::var("TEST_POSTGRES_URL") else {
        return format!("sqlite://{}", dir.join("shop.db").display());
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("shop_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut admin = PgConnection::connect(&cluster).await.expect("TEST_POSTGRES_URL accepts connections");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let (server, _) = cluster.rsplit_once('/').expect("TEST_POSTGRES_URL ends in /DATABASE");
    format!("{server}/{name}")
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

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
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

    /// An admin request; `token` None sends no Authorization header.
    pub async fn admin(&self, method: &str, uri: &str, body: Option<Value>, token: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    /// Places a valid order and returns its number.
    pub async fn place_order(&self, items: &[(&str, i64)], key: &str) -> String {
        let reply = self.post_json("/api/orders", &order_body(items), Some(key)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        reply.json()["order_no"].as_str().unwrap().to_owned()
    }

    /// Records a bank transfer for an unpaid order, as staff do: it is paid.
    pub async fn mark_paid(&self, order_no: &str) -> Reply {
        let transfer =
            serde_json::json!({"reference": "TEST-REF-1", "payer": "王小蜜", "received_at": "2026-12-01 09:30"});
        self.admin("POST", &format!("/api/admin/orders/{order_no}/bank-transfer"), Some(transfer), Some(ADMIN_TOKEN))
            .await
    }

    pub async fn stock(&self, sku: &str) -> i64 {
        stock(&self.db, sku).await
    }

    pub async fn set_stock(&self, sku: &str, units: i64) {
        set_stock(&self.db, sku, units).await
    }

    pub async fn order_count(&self) -> i64 {
        order_count(&self.db).await
    }
}

pub async fn stock(db: &db::Db, sku: &str) -> i64 {
    sqlx::query_scalar("SELECT stock FROM variants WHERE sku = $1").bind(sku).fetch_one(db).await.unwrap()
}

pub async fn set_stock(db: &db::Db, sku: &str, units: i64) {
    sqlx::query("UPDATE variants SET stock = $1 WHERE sku = $2").bind(units).bind(sku).execute(db).await.unwrap();
}

/// Every connection of the pool, held: to requests the database is away
/// (as saturated or vanished), until the guard is dropped.
pub async fn hold_every_connection(db: &db::Db) -> Vec<sqlx::pool::PoolConnection<sqlx::Any>> {
    let mut held = Vec::new();
    for _ in 0..db.options().get_max_connections() {
        held.push(db.acquire().await.unwrap());
    }
    held
}

pub async fn order_count(db: &db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(db).await.unwrap()
}

/// A valid order for `quantity` of each SKU, delivered to Xiqing.
pub fn order_body(items: &[(&str, i64)]) -> Value {
    serde_json::json!({
        "items": items.iter().map(|(sku, quantity)| serde_json::json!({"sku": sku, "quantity": quantity})).collect::<Vec<_>>(),
        "contact": {"name": "王小蜜", "phone": "13800138000"},
        "address": {"province": "天津市", "city": "天津市", "district": "西青区", "detail": "杨柳青镇柳口路1号"}
    })
}
