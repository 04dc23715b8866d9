//! Security headers on every response: a Content-Security-Policy that lets
//! the wasm app run and nothing else, `nosniff`, and a referrer policy.
//!
//! The policy allows inline `<script>`/`<style>` only by hash. Trunk writes
//! an inline module script that names this build's hashed bundle, so the
//! hashes change with every build: the handler that returns an `index.html`
//! attaches the hashes of that very document ([`InlineCode`]) and this layer
//! writes them into the policy. Every other response gets the same policy
//! with no inline code allowed.

use crate::config::Config;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::prelude::{Engine, BASE64_STANDARD};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// CSP hash sources (`'sha256-…'`) of a document's inline scripts and styles,
/// put in the response's extensions by whoever built the document.
#[derive(Clone, Debug, Default)]
pub struct InlineCode {
    scripts: Vec<String>,
    styles: Vec<String>,
}

impl InlineCode {
    pub fn allow_script(&mut self, text: &str) {
        self.scripts.push(hash_source(text));
    }

    pub fn allow_style(&mut self, text: &str) {
        self.styles.push(hash_source(text));
    }
}

/// The CSP source for exactly this text: browsers hash the element's text
/// as written (UTF-8), so it must not be trimmed or re-encoded.
fn hash_source(text: &str) -> String {
    format!("'sha256-{}'", BASE64_STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// What the policy allows beyond the shop's own origin, from the configuration.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    /// `'self'`, plus `PUBLIC_API_BASE`'s origin when the API lives elsewhere.
    connect_src: String,
}

impl SecurityHeaders {
    pub fn from_config(config: &Config) -> SecurityHeaders {
        let mut connect_src = "'self'".to_owned();
        if let Some(origin) = config.public_api_base.as_deref().map(origin_of) {
            connect_src.push(' ');
            connect_src.push_str(origin);
        }
        SecurityHeaders { connect_src }
    }

    /// The Content-Security-Policy for a response with this inline code.
    ///
    /// `'wasm-unsafe-eval'` lets current engines compile the wasm. Engines
    /// before Chrome 97, Firefox 102 and Safari 16 (the shop targets Chrome
    /// 75-era WeChat webviews) know only `'unsafe-eval'` for that and refuse
    /// `WebAssembly.instantiate` without it, so it stays; with script
    /// sources limited to our origin and hashed inline code, no injected
    /// text can reach `eval` to begin with.
    pub fn content_security_policy(&self, inline: &InlineCode) -> HeaderValue {
        let script_src = ["'self'", "'wasm-unsafe-eval'", "'unsafe-eval'"]
            .into_iter()
            .chain(inline.scripts.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let style_src =
            std::iter::once("'self'").chain(inline.styles.iter().map(String::as_str)).collect::<Vec<_>>().join(" ");
        let policy = format!(
            "default-src 'self'; script-src {script_src}; style-src {style_src}; img-src 'self' data:; \
             connect-src {}; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'",
            self.connect_src
        );
        HeaderValue::from_str(&policy).expect("the policy is ASCII: hashes are base64, origins come from URLs")
    }
}

/// `https://api.example.cn` from `https://api.example.cn/v1`: CSP sources
/// with a path match only that path, and the API lives under `/api`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

/// The layer: adds the headers to every response, API and storefront alike.
pub async fn add_headers(State(headers): State<Arc<SecurityHeaders>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let inline = res.extensions().get::<InlineCode>().cloned().unwrap_or_default();
    let res_headers = res.headers_mut();
    res_headers.insert(CONTENT_SECURITY_POLICY, headers.content_security_policy(&inline));
    res_headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res_headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_what_browsers_compute() {
        // The example in the CSP specification (and MDN) for `<script>alert('Hello, world.');</script>`.
        assert_eq!(hash_source("alert('Hello, world.');"), "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    }

    #[test]
    fn the_api_base_is_allowed_by_origin() {
        assert_eq!(origin_of("https://api.example.cn/v1/"), "https://api.example.cn");
        assert_eq!(origin_of("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    }
}
