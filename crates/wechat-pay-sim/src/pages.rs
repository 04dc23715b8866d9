//! What the shopper's side of WeChat would do: a cashier page for H5 and
//! for scanning a Native code (pay / fail / cancel), a `WeixinJSBridge`
//! stand-in for JSAPI in an ordinary browser, the silent web authorisation
//! and its code exchange; and a small control API for tests.

use crate::{crypto, now, Fault, Shared, TradeState, APPID};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(index))
        .route("/cashier", get(cashier))
        .route("/scan", get(scan))
        .route("/cashier/choose", post(choose))
        .route("/bridge.js", get(bridge))
        .route("/jsapi/pay", post(jsapi_pay).options(cors_preflight))
        .route("/connect/oauth2/authorize", get(authorize))
        .route("/sns/oauth2/access_token", get(access_token))
        .route("/sim/faults", post(queue_fault))
        .route("/sim/trades", get(trades))
        .route("/sim/pay", post(sim_pay))
        .route("/sim/notifications", get(notifications))
}

/// What a developer opens to pay on a desktop: each trade, the one that
/// expires last first (the newest order's), with the page its QR code
/// would open on a phone.
async fn index(State(sim): State<Shared>) -> Response {
    let mut trades: Vec<_> = sim.world.lock().unwrap().trades.values().cloned().collect();
    trades.sort_by(|a, b| (b.expires_at, &b.out_trade_no).cmp(&(a.expires_at, &a.out_trade_no)));
    let rows: String = trades
        .iter()
        .map(|t| {
            let link = format!(r#"<a href="/scan?pr={}">付款页</a>"#, escape(&t.prepay_id));
            format!(
                "<li>{} · {} · ¥{}.{:02} · {:?} · {link}</li>",
                escape(&t.out_trade_no),
                t.trade_type,
                t.total / 100,
                t.total % 100,
                t.state
            )
        })
        .collect();
    Html(format!(
        r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>微信支付模拟器</title>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto"><h1>微信支付 · 本地模拟器</h1>
<p>商店页面上的二维码在手机上会打开对应的付款页；在这台电脑上，从这里打开。</p><ul>{rows}</ul></body></html>"#
    ))
    .into_response()
}

#[derive(Deserialize)]
struct CashierQuery {
    prepay_id: Option<String>,
    redirect_url: Option<String>,
}

/// The H5 cashier (`h5_url`): WeChat's page a phone browser is sent to.
async fn cashier(State(sim): State<Shared>, Query(q): Query<CashierQuery>) -> Response {
    page(&sim, &q.prepay_id.unwrap_or_default(), q.redirect_url.as_deref())
}

#[derive(Deserialize)]
struct ScanQuery {
    pr: Option<String>,
}

/// What the shopper's phone shows after scanning a Native `code_url`.
async fn scan(State(sim): State<Shared>, Query(q): Query<ScanQuery>) -> Response {
    page(&sim, &q.pr.unwrap_or_default(), None)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page(sim: &Shared, prepay_id: &str, redirect_url: Option<&str>) -> Response {
    let trade = sim.world.lock().unwrap().trades.values().find(|t| t.prepay_id == prepay_id).cloned();
    let Some(trade) = trade else {
        return (StatusCode::NOT_FOUND, Html("<p>没有这笔订单（模拟器）</p>")).into_response();
    };
    let yuan = format!("¥{}.{:02}", trade.total / 100, trade.total % 100);
    let state = match trade.state {
        TradeState::Notpay if now() >= trade.expires_at => "已过期",
        TradeState::Notpay => "待支付",
        TradeState::Success => "已支付",
        TradeState::Closed => "已关闭",
    };
    let redirect = escape(redirect_url.unwrap_or(""));
    let button = |choice: &str, label: &str| {
        format!(
            r#"<form method="post" action="/cashier/choose"><input type="hidden" name="prepay_id" value="{}"><input type="hidden" name="redirect_url" value="{redirect}"><input type="hidden" name="choice" value="{choice}"><button>{label}</button></form>"#,
            escape(prepay_id)
        )
    };
    Html(format!(
        r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>微信支付（模拟器）</title>
<body style="font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em">
<p>微信支付 · 本地模拟器</p><h1>{}</h1><p class="amount" style="font-size:2em">{yuan}</p><p>订单号 {} · <span class="state">{state}</span></p>
{}{}{}</body></html>"#,
        escape(&trade.description),
        escape(&trade.out_trade_no),
        button("pay", "确认支付"),
        button("fail", "支付失败"),
        button("cancel", "取消"),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct Choice {
    prepay_id: String,
    redirect_url: String,
    choice: String,
}

/// A button of the cashier page: pays (or not), then back to the shop for
/// H5 (WeChat's `redirect_url`), or a result page after a scan.
async fn choose(State(sim): State<Shared>, Form(choice): Form<Choice>) -> Response {
    let outcome = match choice.choice.as_str() {
        "pay" => match crate::pay::pay(&sim, &choice.prepay_id) {
            Ok(()) => "支付成功",
            Err(_) => "支付未完成",
        },
        "fail" => "支付失败",
        _ => "已取消支付",
    };
    if choice.redirect_url.starts_with("http://") || choice.redirect_url.starts_with("https://") {
        return Redirect::to(&choice.redirect_url).into_response();
    }
    Html(format!(
        r#"<!doctype html><meta charset="utf-8"><title>微信支付（模拟器）</title><p class="outcome">{outcome}</p>"#
    ))
    .into_response()
}

/// A stand-in for WeChat's `WeixinJSBridge`, for an ordinary browser (the
/// end-to-end tests inject it). `window.__wechatPaySimulatorChoice` may be
/// `pay` (the default), `cancel` or `fail`.
async fn bridge(State(sim): State<Shared>) -> Response {
    let script = format!(
        r#"(function () {{
  var simulator = {base:?};
  window.WeixinJSBridge = {{
    invoke: function (name, params, callback) {{
      if (name !== 'getBrandWCPayRequest') {{ callback({{ err_msg: name + ':fail' }}); return; }}
      var choice = window.__wechatPaySimulatorChoice || 'pay';
      fetch(simulator + '/jsapi/pay', {{ method: 'POST', headers: {{ 'content-type': 'application/json' }}, body: JSON.stringify({{ params: params, choice: choice }}) }})
        .then(function (r) {{ return r.json(); }})
        .then(function (answer) {{ callback(answer); }}, function () {{ callback({{ err_msg: 'get_brand_wcpay_request:fail' }}); }});
    }}
  }};
  document.dispatchEvent(new Event('WeixinJSBridgeReady'));
}})();
"#,
        base = sim.base_url
    );
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], script)
        .into_response()
}

async fn cors_preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
        ],
    )
        .into_response()
}

#[derive(Deserialize)]
struct JsapiPay {
    params: Value,
    choice: Option<String>,
}

/// What `getBrandWCPayRequest` does: checks the merchant's `paySign` over
/// `appId\ntimeStamp\nnonceStr\npackage\n`, then pays (or not).
async fn jsapi_pay(State(sim): State<Shared>, Json(request): Json<JsapiPay>) -> Response {
    let p = &request.params;
    let field = |name: &str| p[name].as_str().unwrap_or("").to_owned();
    let message = format!("{}\n{}\n{}\n{}\n", field("appId"), field("timeStamp"), field("nonceStr"), field("package"));
    let answer = if field("appId") != APPID
        || field("signType") != "RSA"
        || !crypto::verify(&sim.keys.merchant_public, &message, &field("paySign"))
    {
        "get_brand_wcpay_request:fail"
    } else {
        let prepay_id = field("package").strip_prefix("prepay_id=").unwrap_or("").to_owned();
        match request.choice.as_deref().unwrap_or("pay") {
            "pay" => match crate::pay::pay(&sim, &prepay_id) {
                Ok(()) => "get_brand_wcpay_request:ok",
                Err(_) => "get_brand_wcpay_request:fail",
            },
            "cancel" => "get_brand_wcpay_request:cancel",
            _ => "get_brand_wcpay_request:fail",
        }
    };
    ([(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(json!({"err_msg": answer}))).into_response()
}

#[derive(Deserialize)]
struct Authorize {
    appid: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
}

/// `snsapi_base` is silent: straight back to `redirect_uri` with a code.
async fn authorize(State(sim): State<Shared>, Query(q): Query<Authorize>) -> Response {
    let redirect = q.redirect_uri.unwrap_or_default();
    let ok = q.appid.as_deref() == Some(APPID)
        && q.response_type.as_deref() == Some("code")
        && q.scope.as_deref() == Some("snsapi_base")
        && (redirect.starts_with("http://") || redirect.starts_with("https://"));
    if !ok {
        return (StatusCode::BAD_REQUEST, Html("<p>redirect_uri 参数错误（模拟器）</p>")).into_response();
    }
    let code = crypto::random_text(32);
    sim.world.lock().unwrap().codes.insert(code.clone(), now());
    let separator = if redirect.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{redirect}{separator}code={code}&state={}", q.state.unwrap_or_default())).into_response()
}

#[derive(Deserialize)]
struct TokenQuery {
    appid: Option<String>,
    secret: Option<String>,
    code: Option<String>,
    grant_type: Option<String>,
}

/// The code exchange: the app secret must match, and a code works once, within 5 minutes.
async fn access_token(State(sim): State<Shared>, Query(q): Query<TokenQuery>) -> Response {
    if q.appid.as_deref() != Some(APPID) || q.secret.as_deref() != Some(sim.keys.app_secret.as_str()) {
        return Json(json!({"errcode": 40125, "errmsg": "invalid appsecret"})).into_response();
    }
    if q.grant_type.as_deref() != Some("authorization_code") {
        return Json(json!({"errcode": 40002, "errmsg": "invalid grant_type"})).into_response();
    }
    let made = sim.world.lock().unwrap().codes.remove(q.code.as_deref().unwrap_or(""));
    match made {
        Some(at) if now() - at <= 300 => Json(json!({
            "access_token": crypto::random_text(40),
            "expires_in": 7200,
            "refresh_token": crypto::random_text(40),
            "openid": sim.keys.openid,
            "scope": "snsapi_base",
        }))
        .into_response(),
        _ => Json(json!({"errcode": 40029, "errmsg": "invalid code"})).into_response(),
    }
}

async fn queue_fault(State(sim): State<Shared>, Json(fault): Json<Fault>) -> StatusCode {
    sim.world.lock().unwrap().faults.push_back(fault);
    StatusCode::NO_CONTENT
}

async fn trades(State(sim): State<Shared>) -> Response {
    let mut trades: Vec<_> = sim.world.lock().unwrap().trades.values().cloned().collect();
    trades.sort_by(|a, b| a.out_trade_no.cmp(&b.out_trade_no));
    Json(trades).into_response()
}

#[derive(Deserialize)]
struct PayRequest {
    out_trade_no: String,
}

async fn sim_pay(State(sim): State<Shared>, Json(request): Json<PayRequest>) -> Response {
    match crate::pay::pay(&sim, &request.out_trade_no) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => (StatusCode::CONFLICT, why).into_response(),
    }
}

async fn notifications(State(sim): State<Shared>, _: HeaderMap) -> Response {
    Json(sim.world.lock().unwrap().notifications.clone()).into_response()
}
