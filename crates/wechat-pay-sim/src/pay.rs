//! The API v3 endpoints: jsapi, h5 and native orders, query, close,
//! refunds and refund query; every request's signature checked, every
//! answer signed; and the notifications.

use crate::{
    crypto, now, Fault, Refund, SentNotification, Shared, Trade, TradeState, APPID, MCHID, MERCHANT_SERIAL,
    PUBLIC_KEY_ID,
};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v3/pay/transactions/jsapi", post(create))
        .route("/v3/pay/transactions/h5", post(create))
        .route("/v3/pay/transactions/native", post(create))
        .route("/v3/pay/transactions/out-trade-no/{no}", get(query))
        .route("/v3/pay/transactions/out-trade-no/{no}/close", post(close))
        .route("/v3/refund/domestic/refunds", post(refund))
        .route("/v3/refund/domestic/refunds/{no}", get(query_refund))
}

/// An answer signed as WeChat Pay signs: `Wechatpay-Timestamp`, `-Nonce`,
/// `-Signature` over `timestamp\nnonce\nbody\n`, `-Serial` naming the key.
pub(crate) fn signed(sim: &Shared, status: StatusCode, body: String) -> Response {
    let (timestamp, nonce) = (now().to_string(), crypto::random_text(32));
    let signature = crypto::sign(&sim.keys.platform, &format!("{timestamp}\n{nonce}\n{body}\n"));
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert("content-type", "application/json".parse().unwrap());
    headers.insert("wechatpay-timestamp", timestamp.parse().unwrap());
    headers.insert("wechatpay-nonce", nonce.parse().unwrap());
    headers.insert("wechatpay-signature", signature.parse().unwrap());
    headers.insert("wechatpay-serial", PUBLIC_KEY_ID.parse().unwrap());
    headers.insert("request-id", crypto::random_text(24).parse().unwrap());
    response
}

fn refusal(sim: &Shared, status: StatusCode, code: &str, message: &str) -> Response {
    signed(sim, status, json!({"code": code, "message": message}).to_string())
}

/// The refusal for a request without the merchant's valid, recent signature.
fn unsigned(sim: &Shared, method: &Method, uri: &Uri, headers: &HeaderMap, body: &str) -> Option<Response> {
    let fail = |why: &str| Some(refusal(sim, StatusCode::UNAUTHORIZED, "SIGN_ERROR", &format!("签名错误: {why}")));
    let Some(header) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return fail("no Authorization");
    };
    let Some(auth) = crypto::parse_authorization(header) else { return fail("not WECHATPAY2-SHA256-RSA2048") };
    if auth.mchid != MCHID || auth.serial != MERCHANT_SERIAL {
        return fail("unknown mchid or certificate serial");
    }
    let Ok(timestamp) = auth.timestamp.parse::<i64>() else { return fail("timestamp") };
    if (now() - timestamp).abs() > 5 * 60 {
        return fail("timestamp more than 5 minutes off");
    }
    let path_and_query = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let message = format!("{method}\n{path_and_query}\n{}\n{}\n{body}\n", auth.timestamp, auth.nonce);
    if !crypto::verify(&sim.keys.merchant_public, &message, &auth.signature) {
        return fail("the signature does not match");
    }
    None
}

fn rfc3339_china(secs: i64) -> String {
    let local = secs + 8 * 3600;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00", rest / 3600, rest % 3600 / 60, rest % 60)
}

fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-12-02T16:30:00+08:00` (or with `Z`) as seconds since the epoch.
fn parse_rfc3339(text: &str) -> Option<i64> {
    let (date_time, offset) = if let Some(t) = text.strip_suffix('Z') {
        (t, 0)
    } else {
        let (t, off) = text.split_at(text.len().checked_sub(6)?);
        let sign = match &off[..1] {
            "+" => 1,
            "-" => -1,
            _ => return None,
        };
        let hours: i64 = off[1..3].parse().ok()?;
        let minutes: i64 = off[4..6].parse().ok()?;
        (t, sign * (hours * 3600 + minutes * 60))
    };
    let n = |r: std::ops::Range<usize>| date_time.get(r)?.parse::<i64>().ok();
    if date_time.len() != 19 {
        return None;
    }
    let (y, mo, d, h, mi, s) = (n(0..4)?, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?);
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2.rem_euclid(400);
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// `[0-9A-Za-z_\-|*]`, 6 to 32 characters: what WeChat allows an out_trade_no.
fn valid_trade_no(no: &str) -> bool {
    (6..=32).contains(&no.len())
        && no.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*'))
}

async fn create(State(sim): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    if let Some(refused) = unsigned(&sim, &method, &uri, &headers, &body) {
        return refused;
    }
    let bad = |message: &str| refusal(&sim, StatusCode::BAD_REQUEST, "PARAM_ERROR", message);
    let Ok(req) = serde_json::from_str::<Value>(&body) else { return bad("请求体不是 JSON") };
    let trade_type = match uri.path().rsplit('/').next() {
        Some("jsapi") => "JSAPI",
        Some("h5") => "MWEB",
        _ => "NATIVE",
    };
    let text = |name: &str| req[name].as_str().unwrap_or("").to_owned();
    if text("appid") != APPID || text("mchid") != MCHID {
        return refusal(&sim, StatusCode::BAD_REQUEST, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
    }
    let (out_trade_no, description, notify_url) = (text("out_trade_no"), text("description"), text("notify_url"));
    if !valid_trade_no(&out_trade_no) {
        return bad("out_trade_no 格式错误");
    }
    if description.is_empty() || description.chars().count() > 127 {
        return bad("description 长度错误");
    }
    if !(notify_url.starts_with("http://") || notify_url.starts_with("https://")) || notify_url.contains('?') {
        return bad("notify_url 必须是不带参数的网址");
    }
    let Some(expires_at) = parse_rfc3339(&text("time_expire")) else { return bad("time_expire 格式错误") };
    let total = req["amount"]["total"].as_i64().unwrap_or(0);
    if total <= 0 || req["amount"]["currency"].as_str().unwrap_or("CNY") != "CNY" {
        return bad("amount 错误");
    }
    let openid = req["payer"]["openid"].as_str().map(str::to_owned);
    match trade_type {
        "JSAPI" if openid.as_deref() != Some(sim.keys.openid.as_str()) => {
            return refusal(&sim, StatusCode::BAD_REQUEST, "PARAM_ERROR", "openid 与 appid 不匹配");
        }
        "MWEB"
            if req["scene_info"]["payer_client_ip"].as_str().is_none_or(str::is_empty)
                || req["scene_info"]["h5_info"]["type"].as_str().is_none() =>
        {
            return bad("H5 需要 scene_info.payer_client_ip 与 h5_info.type");
        }
        _ => {}
    }
    let fingerprint = format!("{trade_type}|{total}|{description}|{notify_url}|{expires_at}|{openid:?}");
    let mut world = sim.world.lock().unwrap();
    if let Some(existing) = world.trades.get(&out_trade_no) {
        if existing.state == TradeState::Success {
            drop(world);
            return refusal(&sim, StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付");
        }
        if existing.state == TradeState::Closed {
            drop(world);
            return refusal(&sim, StatusCode::BAD_REQUEST, "ORDERCLOSED", "订单已关闭");
        }
        if existing.fingerprint != fingerprint {
            drop(world);
            return refusal(&sim, StatusCode::BAD_REQUEST, "INVALID_REQUEST", "201 商户订单号重复");
        }
    } else {
        let trade = Trade {
            out_trade_no: out_trade_no.clone(),
            trade_type: trade_type.into(),
            state: TradeState::Notpay,
            total,
            description,
            notify_url,
            expires_at,
            openid,
            prepay_id: ["wx", &crypto::random_text(30)].concat(),
            transaction_id: None,
            success_time: None,
            refunded: 0,
            fingerprint,
        };
        world.trades.insert(out_trade_no.clone(), trade);
    }
    let prepay_id = world.trades[&out_trade_no].prepay_id.clone();
    drop(world);
    let answer = match trade_type {
        "JSAPI" => json!({"prepay_id": prepay_id}),
        "MWEB" => json!({"h5_url": format!("{}/cashier?prepay_id={prepay_id}", sim.base_url)}),
        _ => json!({"code_url": format!("weixin://wxpay/bizpayurl?pr={prepay_id}")}),
    };
    signed(&sim, StatusCode::OK, answer.to_string())
}

/// A trade as the query API (and a notification's plaintext) shows it.
fn transaction_json(trade: &Trade, amount_total: i64) -> Value {
    let state =
        if trade.state == TradeState::Notpay && now() >= trade.expires_at { &TradeState::Closed } else { &trade.state };
    let mut answer = json!({
        "appid": APPID,
        "mchid": MCHID,
        "out_trade_no": trade.out_trade_no,
        "trade_type": trade.trade_type,
        "trade_state": state,
        "trade_state_desc": match state { TradeState::Success => "支付成功", TradeState::Notpay => "未支付", TradeState::Closed => "已关闭" },
        "amount": {"total": amount_total, "payer_total": amount_total, "currency": "CNY", "payer_currency": "CNY"},
    });
    if let (Some(id), Some(time)) = (&trade.transaction_id, &trade.success_time) {
        answer["transaction_id"] = json!(id);
        answer["success_time"] = json!(time);
        answer["bank_type"] = json!("OTHERS");
        answer["payer"] = json!({"openid": trade.openid.clone().unwrap_or_default()});
    }
    answer
}

#[derive(Deserialize)]
struct MchidQuery {
    mchid: Option<String>,
}

async fn query(
    State(sim): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(no): Path<String>,
    Query(q): Query<MchidQuery>,
) -> Response {
    if let Some(refused) = unsigned(&sim, &method, &uri, &headers, "") {
        return refused;
    }
    if q.mchid.as_deref() != Some(MCHID) {
        return refusal(&sim, StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid 错误");
    }
    let trade = sim.world.lock().unwrap().trades.get(&no).cloned();
    match trade {
        None => refusal(&sim, StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
        Some(trade) => signed(&sim, StatusCode::OK, transaction_json(&trade, trade.total).to_string()),
    }
}

async fn close(
    State(sim): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(no): Path<String>,
    body: Bytes,
) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    if let Some(refused) = unsigned(&sim, &method, &uri, &headers, &body) {
        return refused;
    }
    if serde_json::from_str::<Value>(&body).ok().and_then(|b| b["mchid"].as_str().map(str::to_owned)).as_deref()
        != Some(MCHID)
    {
        return refusal(&sim, StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid 错误");
    }
    let mut world = sim.world.lock().unwrap();
    let Some(trade) = world.trades.get_mut(&no) else {
        drop(world);
        return refusal(&sim, StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在");
    };
    match trade.state {
        TradeState::Success => {
            drop(world);
            refusal(&sim, StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付")
        }
        _ => {
            trade.state = TradeState::Closed;
            drop(world);
            signed(&sim, StatusCode::NO_CONTENT, String::new())
        }
    }
}

/// The shopper pays: a trade still unpaid and not expired becomes paid,
/// and its notification goes out.
pub(crate) fn pay(sim: &Shared, key: &str) -> Result<(), String> {
    let mut world = sim.world.lock().unwrap();
    let trade = world
        .trades
        .values_mut()
        .find(|t| t.out_trade_no == key || t.prepay_id == key)
        .ok_or_else(|| format!("no trade {key}"))?;
    if trade.state != TradeState::Notpay {
        return Err(format!("trade {} is {:?}", trade.out_trade_no, trade.state));
    }
    if now() >= trade.expires_at {
        trade.state = TradeState::Closed;
        return Err("订单已过期".into());
    }
    trade.state = TradeState::Success;
    trade.transaction_id = Some(["42000", &now().to_string(), &crypto::random_text(8)].concat());
    trade.success_time = Some(rfc3339_china(now()));
    let trade = trade.clone();
    let fault = world.faults.pop_front();
    drop(world);
    let sim = sim.clone();
    tokio::spawn(async move { notify_trade(&sim, &trade, fault).await });
    Ok(())
}

async fn notify_trade(sim: &Shared, trade: &Trade, fault: Option<Fault>) {
    let total = if fault == Some(Fault::WrongAmount) { trade.total + 1 } else { trade.total };
    let plaintext = transaction_json(trade, total).to_string();
    let event =
        Event { event_type: "TRANSACTION.SUCCESS", summary: "支付成功", original_type: "transaction", plaintext };
    send(sim, &trade.notify_url, &trade.out_trade_no, event, fault).await;
}

struct Event {
    event_type: &'static str,
    summary: &'static str,
    original_type: &'static str,
    plaintext: String,
}

/// Sends a notification (and again, a few times, until the shop answers
/// 2xx), with the fault asked for.
async fn send(sim: &Shared, url: &str, out_trade_no: &str, event: Event, fault: Option<Fault>) {
    let index = {
        let mut world = sim.world.lock().unwrap();
        world.notifications.push(SentNotification {
            event_type: event.event_type.into(),
            out_trade_no: out_trade_no.into(),
            fault: fault.clone(),
            answers: Vec::new(),
        });
        world.notifications.len() - 1
    };
    match &fault {
        Some(Fault::Lost) => return,
        Some(Fault::Delay { ms }) => tokio::time::sleep(Duration::from_millis(*ms)).await,
        _ => {}
    }
    let nonce = crypto::random_text(12);
    let resource = json!({
        "original_type": event.original_type,
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": crypto::encrypt(sim.keys.apiv3_key.as_bytes(), &nonce, event.original_type, &event.plaintext),
        "associated_data": event.original_type,
        "nonce": nonce,
    });
    let body = json!({
        "id": crypto::random_text(36),
        "create_time": rfc3339_china(now()),
        "resource_type": "encrypt-resource",
        "event_type": event.event_type,
        "summary": event.summary,
        "resource": resource,
    })
    .to_string();
    let copies = match fault {
        Some(Fault::Duplicate { count }) => count.max(1),
        _ => 1,
    };
    // Copies go out at once, as WeChat's duplicates may.
    let copies: Vec<_> = (0..copies)
        .map(|_| tokio::spawn(deliver(sim.clone(), url.to_owned(), body.clone(), fault.clone(), index)))
        .collect();
    for copy in copies {
        let _ = copy.await;
    }
}

/// Delivers one copy, retrying (as WeChat does, but sooner) while the shop answers non-2xx.
async fn deliver(sim: Shared, url: String, body: String, fault: Option<Fault>, index: usize) {
    for attempt in 0..3 {
        let timestamp = if fault == Some(Fault::StaleTimestamp) { now() - 600 } else { now() };
        let nonce = crypto::random_text(32);
        let signature = match fault {
            Some(Fault::ProbeSignature) => ["WECHATPAY/SIGNTEST/", &crypto::random_text(40)].concat(),
            _ => crypto::sign(&sim.keys.platform, &format!("{timestamp}\n{nonce}\n{body}\n")),
        };
        let answer = sim
            .http
            .post(&url)
            .header("content-type", "application/json")
            .header("wechatpay-timestamp", timestamp.to_string())
            .header("wechatpay-nonce", &nonce)
            .header("wechatpay-signature", signature)
            .header("wechatpay-serial", PUBLIC_KEY_ID)
            .body(body.clone())
            .send()
            .await;
        let status = answer.map(|a| a.status().as_u16()).unwrap_or(0);
        sim.world.lock().unwrap().notifications[index].answers.push(status);
        if (200..300).contains(&status) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(300 * (attempt + 1))).await;
    }
}

async fn refund(State(sim): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    if let Some(refused) = unsigned(&sim, &method, &uri, &headers, &body) {
        return refused;
    }
    let bad = |code: &str, message: &str| refusal(&sim, StatusCode::BAD_REQUEST, code, message);
    let Ok(req) = serde_json::from_str::<Value>(&body) else { return bad("PARAM_ERROR", "请求体不是 JSON") };
    let out_trade_no = req["out_trade_no"].as_str().unwrap_or("").to_owned();
    let out_refund_no = req["out_refund_no"].as_str().unwrap_or("").to_owned();
    let notify_url = req["notify_url"].as_str().unwrap_or("").to_owned();
    let (amount, total) = (req["amount"]["refund"].as_i64().unwrap_or(0), req["amount"]["total"].as_i64().unwrap_or(0));
    if !valid_trade_no(&out_refund_no) || amount <= 0 || req["amount"]["currency"].as_str() != Some("CNY") {
        return bad("PARAM_ERROR", "参数错误");
    }
    let mut world = sim.world.lock().unwrap();
    if let Some(existing) = world.refunds.get(&out_refund_no).cloned() {
        drop(world);
        // The same number again: the same refund, never a second one.
        return if existing.out_trade_no == out_trade_no && existing.amount == amount {
            signed(&sim, StatusCode::OK, refund_json(&existing, total).to_string())
        } else {
            bad("INVALID_REQUEST", "退款单号已用于另一笔退款")
        };
    }
    let Some(trade) = world.trades.get_mut(&out_trade_no) else {
        drop(world);
        return refusal(&sim, StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在");
    };
    if trade.state != TradeState::Success {
        drop(world);
        return bad("INVALID_REQUEST", "订单未支付");
    }
    if total != trade.total {
        drop(world);
        return bad("PARAM_ERROR", "订单金额与原订单不符");
    }
    if trade.refunded + amount > trade.total {
        drop(world);
        return bad("NOT_ENOUGH", "退款金额超过可退金额");
    }
    trade.refunded += amount;
    let refund = Refund {
        out_refund_no: out_refund_no.clone(),
        refund_id: ["50300", &crypto::random_text(20)].concat(),
        out_trade_no,
        amount,
        status: "PROCESSING".into(),
        notify_url,
    };
    world.refunds.insert(out_refund_no.clone(), refund.clone());
    drop(world);
    let later = sim.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let refund = {
            let mut world = later.world.lock().unwrap();
            let refund = world.refunds.get_mut(&out_refund_no).expect("just made");
            refund.status = "SUCCESS".into();
            refund.clone()
        };
        let fault = later.world.lock().unwrap().faults.pop_front();
        let plaintext = json!({
            "mchid": MCHID,
            "out_trade_no": refund.out_trade_no,
            "out_refund_no": refund.out_refund_no,
            "refund_id": refund.refund_id,
            "refund_status": "SUCCESS",
            "success_time": rfc3339_china(now()),
            "user_received_account": "支付用户零钱",
            "amount": {"total": total, "refund": refund.amount, "payer_total": total, "payer_refund": refund.amount},
        })
        .to_string();
        let event = Event { event_type: "REFUND.SUCCESS", summary: "退款成功", original_type: "refund", plaintext };
        send(&later, &refund.notify_url, &refund.out_trade_no, event, fault).await;
    });
    signed(&sim, StatusCode::OK, refund_json(&refund, total).to_string())
}

fn refund_json(refund: &Refund, total: i64) -> Value {
    json!({
        "refund_id": refund.refund_id,
        "out_refund_no": refund.out_refund_no,
        "out_trade_no": refund.out_trade_no,
        "channel": "ORIGINAL",
        "user_received_account": "支付用户零钱",
        "create_time": rfc3339_china(now()),
        "status": refund.status,
        "amount": {"total": total, "refund": refund.amount, "payer_total": total, "payer_refund": refund.amount, "currency": "CNY"},
    })
}

async fn query_refund(
    State(sim): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(no): Path<String>,
) -> Response {
    if let Some(refused) = unsigned(&sim, &method, &uri, &headers, "") {
        return refused;
    }
    let found = {
        let world = sim.world.lock().unwrap();
        world.refunds.get(&no).map(|r| (r.clone(), world.trades.get(&r.out_trade_no).map_or(0, |t| t.total)))
    };
    match found {
        None => refusal(&sim, StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "退款单不存在"),
        Some((refund, total)) => signed(&sim, StatusCode::OK, refund_json(&refund, total).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wechats_times() {
        assert_eq!(parse_rfc3339("2026-11-30T08:53:20+08:00"), Some(1_796_000_000));
        assert_eq!(parse_rfc3339("2026-11-30T00:53:20Z"), Some(1_796_000_000));
        assert_eq!(rfc3339_china(1_796_000_000), "2026-11-30T08:53:20+08:00");
        assert_eq!(parse_rfc3339("tomorrow"), None);
    }
}
