//! Configuration from the environment, each setting with a default that runs
//! the whole shop on one machine.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `BIND`: the address the server listens on.
    pub bind: String,
    /// `ADDR_FILE`: where to write the address the server listens on, once
    /// it does (for tests and scripts that bind port 0).
    pub addr_file: Option<PathBuf>,
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
    /// `RATE_LIMIT_ORDERS_PER_MINUTE`: order attempts (`POST /api/orders`)
    /// one address may make per minute.
    pub orders_per_minute: u32,
    /// `RATE_LIMIT_LOOKUPS_PER_MINUTE`: order lookups one address may make per minute.
    pub lookups_per_minute: u32,
    /// `REQUEST_TIMEOUT_SECS`: the longest an API request may take.
    pub request_timeout: Duration,
    /// `TRUST_FORWARDED_FOR`: behind a load balancer, take the client's
    /// address from the last `X-Forwarded-For` entry instead of the socket.
    pub trust_forwarded_for: bool,
    /// `CORS_ALLOWED_ORIGINS`: comma-separated storefront origins (e.g.
    /// `https://shop.example.cn`) that may call the API from another origin.
    pub cors_allowed_origins: Vec<String>,
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

/// A setting parsed from its text; an unparsable value is a startup error,
/// not a silent default.
fn parsed<T: std::str::FromStr>(lookup: &impl Fn(&str) -> Option<String>, name: &str, default: T) -> T {
    match lookup(name) {
        Some(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v} is not valid")),
        None => default,
    }
}

impl Default for Config {
    /// Every default, whatever the environment says.
    fn default() -> Config {
        Config::from_lookup(|_| None)
    }
}

/// An address setting without its trailing slash; unset or empty is `None`.
fn origin_setting(lookup: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    let value = lookup(name)?;
    let value = value.trim().trim_end_matches('/');
    (!value.is_empty()).then(|| value.to_owned())
}

impl Config {
    pub fn from_env() -> Config {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// The settings `lookup` gives, defaults for the rest.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Config {
        let var = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
        let number = |name: &str, default: u32| parsed(&lookup, name, default);
        Config {
            bind: var("BIND", "127.0.0.1:8080"),
            addr_file: lookup("ADDR_FILE").filter(|f| !f.trim().is_empty()).map(PathBuf::from),
            database_url: var("DATABASE_URL", "sqlite://data/shop.db"),
            static_dir: var("STATIC_DIR", "dist").into(),
            admin_token: lookup("ADMIN_TOKEN"),
            admin_token_file: var("ADMIN_TOKEN_FILE", "data/admin-token").into(),
            admin_auth_max_failures: number("ADMIN_AUTH_MAX_FAILURES", 5),
            unpaid_order_minutes: parsed(&lookup, "UNPAID_ORDER_MINUTES", 24 * 60),
            orders_per_minute: number("RATE_LIMIT_ORDERS_PER_MINUTE", 30),
            lookups_per_minute: number("RATE_LIMIT_LOOKUPS_PER_MINUTE", 60),
            request_timeout: Duration::from_secs(number("REQUEST_TIMEOUT_SECS", 15).into()),
            trust_forwarded_for: parsed(&lookup, "TRUST_FORWARDED_FOR", false),
            cors_allowed_origins: var("CORS_ALLOWED_ORIGINS", "")
                .split(',')
                .map(|origin| origin.trim().trim_end_matches('/').to_owned())
                .filter(|origin| !origin.is_empty())
                .collect(),
            assets_dir: var("ASSETS_DIR", "data/assets").into(),
            public_origin: origin_setting(&lookup, "PUBLIC_ORIGIN"),
            public_api_base: origin_setting(&lookup, "PUBLIC_API_BASE"),
        }
    }
}
