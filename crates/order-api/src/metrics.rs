//! What the shop is doing, in Prometheus's text format on `GET /metrics`,
//! served only on `METRICS_BIND` (a separate, private address), never on
//! the shop's public origin.
//!
//! Requests are counted by route template (axum's `MatchedPath`), never by
//! raw path: order numbers and slugs would grow the label set without bound.

use crate::alerts::Alert;
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use shop_core::error::ErrorCode;
use std::time::Instant;

/// The error code an answer carries (`ApiError` puts it in the response's
/// extensions), so requests can be counted by why they failed.
#[derive(Clone, Copy, Debug)]
pub struct AnsweredCode(pub &'static str);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
    /// The error code, or empty for a success.
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SkuLabels {
    sku: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: PaymentOutcome,
}

/// What recording a paid trade came to.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelValue)]
#[allow(non_camel_case_types)] // the label values, as Prometheus shows them
pub enum PaymentOutcome {
    /// The order is paid by it.
    paid,
    /// Told again (a repeated notification, a query after it): nothing changed.
    duplicate,
    /// It came for an order paid already or cancelled: refunded.
    refunded,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// Response times, 5 ms to 10 s.
const SECONDS_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Checkouts per commit, 1 to the writer's batch limit.
const COMMIT_SIZE_BUCKETS: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

fn seconds_histogram() -> Histogram {
    Histogram::new(SECONDS_BUCKETS)
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    orders_placed: Counter,
    orders_refused: Family<ReasonLabels, Counter>,
    stock_outs: Family<SkuLabels, Counter>,
    payments: Family<OutcomeLabels, Counter>,
    sweep_runs: Counter,
    sweep_cancelled: Counter,
    order_commit_size: Histogram,
    connections: Family<PoolLabels, Gauge>,
    connections_max: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let metrics = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(seconds_histogram),
            orders_placed: Counter::default(),
            orders_refused: Family::default(),
            stock_outs: Family::default(),
            payments: Family::default(),
            sweep_runs: Counter::default(),
            sweep_cancelled: Counter::default(),
            order_commit_size: Histogram::new(COMMIT_SIZE_BUCKETS),
            connections: Family::default(),
            connections_max: Gauge::default(),
        };
        let mut registry = Registry::with_prefix("shop");
        registry.register(
            "http_requests",
            "Requests answered, by route template, status and error code (rate_limited, unavailable, timeout, …)",
            metrics.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to the response's head, by route template",
            metrics.request_seconds.clone(),
        );
        registry.register(
            "orders_placed",
            "Orders placed (a retry that returns an earlier order is not counted)",
            metrics.orders_placed.clone(),
        );
        registry.register("orders_refused", "Order attempts refused, by error code", metrics.orders_refused.clone());
        registry.register("stock_outs", "Orders refused because a SKU had run out, by SKU", metrics.stock_outs.clone());
        registry.register("payments", "Paid trades recorded, by what recording them came to", metrics.payments.clone());
        registry.register(
            "payment_sweep_runs",
            "Runs of the unpaid-order and payment sweep",
            metrics.sweep_runs.clone(),
        );
        registry.register(
            "unpaid_orders_cancelled",
            "Orders the sweep cancelled (and restocked) for being unpaid past their deadline",
            metrics.sweep_cancelled.clone(),
        );
        registry.register(
            "order_commit_size",
            "Checkouts per transaction of SQLite's order writer (its count is the commits, each one fsync)",
            metrics.order_commit_size.clone(),
        );
        registry.register("db_connections", "Database pool connections, in use or idle", metrics.connections.clone());
        registry.register("db_connections_max", "The database pool's size limit", metrics.connections_max.clone());
        // Every outcome from the start, at 0: a rate or an alert on it sees
        // nothing happening rather than no series.
        for outcome in [PaymentOutcome::paid, PaymentOutcome::duplicate, PaymentOutcome::refunded] {
            drop(metrics.payments.get_or_create(&OutcomeLabels { outcome }));
        }
        Metrics { registry, ..metrics }
    }
}

impl Metrics {
    /// An order placed now (not a retry that returned an earlier one).
    pub fn order_placed(&self) {
        self.orders_placed.inc();
    }

    /// An order attempt refused with `code`.
    pub fn order_refused(&self, code: &shop_core::error::ErrorCode) {
        self.orders_refused.get_or_create(&ReasonLabels { reason: code.word() }).inc();
        if let shop_core::error::ErrorCode::OutOfStock { sku, .. } = code {
            self.stock_outs.get_or_create(&SkuLabels { sku: sku.clone() }).inc();
        }
    }

    pub fn payment(&self, outcome: PaymentOutcome) {
        self.payments.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    pub fn sweep_ran(&self, cancelled: usize) {
        self.sweep_runs.inc();
        self.sweep_cancelled.inc_by(cancelled as u64);
    }

    /// A commit of SQLite's order writer, holding `checkouts`.
    pub fn order_commit(&self, checkouts: usize) {
        self.order_commit_size.observe(checkouts as f64);
    }

    /// The text Prometheus scrapes, with the pool's gauges read now.
    fn render(&self, db: &crate::db::Db) -> String {
        let (size, idle) = (db.size() as i64, db.num_idle() as i64);
        self.connections.get_or_create(&PoolLabels { state: "in_use" }).set(size - idle);
        self.connections.get_or_create(&PoolLabels { state: "idle" }).set(idle);
        self.connections_max.set(i64::from(db.options().get_max_connections()));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String");
        text
    }
}

/// Middleware around every route: counts and times each answer.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = match req.extensions().get::<MatchedPath>() {
        Some(path) => path.as_str().to_owned(),
        None if req.uri().path().starts_with("/api/") => "/api (no such route)".to_owned(),
        None => "storefront".to_owned(),
    };
    let response = next.run(req).await;
    let code = response.extensions().get::<AnsweredCode>().map_or("", |c| c.0);
    let metrics = &state.metrics;
    let labels = RouteLabels { method, route };
    metrics.request_seconds.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    let RouteLabels { method, route } = labels;
    // Every answer passes here, a checkout's deadline included: the one
    // place that sees each checkout the shop failed.
    if method == "POST" && route == CHECKOUT_ROUTE && response.status().is_server_error() {
        let code = if code.is_empty() { ErrorCode::Internal.word() } else { code };
        state.alerts.raise(Alert::OrderFailed(code));
    }
    metrics.requests.get_or_create(&RequestLabels { method, route, status: response.status().as_u16(), code }).inc();
    response
}

/// The route template of placing an order (`lib.rs` nests `/orders` in `/api`).
const CHECKOUT_ROUTE: &str = "/api/orders";

/// A method as a label: the ones the shop answers, anything else as one
/// (a client could otherwise invent label values).
fn method_label(method: &Method) -> &'static str {
    let known = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PATCH, "PATCH"),
        (Method::OPTIONS, "OPTIONS"),
    ];
    known.into_iter().find(|(known, _)| known == method).map_or("other", |(_, label)| label)
}

/// The private metrics listener's routes.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state.db);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}
