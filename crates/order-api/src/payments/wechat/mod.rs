//! The merchant side of WeChat Pay API v3: JSAPI, H5 and Native payments,
//! query, close, refunds and notifications. The same code talks to
//! `api.mch.weixin.qq.com` with a merchant's credentials and, in
//! development and tests, to the local simulator (`crates/wechat-pay-sim`),
//! which speaks the same protocol and refuses what WeChat would.
//!
//! Every request is signed with the merchant key; every answer is verified
//! with WeChat Pay's public key before it is believed: an answer that fails
//! is treated as no answer (`ProviderError::Unknown`), and what was asked is
//! queried later.

pub mod crypto;
pub mod oauth;
pub mod setup;

use super::{
    Instrument, NewAttempt, Notice, PaymentProvider, ProviderError, RefundCall, RefundStatus, Reply, Trade, TradeState,
};
use crate::db::clock;
use crypto::{ApiV3Key, MerchantKey, PlatformKey, Verdict};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use shop_core::payment::{JsapiParams, PaymentMode, RefundState};
use std::time::Duration;

/// What a merchant account needs, read by `config`.
pub struct WechatPay {
    http: reqwest::Client,
    mchid: String,
    appid: String,
    merchant: MerchantKey,
    platform: PlatformKey,
    apiv3: ApiV3Key,
    /// `https://api.mch.weixin.qq.com`, or the simulator's address.
    base_url: String,
    /// `{PUBLIC_ORIGIN}/api/payments/wechat/notify`.
    notify_url: String,
    /// Whether the merchant has WeChat's approval for H5 payments.
    h5_enabled: bool,
}

/// How long a request to WeChat Pay may take before it counts as unanswered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// WeChat keeps a JSAPI prepay_id and a Native code_url 2 hours, an h5_url 5 minutes.
const PREPAY_LIFETIME_SECS: i64 = 2 * 60 * 60;
const H5_URL_LIFETIME_SECS: i64 = 5 * 60;

pub struct WechatPayKeys {
    pub mchid: String,
    pub appid: String,
    pub merchant: MerchantKey,
    pub platform: PlatformKey,
    pub apiv3: ApiV3Key,
}

impl WechatPay {
    pub fn new(keys: WechatPayKeys, base_url: &str, notify_url: &str, h5_enabled: bool) -> WechatPay {
        WechatPay {
            http: http_client(),
            mchid: keys.mchid,
            appid: keys.appid,
            merchant: keys.merchant,
            platform: keys.platform,
            apiv3: keys.apiv3,
            base_url: base_url.trim_end_matches('/').to_owned(),
            notify_url: notify_url.to_owned(),
            h5_enabled,
        }
    }

    /// Sends a signed request and returns the answer's status and body once
    /// its signature checks out.
    async fn call(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<(u16, String), ProviderError> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let signed =
            crypto::RequestSignature { timestamp: clock::now(), nonce: crypto::nonce(), signature: String::new() };
        let message = crypto::request_message(method.as_str(), path_and_query, signed.timestamp, &signed.nonce, &body);
        let signed = crypto::RequestSignature {
            signature: self.merchant.sign(&message).map_err(|e| ProviderError::Unknown(e.to_string()))?,
            ..signed
        };
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path_and_query}", self.base_url))
            .header("Authorization", crypto::authorization(&self.mchid, &self.merchant.serial, &signed))
            .header("Accept", "application/json")
            .header("User-Agent", "xq-shop/1 (order-api)");
        if !body.is_empty() {
            request = request.header("Content-Type", "application/json").body(body);
        }
        let answer =
            request.send().await.map_err(|e| ProviderError::Unknown(format!("{method} {path_and_query}: {e}")))?;
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let request_id = header_text(&headers, "request-id").unwrap_or_default();
        let text = answer.text().await.map_err(|e| ProviderError::Unknown(format!("reading the answer: {e}")))?;
        let verdict = crypto::verify_answer(&self.platform, |name| header_text(&headers, name), &text, clock::now());
        if verdict != Verdict::Genuine {
            // Not provably WeChat's: believe nothing it says.
            return Err(ProviderError::Unknown(format!(
                "{method} {path_and_query}: answer {status} failed verification ({verdict:?}), Request-ID {request_id}"
            )));
        }
        if status >= 500 {
            return Err(ProviderError::Unknown(format!("{method} {path_and_query}: {status} {text}")));
        }
        if status >= 400 {
            let refusal: WechatRefusal = serde_json::from_str(&text).unwrap_or_default();
            return Err(ProviderError::Refused { status, code: refusal.code, message: refusal.message });
        }
        Ok((status, text))
    }

    fn transaction(&self, text: &str) -> Result<Trade, ProviderError> {
        let t: WechatTransaction =
            serde_json::from_str(text).map_err(|e| ProviderError::Unknown(format!("unreadable transaction: {e}")))?;
        if t.mchid != self.mchid || t.appid != self.appid {
            return Err(ProviderError::Unknown(format!(
                "a transaction for mchid {} appid {}, not ours",
                t.mchid, t.appid
            )));
        }
        let state = match t.trade_state.as_str() {
            // REFUND: it was paid, then (some of it) refunded.
            "SUCCESS" | "REFUND" => TradeState::Paid,
            "NOTPAY" | "USERPAYING" => TradeState::Unpaid,
            "CLOSED" | "REVOKED" | "PAYERROR" => TradeState::Closed,
            other => return Err(ProviderError::Unknown(format!("trade_state {other}"))),
        };
        let amount = t.amount.unwrap_or_default();
        Ok(Trade {
            out_trade_no: t.out_trade_no,
            state,
            transaction_id: t.transaction_id,
            paid_at: as_utc_text(t.success_time),
            total_fen: amount.total,
            payer_total_fen: amount.payer_total,
            currency: amount.currency,
        })
    }

    fn refund_status(&self, text: &str) -> Result<RefundStatus, ProviderError> {
        let r: WechatRefund =
            serde_json::from_str(text).map_err(|e| ProviderError::Unknown(format!("unreadable refund: {e}")))?;
        let state = match r.status.as_str() {
            "SUCCESS" => RefundState::Succeeded,
            "PROCESSING" => RefundState::Processing,
            "CLOSED" | "ABNORMAL" => RefundState::Failed,
            other => return Err(ProviderError::Unknown(format!("refund status {other}"))),
        };
        Ok(RefundStatus {
            refund_no: r.out_refund_no,
            state,
            provider_refund_id: r.refund_id,
            amount_fen: r.amount.and_then(|a| a.refund),
            succeeded_at: as_utc_text(r.success_time),
        })
    }
}

/// WeChat Pay's China-time RFC 3339 as the shop stores every time (UTC text).
fn as_utc_text(time: Option<String>) -> Option<String> {
    time.as_deref().and_then(clock::parse_rfc3339).map(clock::utc_text)
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build().expect("an HTTP client with rustls builds")
}

fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// WeChat's error body: `{"code":"ORDERPAID","message":"订单已支付"}`.
#[derive(Default, Deserialize)]
struct WechatRefusal {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct WechatTransaction {
    mchid: String,
    appid: String,
    out_trade_no: String,
    transaction_id: Option<String>,
    trade_state: String,
    success_time: Option<String>,
    amount: Option<WechatAmount>,
}

#[derive(Default, Deserialize)]
struct WechatAmount {
    total: Option<i64>,
    payer_total: Option<i64>,
    refund: Option<i64>,
    currency: Option<String>,
}

#[derive(Deserialize)]
struct WechatRefund {
    out_refund_no: String,
    refund_id: Option<String>,
    status: String,
    success_time: Option<String>,
    amount: Option<WechatAmount>,
}

/// A notification's envelope; `resource` is encrypted.
#[derive(Deserialize)]
struct Envelope {
    id: String,
    event_type: String,
    resource: Resource,
}

#[derive(Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    nonce: String,
    #[serde(default)]
    associated_data: String,
}

/// A refund notification's plaintext (its names differ from the refund API's).
#[derive(Deserialize)]
struct RefundNotice {
    mchid: String,
    out_refund_no: String,
    refund_id: Option<String>,
    refund_status: String,
    success_time: Option<String>,
    amount: Option<WechatAmount>,
}

impl PaymentProvider for WechatPay {
    fn supports(&self, mode: PaymentMode) -> bool {
        mode != PaymentMode::H5 || self.h5_enabled
    }

    fn start<'a>(&'a self, attempt: &'a NewAttempt) -> Reply<'a, Instrument> {
        Box::pin(async move {
            let mut body = json!({
                "appid": self.appid,
                "mchid": self.mchid,
                "description": attempt.description,
                "out_trade_no": attempt.out_trade_no,
                "time_expire": clock::china_rfc3339(attempt.expires_at),
                "notify_url": self.notify_url,
                "amount": {"total": attempt.amount_fen, "currency": "CNY"},
            });
            let path = match attempt.mode {
                PaymentMode::Jsapi => {
                    let openid =
                        attempt.openid.as_deref().ok_or(ProviderError::Unknown("JSAPI without an openid".into()))?;
                    body["payer"] = json!({"openid": openid});
                    "/v3/pay/transactions/jsapi"
                }
                PaymentMode::H5 => {
                    body["scene_info"] = json!({"payer_client_ip": attempt.client_ip, "h5_info": {"type": "Wap"}});
                    "/v3/pay/transactions/h5"
                }
                PaymentMode::Native => "/v3/pay/transactions/native",
            };
            let (_, text) = self.call(Method::POST, path, Some(&body)).await?;
            let answer: Value =
                serde_json::from_str(&text).map_err(|e| ProviderError::Unknown(format!("unreadable: {e}")))?;
            let field = |name: &str| {
                answer[name]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ProviderError::Unknown(format!("no {name} in {text}")))
            };
            let now = clock::now();
            Ok(match attempt.mode {
                PaymentMode::Jsapi => Instrument { text: field("prepay_id")?, expires_at: now + PREPAY_LIFETIME_SECS },
                PaymentMode::H5 => Instrument { text: field("h5_url")?, expires_at: now + H5_URL_LIFETIME_SECS },
                PaymentMode::Native => Instrument { text: field("code_url")?, expires_at: now + PREPAY_LIFETIME_SECS },
            })
        })
    }

    fn jsapi_params(&self, prepay_id: &str) -> Result<JsapiParams, ProviderError> {
        let (time_stamp, nonce_str, package) =
            (clock::now().to_string(), crypto::nonce(), format!("prepay_id={prepay_id}"));
        let message = crypto::jsapi_message(&self.appid, &time_stamp, &nonce_str, &package);
        let pay_sign = self.merchant.sign(&message).map_err(|e| ProviderError::Unknown(e.to_string()))?;
        Ok(JsapiParams {
            app_id: self.appid.clone(),
            time_stamp,
            nonce_str,
            package,
            sign_type: "RSA".into(),
            pay_sign,
        })
    }

    fn query<'a>(&'a self, out_trade_no: &'a str) -> Reply<'a, Option<Trade>> {
        Box::pin(async move {
            let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={}", self.mchid);
            match self.call(Method::GET, &path, None).await {
                Ok((_, text)) => self.transaction(&text).map(Some),
                Err(ProviderError::Refused { code, .. }) if code == "ORDER_NOT_EXIST" || code == "ORDERNOTEXIST" => {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        })
    }

    fn close<'a>(&'a self, out_trade_no: &'a str) -> Reply<'a, ()> {
        Box::pin(async move {
            let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}/close");
            self.call(Method::POST, &path, Some(&json!({"mchid": self.mchid}))).await.map(|_| ())
        })
    }

    fn refund<'a>(&'a self, call: &'a RefundCall) -> Reply<'a, RefundStatus> {
        Box::pin(async move {
            let body = json!({
                "out_trade_no": call.out_trade_no,
                "out_refund_no": call.refund_no,
                "reason": call.reason,
                "notify_url": self.notify_url,
                "amount": {"refund": call.amount_fen, "total": call.payment_total_fen, "currency": "CNY"},
            });
            let (_, text) = self.call(Method::POST, "/v3/refund/domestic/refunds", Some(&body)).await?;
            self.refund_status(&text)
        })
    }

    fn query_refund<'a>(&'a self, refund_no: &'a str) -> Reply<'a, RefundStatus> {
        Box::pin(async move {
            let (_, text) = self.call(Method::GET, &format!("/v3/refund/domestic/refunds/{refund_no}"), None).await?;
            self.refund_status(&text)
        })
    }

    fn read_notification(
        &self,
        header: &(dyn Fn(&str) -> Option<String> + Sync),
        body: &str,
    ) -> Result<Notice, String> {
        match crypto::verify_answer(&self.platform, header, body, clock::now()) {
            Verdict::Genuine => {}
            other => return Err(format!("not WeChat's: {other:?}")),
        }
        let envelope: Envelope = serde_json::from_str(body).map_err(|e| format!("unreadable envelope: {e}"))?;
        let resource = envelope.resource;
        if resource.algorithm != "AEAD_AES_256_GCM" {
            return Err(format!("notification {}: algorithm {}", envelope.id, resource.algorithm));
        }
        let plain = self
            .apiv3
            .decrypt(&resource.ciphertext, &resource.nonce, &resource.associated_data)
            .map_err(|e| format!("notification {}: {e}", envelope.id))?;
        let id = envelope.id;
        if envelope.event_type.starts_with("TRANSACTION.") {
            let trade = self.transaction(&plain).map_err(|e| format!("notification {id}: {e:?}"))?;
            Ok(Notice::Trade { id, trade })
        } else if envelope.event_type.starts_with("REFUND.") {
            let r: RefundNotice = serde_json::from_str(&plain).map_err(|e| format!("notification {id}: {e}"))?;
            if r.mchid != self.mchid {
                return Err(format!("notification {id}: a refund for mchid {}", r.mchid));
            }
            let state = match r.refund_status.as_str() {
                "SUCCESS" => RefundState::Succeeded,
                "CLOSED" | "ABNORMAL" => RefundState::Failed,
                other => return Err(format!("notification {id}: refund_status {other}")),
            };
            let refund = RefundStatus {
                refund_no: r.out_refund_no,
                state,
                provider_refund_id: r.refund_id,
                amount_fen: r.amount.and_then(|a| a.refund),
                succeeded_at: as_utc_text(r.success_time),
            };
            Ok(Notice::Refund { id, refund })
        } else {
            Err(format!("notification {id}: event {}", envelope.event_type))
        }
    }
}
