//! A local stand-in for WeChat Pay API v3 and WeChat's web authorisation,
//! for development (`scripts/run.sh` starts it beside the shop) and tests.
//! It speaks their protocol and refuses what they would refuse: requests
//! not signed with the merchant's key (`401 SIGN_ERROR`), changed
//! parameters under an out_trade_no it has seen, payments after
//! `time_expire`, refunds over what was paid. It signs every answer with
//! its own "WeChat Pay public key", and sends encrypted, signed
//! notifications, with faults a test can ask for: duplicates, delays, lost
//! ones, a wrong amount, a stale timestamp, a probe signature.
//!
//! At start it makes its keys and writes what the shop needs into a
//! directory: `apiclient_key.pem` (the merchant's private key),
//! `pub_key.pem` (its own public key), `apiv3_key`, `app_secret` and
//! `simulator.json` (ids and its address).

pub mod crypto;
mod pages;
mod pay;

use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

pub const MCHID: &str = "1900000109";
pub const APPID: &str = "wxd930ea5d5a258f4f";
/// The id of the simulator's "WeChat Pay public key".
pub const PUBLIC_KEY_ID: &str = "PUB_KEY_ID_0119000001092026120100000001";
/// The serial of the merchant's (simulated) API certificate.
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

/// A notification fault a test asks for; each applies to the next notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Sent `count` times at once.
    Duplicate { count: usize },
    /// Sent after `ms` milliseconds.
    Delay { ms: u64 },
    /// Never sent (the shop must find out by querying).
    Lost,
    /// The plaintext's amount is one fen more than the trade's.
    WrongAmount,
    /// `Wechatpay-Timestamp` ten minutes in the past (correctly signed).
    StaleTimestamp,
    /// A `WECHATPAY/SIGNTEST/…` probe signature, as WeChat sends to test a merchant.
    ProbeSignature,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeState {
    Notpay,
    Success,
    Closed,
}

/// One trade as the simulator keeps it.
#[derive(Clone, Debug, Serialize)]
pub struct Trade {
    pub out_trade_no: String,
    /// `JSAPI`, `MWEB` (H5) or `NATIVE`.
    pub trade_type: String,
    pub state: TradeState,
    pub total: i64,
    pub description: String,
    pub notify_url: String,
    pub expires_at: i64,
    pub openid: Option<String>,
    /// The prepay_id (JSAPI), or the code behind the h5_url and code_url.
    pub prepay_id: String,
    pub transaction_id: Option<String>,
    pub success_time: Option<String>,
    pub refunded: i64,
    /// What was asked, so a changed repeat can be refused.
    #[serde(skip)]
    fingerprint: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Refund {
    pub out_refund_no: String,
    pub refund_id: String,
    pub out_trade_no: String,
    pub amount: i64,
    pub status: String,
    pub notify_url: String,
}

/// A notification the simulator sent, and how the shop answered each try.
#[derive(Clone, Debug, Serialize)]
pub struct SentNotification {
    pub event_type: String,
    pub out_trade_no: String,
    pub fault: Option<Fault>,
    pub answers: Vec<u16>,
}

pub(crate) struct Keys {
    /// "WeChat Pay's" private key, which signs answers and notifications.
    pub platform: RsaPrivateKey,
    /// The merchant's public key, which checks the shop's requests.
    pub merchant_public: RsaPublicKey,
    pub apiv3_key: String,
    pub app_secret: String,
    pub openid: String,
}

#[derive(Default)]
pub(crate) struct World {
    pub trades: HashMap<String, Trade>,
    pub refunds: HashMap<String, Refund>,
    /// Authorisation codes and when they were made (each works once).
    pub codes: HashMap<String, i64>,
    pub faults: VecDeque<Fault>,
    pub notifications: Vec<SentNotification>,
}

pub(crate) struct Sim {
    pub keys: Keys,
    pub base_url: String,
    pub world: Mutex<World>,
    pub http: reqwest::Client,
}

pub(crate) type Shared = Arc<Sim>;

pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// A running simulator.
pub struct Simulator {
    pub addr: SocketAddr,
    pub base_url: String,
    /// Where its keys and `simulator.json` are.
    pub dir: PathBuf,
    sim: Shared,
}

#[derive(Serialize)]
struct Settings<'a> {
    mchid: &'a str,
    appid: &'a str,
    merchant_serial: &'a str,
    public_key_id: &'a str,
    base_url: &'a str,
}

/// Starts a simulator on `bind` (`127.0.0.1:0` for any free port), with
/// fresh keys written into `dir`, serving until the process ends.
pub async fn start(bind: &str, dir: &Path) -> std::io::Result<Simulator> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}");
    let (merchant, platform) = tokio::task::spawn_blocking(|| (crypto::new_key(), crypto::new_key())).await?;
    let keys = Keys {
        merchant_public: merchant.to_public_key(),
        platform,
        apiv3_key: crypto::random_text(32),
        app_secret: crypto::random_text(32),
        openid: ["oSim", &crypto::random_text(24)].concat(),
    };
    std::fs::create_dir_all(dir)?;
    let write = |name: &str, text: &str| -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?.write_all(text.as_bytes())
    };
    write("apiclient_key.pem", &crypto::private_pem(&merchant))?;
    write("pub_key.pem", &crypto::public_pem(&keys.platform.to_public_key()))?;
    write("apiv3_key", &keys.apiv3_key)?;
    write("app_secret", &keys.app_secret)?;
    let settings = Settings {
        mchid: MCHID,
        appid: APPID,
        merchant_serial: MERCHANT_SERIAL,
        public_key_id: PUBLIC_KEY_ID,
        base_url: &base_url,
    };
    // Written last: its presence says the keys are there.
    write("simulator.json", &serde_json::to_string_pretty(&settings).expect("settings serialise"))?;
    let sim = Arc::new(Sim {
        keys,
        base_url: base_url.clone(),
        world: Mutex::new(World::default()),
        http: reqwest::Client::new(),
    });
    let app = pay::routes().merge(pages::routes()).with_state(sim.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("wechat-pay-sim stopped: {e}");
        }
    });
    Ok(Simulator { addr, base_url, dir: dir.to_owned(), sim })
}

impl Simulator {
    /// Applies `fault` to the next notification.
    pub fn queue_fault(&self, fault: Fault) {
        self.sim.world.lock().unwrap().faults.push_back(fault);
    }

    pub fn trades(&self) -> Vec<Trade> {
        self.sim.world.lock().unwrap().trades.values().cloned().collect()
    }

    pub fn refunds(&self) -> Vec<Refund> {
        self.sim.world.lock().unwrap().refunds.values().cloned().collect()
    }

    pub fn notifications(&self) -> Vec<SentNotification> {
        self.sim.world.lock().unwrap().notifications.clone()
    }

    /// The shopper pays `out_trade_no` (as the cashier page's button does).
    pub fn pay(&self, out_trade_no: &str) -> Result<(), String> {
        pay::pay(&self.sim, out_trade_no)
    }

    /// The openid the simulated WeChat user has.
    pub fn openid(&self) -> String {
        self.sim.keys.openid.clone()
    }
}
