//! One structured log line per request: method, path, status, latency and a
//! request id, which the response also carries in `x-request-id`, so a
//! shopper's report can be matched to the log. Phone numbers never reach
//! the log: digit runs that could be one, and the values of `phone` and `q`
//! (the admin's search by phone), are masked.

use axum::extract::Request;
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn request_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(new_request_id, str::to_owned);
    let method = req.method().clone();
    let path = masked(req.uri());
    let mut response = next.run(req).await;
    let latency_ms = (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    tracing::info!(target: "request", %method, %path, status = response.status().as_u16(), latency_ms, %request_id);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

fn new_request_id() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The path and query as they may be logged.
fn masked(uri: &Uri) -> String {
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
