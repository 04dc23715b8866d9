//! Every request runs in a tracing span that holds its request id, method
//! and masked path, so every log line it causes (an internal error
//! included) can be traced to it, and ends with one summary line: status
//! and latency. The id comes from an incoming `X-Request-Id` (a load
//! balancer's) or is generated (tower-http's `SetRequestId`), and goes back
//! in the response's `X-Request-Id` (`PropagateRequestId`), so a shopper's
//! report can be matched to the log. Phone numbers never reach the log:
//! digit runs that could be one, and the values of `phone` and `q` (the
//! admin's search by phone), are masked; so the span never holds the raw URI.

use axum::extract::Request;
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;
use shop_core::error::REQUEST_ID_HEADER as REQUEST_ID;
use std::time::Duration;
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::trace::{MakeSpan, OnResponse};
use tracing::Span;

/// Drops an incoming request id that is too long or not plain ASCII, so
/// that a client cannot write what it likes into the log; one is then made.
pub async fn forget_unusable_request_id(mut req: Request, next: Next) -> Response {
    let usable = |id: &HeaderValue| (1..=64).contains(&id.len()) && id.as_bytes().iter().all(u8::is_ascii_graphic);
    if req.headers().get(REQUEST_ID).is_some_and(|id| !usable(id)) {
        req.headers_mut().remove(REQUEST_ID);
    }
    next.run(req).await
}

/// 64 random bits as 16 hex digits.
#[derive(Clone, Copy, Default)]
pub struct NewRequestId;

impl MakeRequestId for NewRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).ok()?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// The span a request's log lines carry.
#[derive(Clone, Copy, Default)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &axum::http::Request<B>) -> Span {
        let id = req.headers().get(REQUEST_ID).and_then(|id| id.to_str().ok()).unwrap_or("");
        tracing::info_span!("request", request_id = id, method = %req.method(), path = %masked(req.uri()))
    }
}

/// The one line per request.
#[derive(Clone, Copy, Default)]
pub struct Summary;

impl<B> OnResponse<B> for Summary {
    fn on_response(self, response: &axum::http::Response<B>, latency: Duration, _: &Span) {
        let latency_ms = (latency.as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
        tracing::info!(target: "request", status = response.status().as_u16(), latency_ms);
    }
}

/// The path and query as they may be logged.
pub fn masked(uri: &Uri) -> String {
    let mut logged = mask_digits(uri.path());
    if let Some(query) = uri.query() {
        logged.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                logged.push('&');
            }
            match pair.split_once('=') {
                Some((key @ ("phone" | "q"), _)) => logged.push_str(&format!("{key}=***")),
                _ => logged.push_str(&mask_digits(pair)),
            }
        }
    }
    logged
}

/// Masks the middle of every run of 7 or more digits (`138****8000`).
fn mask_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 7 {
            let (head, tail) = (&digits[..3], &digits[digits.len() - 4..]);
            out.push_str(&format!("{head}****{tail}"));
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn phone_numbers_never_reach_the_log() {
        let uri = "/api/orders/XQ7K2M9P4R8T?phone=13800138000".parse().unwrap();
        assert_eq!(masked(&uri), "/api/orders/XQ7K2M9P4R8T?phone=***");
        let uri = "/api/admin/orders?q=13800138000&status=paid&page=2".parse().unwrap();
        assert_eq!(masked(&uri), "/api/admin/orders?q=***&status=paid&page=2");
        let uri = "/orders/13800138000/x?ref=8613912345678".parse().unwrap();
        assert_eq!(masked(&uri), "/orders/138****8000/x?ref=861****5678");
        let uri = "/api/products?category=honey&page=12".parse().unwrap();
        assert_eq!(masked(&uri), "/api/products?category=honey&page=12");
    }
}
