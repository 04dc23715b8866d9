//! What a load balancer and a process manager ask of each replica: is it
//! alive (`/healthz`), should it get traffic (`/readyz`), and a stop that
//! drops nothing (readiness off first, then a drain delay, then a graceful
//! stop that finishes the requests in flight).

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether this replica should still be sent new requests.
#[derive(Debug, Default)]
pub struct Readiness {
    draining: AtomicBool,
}

impl Readiness {
    /// From now on `/readyz` answers 503; requests are still served.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }
}

/// For load balancers and monitors: the process is up.
#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, content_type = "text/plain", body = String, example = "ok")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// For the load balancer: whether to send this replica requests. Ready from
/// the first connection it accepts (migrations run before it listens) until
/// it is asked to stop. Deliberately not tied to the database: a database
/// blip would take every replica out at once, while each request already
/// answers `503 unavailable` with `Retry-After` on its own.
#[utoipa::path(get, path = "/readyz", tag = "service", responses(
    (status = 200, content_type = "text/plain", body = String, example = "ready"),
    (status = 503, description = "stopping: finishing what it has, taking nothing new (`SHUTDOWN_DRAIN_SECS`)",
     content_type = "text/plain", body = String, example = "draining"),
))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.readiness.is_draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining")
    } else {
        (StatusCode::OK, "ready")
    }
}

/// Resolves when the server should stop accepting connections. On SIGTERM
/// (a process manager or a rolling restart) readiness turns off first and
/// the server keeps serving for `drain` (so the load balancer's health
/// checks see it and send the traffic elsewhere); Ctrl-C at a terminal, or
/// a second signal, stops at once. Either way `axum::serve` then finishes
/// the requests in flight.
pub async fn stop_requested(readiness: &Readiness, drain: Duration) {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => return,
        _ = term.recv() => {},
    }
    readiness.start_draining();
    tracing::info!(drain_secs = drain.as_secs(), "SIGTERM: not ready; serving for the drain delay, then stopping");
    tokio::select! {
        _ = tokio::time::sleep(drain) => {},
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
}
