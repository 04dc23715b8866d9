//! Serves the built storefront beside the API, so one process on one port is
//! the whole shop: files from `dist/`, and `index.html` for every client-side
//! route (the SPA fallback).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

pub fn storefront(dist: PathBuf) -> Router {
    let files = ServeDir::new(&dist);
    let app_html = move |req: Request| {
        let dist = dist.clone();
        async move { spa_index(&dist, req.uri().path()).await }
    };
    let files = files.precompressed_br().precompressed_gzip().fallback(any(app_html.clone()));
    Router::new()
        // Without this, ServeDir would redirect the directory to `/admin/`.
        .route("/admin", any(app_html))
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

/// Client-side routes (`/products/jingtai-red-goji`) get the app's HTML:
/// the admin area's under `/admin`, the shop's elsewhere. A missing *file*
/// (`/old-bundle.wasm`) is a plain 404: answering it with HTML would make
/// the browser fail on a MIME mismatch instead.
async fn spa_index(dist: &Path, path: &str) -> Response {
    let last_segment = path.rsplit('/').next().unwrap_or("");
    if last_segment.contains('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    let is_admin = path == "/admin" || path.starts_with("/admin/");
    let index = if is_admin { dist.join("admin/index.html") } else { dist.join("index.html") };
    match tokio::fs::read(index).await {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from(html)).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "storefront not built: run scripts/run.sh").into_response(),
    }
}

/// HTML must be revalidated on every load (WeChat's X5 caches it hard), so
/// that after a deploy phones fetch the new hashed bundle names; hashed
/// assets never change and are cached for a year; other files for an hour;
/// failures not at all.
async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let policy = if is_html {
        "no-cache"
    } else if !res.status().is_success() {
        "no-store"
    } else if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// Trunk names bundle files `name-<16 hex digits>[_bg].ext`.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/images/jingtai-red-goji.svg"));
        assert!(!is_hashed_asset("/products/wufo-jujube"));
    }
}
