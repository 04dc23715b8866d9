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
    /// `PAYMENT_PROVIDER`: `wechat`, `simulator` (the local WeChat Pay
    /// simulator, what the run command uses), or unset: no online payment
    /// (staff record bank transfers).
    pub payment_provider: Option<PaymentProviderKind>,
    /// `WECHAT_*`: the merchant account (see `payments::wechat::setup`).
    pub wechat: WechatSettings,
    /// `PAYMENT_SWEEP_SECS`: how often the payment sweep runs (cancelling
    /// orders left unpaid, asking about attempts and refunds no
    /// notification settled).
    pub payment_sweep_secs: u64,
    /// `SHUTDOWN_DRAIN_SECS`: after SIGTERM, how long the server keeps
    /// serving with `/readyz` at 503 before it stops accepting connections;
    /// longer than the load balancer takes to notice (HAProxy's default
    /// checks: 3 failures 2 s apart).
    pub shutdown_drain: Duration,
    /// `METRICS_BIND`: the private address (e.g. `127.0.0.1:9090`) where
    /// `GET /metrics` answers in Prometheus's text format; unset, none.
    /// Never the shop's own address: what it tells is for staff.
    pub metrics_bind: Option<String>,
    /// `LOG_DIR`: write the log to daily files here (`order-api.YYYY-MM-DD.log`)
    /// instead of standard output.
    pub log_dir: Option<PathBuf>,
    /// `LOG_KEEP_DAYS`: how many daily files `LOG_DIR` keeps; the default
    /// is over six months, what 网络安全法 §21 asks network logs be kept.
    pub log_keep_days: usize,
    /// `ALERT_WEBHOOK_URL`: a 企业微信 group robot's webhook
    /// (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`) told when
    /// checkouts fail or a payment lands on a closed order; unset, none.
    pub alert_webhook_url: Option<String>,
    /// `ALERT_INTERVAL_SECS`: at most one alert message per this long.
    pub alert_interval: Duration,
    /// `BACKUP_DIR`: where `order-api backup` without a FILE writes.
    pub backup_dir: PathBuf,
    /// `BACKUP_KEEP`: how many of those it keeps (the newest; at least 1).
    pub backup_keep: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentProviderKind {
    Wechat,
    Simulator,
}

/// The merchant's WeChat Pay settings; secrets are files, never values.
#[derive(Clone, Debug, Default)]
pub struct WechatSettings {
    /// `WECHAT_PAY_MCHID`
    pub mchid: Option<String>,
    /// `WECHAT_APPID`: the 公众号 bound to the merchant.
    pub appid: Option<String>,
    /// `WECHAT_APP_SECRET_FILE`: the 公众号's AppSecret, for the web authorisation.
    pub app_secret_file: Option<PathBuf>,
    /// `WECHAT_PAY_CERT_SERIAL`: the merchant API certificate's serial number.
    pub cert_serial: Option<String>,
    /// `WECHAT_PAY_PRIVATE_KEY_FILE`: `apiclient_key.pem`.
    pub private_key_file: Option<PathBuf>,
    /// `WECHAT_PAY_APIV3_KEY_FILE`: the 32-character APIv3 key.
    pub apiv3_key_file: Option<PathBuf>,
    /// `WECHAT_PAY_PUBLIC_KEY_FILE`: `pub_key.pem`, WeChat Pay's public key.
    pub public_key_file: Option<PathBuf>,
    /// `WECHAT_PAY_PUBLIC_KEY_ID`: its id, `PUB_KEY_ID_…`.
    pub public_key_id: Option<String>,
    /// `WECHAT_PAY_BASE_URL`, `WECHAT_OAUTH_BASE_URL`, `WECHAT_API_BASE_URL`:
    /// the real hosts by default; the simulator stands in for all three.
    pub pay_base_url: Option<String>,
    pub oauth_base_url: Option<String>,
    pub api_base_url: Option<String>,
    /// `WECHAT_PAY_H5`: whether the merchant has WeChat's approval for H5
    /// payments (default true); without it phone browsers get the QR code.
    pub h5_enabled: bool,
    /// `WECHAT_SIMULATOR_DIR`: where the simulator writes its keys and
    /// settings, read with `PAYMENT_PROVIDER=simulator`.
    pub simulator_dir: PathBuf,
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
            payment_provider: match lookup("PAYMENT_PROVIDER").as_deref().map(str::trim) {
                None | Some("") | Some("none") => None,
                Some("wechat") => Some(PaymentProviderKind::Wechat),
                Some("simulator") => Some(PaymentProviderKind::Simulator),
                Some(other) => panic!("PAYMENT_PROVIDER={other} is not valid (wechat, simulator or none)"),
            },
            wechat: WechatSettings {
                mchid: lookup("WECHAT_PAY_MCHID"),
                appid: lookup("WECHAT_APPID"),
                app_secret_file: lookup("WECHAT_APP_SECRET_FILE").map(PathBuf::from),
                cert_serial: lookup("WECHAT_PAY_CERT_SERIAL"),
                private_key_file: lookup("WECHAT_PAY_PRIVATE_KEY_FILE").map(PathBuf::from),
                apiv3_key_file: lookup("WECHAT_PAY_APIV3_KEY_FILE").map(PathBuf::from),
                public_key_file: lookup("WECHAT_PAY_PUBLIC_KEY_FILE").map(PathBuf::from),
                public_key_id: lookup("WECHAT_PAY_PUBLIC_KEY_ID"),
                pay_base_url: origin_setting(&lookup, "WECHAT_PAY_BASE_URL"),
                oauth_base_url: origin_setting(&lookup, "WECHAT_OAUTH_BASE_URL"),
                api_base_url: origin_setting(&lookup, "WECHAT_API_BASE_URL"),
                h5_enabled: parsed(&lookup, "WECHAT_PAY_H5", true),
                simulator_dir: var("WECHAT_SIMULATOR_DIR", "data/wechat-sim").into(),
            },
            payment_sweep_secs: parsed(&lookup, "PAYMENT_SWEEP_SECS", 60),
            shutdown_drain: Duration::from_secs(parsed(&lookup, "SHUTDOWN_DRAIN_SECS", 8)),
            metrics_bind: lookup("METRICS_BIND").filter(|b| !b.trim().is_empty()),
            log_dir: lookup("LOG_DIR").filter(|d| !d.trim().is_empty()).map(PathBuf::from),
            log_keep_days: parsed(&lookup, "LOG_KEEP_DAYS", 186),
            alert_webhook_url: lookup("ALERT_WEBHOOK_URL").filter(|u| !u.trim().is_empty()),
            alert_interval: Duration::from_secs(parsed(&lookup, "ALERT_INTERVAL_SECS", 60)),
            backup_dir: var("BACKUP_DIR", "data/backups").into(),
            backup_keep: parsed(&lookup, "BACKUP_KEEP", 14),
        }
    }
}
