//! The shop's order API: catalogue (and, as the issues land, orders and
//! admin) over HTTP/JSON, plus the built storefront on the same port.

pub mod catalogue;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod orders;
pub mod seed;
pub mod web;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use error::ApiError;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub config: Arc<Config>,
}

/// Largest request body accepted: a full cart with a long address is ~10 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP surface; `main` binds it, tests call it directly.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/categories", get(catalogue::categories))
        .route("/products", get(catalogue::products))
        .route("/products/{slug}", get(catalogue::product))
        .route("/quote", post(orders::quote))
        .route("/orders", post(orders::create))
        .route("/orders/{order_no}", get(orders::lookup))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .fallback(|| async { ApiError::NotFound });
    let storefront = web::storefront(state.config.static_dir.clone());
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(healthz))
        .with_state(state)
        .fallback_service(storefront)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

async fn healthz() -> &'static str {
    "ok"
}
