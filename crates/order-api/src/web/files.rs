//! The built storefront's files: from `dist/`, then from the hashed files
//! earlier builds left in `ASSETS_DIR`, with their precompressed twins and
//! a cache policy for each kind.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

/// The files under `dir`, with their precompressed `.br`/`.gz` twins for
/// browsers that accept them. Never a directory's `index.html`: HTML always
/// goes through the page handler, which fills in its head.
pub fn files_in(dir: &Path) -> ServeDir {
    ServeDir::new(dir).append_index_html_on_directories(false).precompressed_br().precompressed_gzip()
}

/// HTML must be revalidated on every load (WeChat's X5 caches it hard), so
/// that after a deploy phones fetch the new hashed bundle names; hashed
/// assets never change and are cached for a year; other files for an hour;
/// failures not at all.
pub async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let policy = if is_html {
        "no-cache"
    } else if !res.status().is_success() {
        "no-store"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// Trunk names bundle files `name-<hash>[_bg].ext`, the hash a u64 in hex
/// without leading zeros: 16 digits, 15 in one build of 16 (fewer than 12
/// about never; a shorter run of hex letters could be a word, "honey-bee").
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/order-app/order-app-cdd7d3035cb0e29_bg.wasm"), "a hash with a leading zero dropped");
        assert!(!is_hashed_asset("/images/honey-bee.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/images/jingtai-red-goji.svg"));
        assert!(!is_hashed_asset("/products/wufo-jujube"));
    }
}
