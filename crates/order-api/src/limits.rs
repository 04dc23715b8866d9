//! What one client may ask of the API: per-address rate limits on order
//! creation, order lookup and failed admin sign-ins, and a deadline for
//! every API request. (Body size, string lengths and cart lines are limited
//! where they are read: `MAX_BODY_BYTES` and shop-core's validation.)
//!
//! Counts live in this process only: behind N replicas an address can make
//! up to N times the limit, which still bounds abuse, and needs no shared
//! store. Idempotency and stock, which must be exact, live in the database.

use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shop_core::error::ErrorCode;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` events per address in each `window` (a fixed window that
/// starts at the address's first event).
pub struct RateLimit {
    max: u32,
    window: Duration,
    windows: Mutex<HashMap<IpAddr, Window>>,
}

struct Window {
    count: u32,
    started: Instant,
}

/// Above this many tracked addresses, finished windows are swept out, so
/// memory stays bounded without a sweep on every request.
const SWEEP_ABOVE: usize = 10_000;

impl RateLimit {
    pub fn new(max: u32, window: Duration) -> RateLimit {
        RateLimit { max, window, windows: Mutex::new(HashMap::new()) }
    }

    /// Refuses `ip` while it is over the limit, without counting anything.
    pub fn check(&self, ip: IpAddr) -> Result<(), ApiError> {
        let mut windows = self.windows.lock().expect("rate limit lock");
        let now = Instant::now();
        match windows.get(&ip) {
            Some(w) if now.duration_since(w.started) >= self.window => {
                windows.remove(&ip);
                Ok(())
            }
            Some(w) if w.count >= self.max => {
                let retry_after_secs = (self.window - now.duration_since(w.started)).as_secs().max(1);
                Err(ErrorCode::RateLimited { retry_after_secs }.into())
            }
            _ => Ok(()),
        }
    }

    /// Counts one event for `ip`; returns how many it has made in this window.
    pub fn record(&self, ip: IpAddr) -> u32 {
        let mut windows = self.windows.lock().expect("rate limit lock");
        let now = Instant::now();
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        let w = windows.entry(ip).or_insert(Window { count: 0, started: now });
        if now.duration_since(w.started) >= self.window {
            *w = Window { count: 0, started: now };
        }
        w.count += 1;
        w.count
    }

    /// Counts one event for `ip`, refusing it if the address is over the limit.
    pub fn hit(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check(ip)?;
        self.record(ip);
        Ok(())
    }
}

/// The per-address limits of one API process.
pub struct Limits {
    pub order_creation: RateLimit,
    pub order_lookup: RateLimit,
}

/// Middleware for `POST /api/orders`.
pub async fn order_creation(State(state): State<AppState>, req: Request, next: Next) -> Response {
    within(&state.limits.order_creation, req, next).await
}

/// Middleware for `GET /api/orders/{no}`.
pub async fn order_lookup(State(state): State<AppState>, req: Request, next: Next) -> Response {
    within(&state.limits.order_lookup, req, next).await
}

async fn within(limit: &RateLimit, req: Request, next: Next) -> Response {
    match limit.hit(ClientAddr::of(&req)) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Answers `503 timeout` when an API request takes longer than
/// `REQUEST_TIMEOUT_SECS`. The handler is dropped, so its transaction rolls
/// back unless it had committed; a checkout retried with the same
/// idempotency key then gets the order or places it, never both.
pub async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::from(ErrorCode::Timeout).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_limit_is_refused_others_are_not() {
        let limit = RateLimit::new(3, Duration::from_secs(60));
        let (ip, other) = ("10.0.0.9".parse().unwrap(), "10.0.0.10".parse().unwrap());
        for _ in 0..3 {
            assert!(limit.hit(ip).is_ok());
        }
        let Err(ApiError::Refused(ErrorCode::RateLimited { retry_after_secs })) = limit.hit(ip) else {
            panic!("not refused")
        };
        assert!((1..=60).contains(&retry_after_secs));
        assert!(limit.hit(other).is_ok());
    }

    #[test]
    fn a_new_window_starts_afresh() {
        let limit = RateLimit::new(1, Duration::from_millis(30));
        let ip = "10.0.0.9".parse().unwrap();
        assert!(limit.hit(ip).is_ok());
        assert!(limit.hit(ip).is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(limit.hit(ip).is_ok());
    }
}
