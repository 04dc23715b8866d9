//! The shop's order API: catalogue (and, as the issues land, orders and
//! admin) over HTTP/JSON, plus the built storefront on the same port.

pub mod admin;
pub mod adoption;
pub mod alerts;
pub mod auth;
pub mod backup;
pub mod catalogue;
pub mod client_addr;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod impact;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod orders;
pub mod pay;
pub mod payments;
pub mod request_log;
pub mod security;
pub mod seed;
pub mod service;
pub mod web;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use error::ApiError;
use shop_core::error::{ErrorCode, REQUEST_ID_HEADER};
use shop_core::order::IDEMPOTENCY_KEY_HEADER;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// What every handler shares, behind one reference count: axum clones the
/// state for each extractor and layer of every request, and under load the
/// eight counts it had were a few percent of the CPU.
#[derive(Clone)]
pub struct AppState(Arc<Shop>);

impl std::ops::Deref for AppState {
    type Target = Shop;

    fn deref(&self) -> &Shop {
        &self.0
    }
}

#[derive(Clone)]
pub struct Shop {
    pub db: db::Db,
    /// How orders are written (on SQLite, by one task, many per commit).
    pub orders: db::OrderWriter,
    pub config: Arc<Config>,
    pub admin: Arc<auth::AdminAuth>,
    pub limits: Arc<limits::Limits>,
    /// Online payment, when a `PAYMENT_PROVIDER` is set up.
    pub payments: Option<Arc<payments::Payments>>,
    /// Off once the process is asked to stop (`/readyz`).
    pub readiness: Arc<service::Readiness>,
    /// Counters and timings for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Messages to the staff's group when something needs them now.
    pub alerts: alerts::Alerts,
}

impl AppState {
    /// The state of one API process: `db`, its settings, and the admin token.
    pub fn new(db: db::Db, config: Config, admin_token: String) -> AppState {
        const MINUTE: Duration = Duration::from_secs(60);
        let admin = auth::AdminAuth::new(admin_token, config.admin_auth_max_failures, 15 * MINUTE);
        let limits = limits::Limits {
            order_creation: limits::RateLimit::new(config.orders_per_minute, MINUTE),
            order_lookup: limits::RateLimit::new(config.lookups_per_minute, MINUTE),
        };
        let metrics = Arc::new(metrics::Metrics::default());
        AppState(Arc::new(Shop {
            alerts: alerts::Alerts::start(config.alert_webhook_url.clone(), config.alert_interval),
            orders: db::OrderWriter::for_database(&db, &config.database_url, metrics.clone()),
            db,
            config: Arc::new(config),
            admin: Arc::new(admin),
            limits: Arc::new(limits),
            payments: None,
            readiness: Arc::default(),
            metrics,
        }))
    }

    /// The same, taking online payments.
    pub fn with_payments(self, payments: payments::Payments) -> AppState {
        let shop = Arc::unwrap_or_clone(self.0);
        AppState(Arc::new(Shop { payments: Some(Arc::new(payments)), ..shop }))
    }
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
        .route("/orders/{order_no}/refunds", post(admin::refund))
        .route("/orders/{order_no}/bank-transfer", post(admin::bank_transfer))
        .route("/adoptions", get(adoption::admin_list))
        .route("/adoptions/{id}/deliveries", post(adoption::record_delivery))
        .route_layer(from_fn_with_state(state.clone(), auth::require_admin));
    let api = Router::new()
        .route("/categories", get(catalogue::categories))
        .route("/products", get(catalogue::products))
        .route("/products/{slug}", get(catalogue::product))
        .route("/products/{slug}/hives", get(adoption::free_hives))
        .route("/producers/{slug}", get(catalogue::producer))
        .route("/impact", get(impact::impact))
        .route("/quote", post(orders::quote))
        .route("/orders", post(orders::create).route_layer(from_fn_with_state(state.clone(), limits::order_creation)))
        .route(
            "/orders/{order_no}",
            get(orders::lookup).route_layer(from_fn_with_state(state.clone(), limits::order_lookup)),
        )
        .route(
            "/orders/{order_no}/payments",
            post(pay::start).route_layer(from_fn_with_state(state.clone(), limits::order_lookup)),
        )
        .route(
            "/orders/{order_no}/payment",
            get(pay::status).route_layer(from_fn_with_state(state.clone(), limits::order_lookup)),
        )
        .route("/payments/wechat/notify", post(pay::notify))
        .route("/wechat/oauth", get(pay::oauth_start))
        .route("/wechat/oauth/callback", get(pay::oauth_callback))
        .route("/openapi.json", get(openapi::document))
        .nest("/admin", admin)
        .fallback(|| async { ApiError::NOT_FOUND })
        .method_not_allowed_fallback(|| async { ApiError::from(ErrorCode::MethodNotAllowed) })
        // Layers after the fallbacks, so they wrap them too (a CORS
        // preflight is an OPTIONS request no route takes).
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), limits::deadline))
        .layer(cors(&state.config.cors_allowed_origins));
    let security_headers = Arc::new(security::SecurityHeaders::from_config(&state.config));
    let storefront = web::storefront(state.clone());
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    // Outermost first: every request gets an id, then a span holding it, so
    // every line logged while it is served can be traced to it.
    let traced = ServiceBuilder::new()
        .layer(from_fn(request_log::forget_unusable_request_id))
        .layer(SetRequestIdLayer::new(request_id.clone(), request_log::NewRequestId))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_log::RequestSpan)
                .on_request(())
                .on_response(request_log::Summary)
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(request_id));
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(service::healthz))
        .route("/readyz", get(service::readyz))
        .fallback_service(storefront)
        // Inside the routing, so it sees each route's template.
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(security_headers, security::add_headers))
        .layer(from_fn_with_state(state.clone(), client_addr::record))
        .layer(traced)
        .with_state(state)
}

/// Lets exactly the configured storefront origins call the API from a
/// browser (none by default: the storefront is served from the API's own
/// origin). The headers are the ones the storefront sends and reads.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        origins.iter().map(|o| o.parse().expect("CORS_ALLOWED_ORIGINS holds origins")).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static(IDEMPOTENCY_KEY_HEADER)])
        .expose_headers([header::RETRY_AFTER, HeaderName::from_static(REQUEST_ID_HEADER)])
        .max_age(Duration::from_secs(600))
}
