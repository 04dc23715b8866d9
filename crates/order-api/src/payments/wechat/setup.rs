//! WeChat Pay from the configuration: the merchant's settings from the
//! environment (secrets from files, never logged), or, with
//! `PAYMENT_PROVIDER=simulator`, the ones the local simulator wrote into
//! `WECHAT_SIMULATOR_DIR` when it started (each still overridable).

use super::crypto::{ApiV3Key, MerchantKey, PlatformKey};
use super::oauth::WechatOauth;
use super::{WechatPay, WechatPayKeys};
use crate::config::{Config, PaymentProviderKind};
use crate::payments::Payments;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// What the simulator writes to `simulator.json` beside its key files.
#[derive(Default, Deserialize)]
struct SimulatorSettings {
    mchid: String,
    appid: String,
    merchant_serial: String,
    public_key_id: String,
    base_url: String,
}

const NOTIFY_PATH: &str = "/api/payments/wechat/notify";
const OAUTH_CALLBACK_PATH: &str = "/api/wechat/oauth/callback";

/// The shop's online payments, or `None` without a `PAYMENT_PROVIDER`.
/// `listening_on` stands in for `PUBLIC_ORIGIN` on a development machine.
pub fn payments_from_config(config: &Config, listening_on: SocketAddr) -> Result<Option<Payments>, String> {
    let Some(kind) = config.payment_provider else { return Ok(None) };
    let shop_origin = config.public_origin.clone().unwrap_or_else(|| format!("http://{listening_on}"));
    let w = &config.wechat;
    let sim = match kind {
        PaymentProviderKind::Wechat => {
            if !shop_origin.starts_with("https://") {
                return Err(
                    "PAYMENT_PROVIDER=wechat needs PUBLIC_ORIGIN=https://… (WeChat Pay notifies only HTTPS addresses)"
                        .into(),
                );
            }
            None
        }
        PaymentProviderKind::Simulator => {
            if shop_origin.starts_with("https://") {
                return Err("PAYMENT_PROVIDER=simulator with an https:// PUBLIC_ORIGIN: a live shop must not take simulated payments".into());
            }
            let file = w.simulator_dir.join("simulator.json");
            let text = std::fs::read_to_string(&file).map_err(|e| {
                format!("{}: {e} (start the simulator first: cargo run -p wechat-pay-sim)", file.display())
            })?;
            Some(serde_json::from_str::<SimulatorSettings>(&text).map_err(|e| format!("{}: {e}", file.display()))?)
        }
    };
    let dir = &w.simulator_dir;
    let setting = |value: &Option<String>, name: &str, simulated: fn(&SimulatorSettings) -> &str| {
        value.clone().or_else(|| sim.as_ref().map(|s| simulated(s).to_owned())).ok_or(format!("{name} is required"))
    };
    let file = |value: &Option<PathBuf>, name: &str, simulated: &str| -> Result<PathBuf, String> {
        value.clone().or_else(|| sim.as_ref().map(|_| dir.join(simulated))).ok_or(format!("{name} is required"))
    };
    let mchid = setting(&w.mchid, "WECHAT_PAY_MCHID", |s| &s.mchid)?;
    let appid = setting(&w.appid, "WECHAT_APPID", |s| &s.appid)?;
    let serial = setting(&w.cert_serial, "WECHAT_PAY_CERT_SERIAL", |s| &s.merchant_serial)?;
    let public_key_id = setting(&w.public_key_id, "WECHAT_PAY_PUBLIC_KEY_ID", |s| &s.public_key_id)?;
    let private_key = read(&file(&w.private_key_file, "WECHAT_PAY_PRIVATE_KEY_FILE", "apiclient_key.pem")?)?;
    let public_key = read(&file(&w.public_key_file, "WECHAT_PAY_PUBLIC_KEY_FILE", "pub_key.pem")?)?;
    let apiv3_key = read(&file(&w.apiv3_key_file, "WECHAT_PAY_APIV3_KEY_FILE", "apiv3_key")?)?;
    let secret_file = w.app_secret_file.clone().or_else(|| sim.as_ref().map(|_| dir.join("app_secret")));
    let sim_url = sim.as_ref().map(|s| s.base_url.trim_end_matches('/').to_owned());
    let base = |value: &Option<String>, real: &str| {
        value.clone().or_else(|| sim_url.clone()).unwrap_or_else(|| real.to_owned())
    };

    let keys = WechatPayKeys {
        merchant: MerchantKey::from_pem(&private_key, &serial)
            .map_err(|e| format!("WECHAT_PAY_PRIVATE_KEY_FILE: {e}"))?,
        platform: PlatformKey::from_pem(&public_key, &public_key_id)
            .map_err(|e| format!("WECHAT_PAY_PUBLIC_KEY_FILE: {e}"))?,
        apiv3: ApiV3Key::new(trim_line(&apiv3_key)).map_err(|e| format!("WECHAT_PAY_APIV3_KEY_FILE: {e}"))?,
        mchid,
        appid,
    };
    let notify_url = format!("{shop_origin}{NOTIFY_PATH}");
    let oauth = match secret_file {
        Some(path) => {
            let secret = String::from_utf8(read(&path)?).map_err(|_| format!("{}: not text", path.display()))?;
            let callback = format!("{shop_origin}{OAUTH_CALLBACK_PATH}");
            let (oauth_base, api_base) = (
                base(&w.oauth_base_url, "https://open.weixin.qq.com"),
                base(&w.api_base_url, "https://api.weixin.qq.com"),
            );
            Some(WechatOauth::new(&keys.appid, secret.trim(), &oauth_base, &api_base, &callback))
        }
        None => {
            tracing::warn!(
                "no WECHAT_APP_SECRET_FILE: payments inside WeChat (JSAPI) are off, QR codes are offered instead"
            );
            None
        }
    };
    let pay_base = base(&w.pay_base_url, "https://api.mch.weixin.qq.com");
    tracing::info!(?kind, mchid = keys.mchid, %pay_base, notify_url, "WeChat Pay is on");
    let provider = WechatPay::new(keys, &pay_base, &notify_url, w.h5_enabled);
    Ok(Some(Payments { provider: Box::new(provider), oauth, shop_origin }))
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A key file's content without its final newline.
fn trim_line(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &bytes[..end]
}
