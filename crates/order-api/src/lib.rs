//! The shop's order API: catalogue (and, as the issues land, orders and
//! admin) over HTTP/JSON, plus the built storefront on the same port.

pub mod admin;
pub mod adoption;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod orders;
pub mod seed;
pub mod web;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
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
    pub admin: Arc<auth::AdminAuth>,
}

/// Largest request body accepted: a full cart with a long address is ~10 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP surface; `main` binds it, tests call it directly.
pub fn app(state: AppState) -> Router {
    let admin = Router::new()
        .route("/products", get(admin::products))
        .route("/products/{slug}", get(admin::product).patch(admin::patch_product))
        .route("/orders", get(admin::orders))
        .route("/orders/{order_no}/status", post(admin::change_status))
        .route("/adoptions", get(adoption::admin_list))
        .route("/adoptions/{id}/deliveries", post(adoption::record_delivery))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_admin));
    let api = Router::new()
        .route("/categories", get(catalogue::categories))
        .route("/products", get(catalogue::products))
        .route("/products/{slug}", get(catalogue::product))
        .route("/products/{slug}/hives", get(adoption::free_hives))
        .route("/producers/{slug}", get(adoption::producer))
        .route("/impact", get(adoption::impact))
        .route("/quote", post(orders::quote))
        .route("/orders", post(orders::create))
        .route("/orders/{order_no}", get(orders::lookup))
        .route("/openapi.json", get(openapi::document))
        .nest("/admin", admin)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    let storefront = web::storefront(state.config.static_dir.clone());
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(healthz))
        .with_state(state)
        .fallback_service(storefront)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(auth::client_addr))
        .layer(TraceLayer::new_for_http())
}

/// For load balancers and monitors: the process is up.
#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, content_type = "text/plain", body = String, example = "ok")))]
async fn healthz() -> &'static str {
    "ok"
}
