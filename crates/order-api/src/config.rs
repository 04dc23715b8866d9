//! Configuration from the environment, each setting with a default that runs
//! the whole shop on one machine.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `BIND`: the address the server listens on.
    pub bind: String,
    /// `DATABASE_URL`: where orders and the catalogue live.
    pub database_url: String,
    /// `STATIC_DIR`: the built storefront (Trunk's `dist/`), served beside the API.
    pub static_dir: PathBuf,
    /// `ADMIN_TOKEN`: the admin bearer token, the same on every replica.
    pub admin_token: Option<String>,
    /// `ADMIN_TOKEN_FILE`: where a single machine keeps a generated token
    /// when `ADMIN_TOKEN` is unset.
    pub admin_token_file: PathBuf,
    /// `ADMIN_AUTH_MAX_FAILURES`: wrong tokens from one address, within 15
    /// minutes, before it is refused (429) for the rest of that time.
    pub admin_auth_max_failures: u32,
    /// `UNPAID_ORDER_MINUTES`: how long a `pending_payment` order holds its
    /// stock before it is cancelled automatically.
    pub unpaid_order_minutes: i64,
    /// `ASSETS_DIR`: hashed bundle files of recent builds, kept by
    /// `scripts/build-storefront.sh` so pages loaded before a deploy still
    /// find their wasm; served when `static_dir` lacks a file.
    pub assets_dir: PathBuf,
    /// `PUBLIC_ORIGIN`: the shop's address as shoppers reach it
    /// (`https://shop.example.cn`), for absolute URLs in share cards.
    pub public_origin: Option<String>,
    /// `PUBLIC_API_BASE`: where the storefront calls the API when that is not
    /// the page's own origin (`https://api.example.cn`); written into each
    /// `index.html` and allowed by its Content-Security-Policy.
    pub public_api_base: Option<String>,
}

/// A numeric setting; an unparsable value is a startup error, not a silent default.
fn number<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

/// An address setting without its trailing slash; unset or empty is `None`.
fn origin_setting(name: &str) -> Option<String> {
    let value = std::env::var(name).ok()?;
    let value = value.trim().trim_end_matches('/');
    (!value.is_empty()).then(|| value.to_owned())
}

impl Config {
    pub fn from_env() -> Config {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Config {
            bind: var("BIND", "127.0.0.1:8080"),
            database_url: var("DATABASE_URL", "sqlite://data/shop.db"),
            static_dir: var("STATIC_DIR", "dist").into(),
            admin_token: std::env::var("ADMIN_TOKEN").ok(),
            admin_token_file: var("ADMIN_TOKEN_FILE", "data/admin-token").into(),
            admin_auth_max_failures: number("ADMIN_AUTH_MAX_FAILURES", 5),
            unpaid_order_minutes: number("UNPAID_ORDER_MINUTES", 24 * 60),
            assets_dir: var("ASSETS_DIR", "data/assets").into(),
            public_origin: origin_setting("PUBLIC_ORIGIN"),
            public_api_base: origin_setting("PUBLIC_API_BASE"),
        }
    }
}
