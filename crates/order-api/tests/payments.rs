//! Taking the money, against the local WeChat Pay simulator on loopback
//! (started in-process; it checks every request's signature and signs its
//! answers and notifications with keys of its own). The shop runs on a real
//! listener, so the simulator's notifications reach it over HTTP.

mod common;

use common::{fresh_database_url, order_body, stock, ADMIN_TOKEN};
use order_api::config::{Config, PaymentProviderKind};
use order_api::payments::wechat::setup::payments_from_config;
use order_api::{app, db, payments, AppState};
use serde_json::{json, Value};
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;
use tempfile::TempDir;
use wechat_pay_sim::{Fault, Simulator};

const SKU: &str = "HONEY-WF-500";
const PHONE: &str = "13800138000";

struct PayingShop {
    url: String,
    db: db::Db,
    state: AppState,
    sim: Simulator,
    http: reqwest::Client,
    _dir: TempDir,
}

/// A shop taking payments through a simulator, with its settings changed
/// by `configure` (e.g. WeChat Pay at another address).
async fn paying_shop_with(configure: impl FnOnce(&mut Config)) -> PayingShop {
    let dir = tempfile::tempdir().unwrap();
    let sim = wechat_pay_sim::start("127.0.0.1:0", &dir.path().join("sim")).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config {
        database_url: fresh_database_url(dir.path()).await,
        static_dir: dir.path().join("no-dist"),
        admin_token: Some(ADMIN_TOKEN.into()),
        admin_auth_max_failures: 1000,
        orders_per_minute: 100_000,
        lookups_per_minute: 100_000,
        assets_dir: dir.path().join("no-assets"),
        payment_provider: Some(PaymentProviderKind::Simulator),
        ..Config::default()
    };
    config.wechat.simulator_dir = sim.dir.clone();
    configure(&mut config);
    let db = db::connect(&config.database_url).await.unwrap();
    let payments = payments_from_config(&config, addr).unwrap().expect("payments on");
    let state = AppState::new(db.clone(), config, ADMIN_TOKEN.into()).with_payments(payments);
    let router = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    PayingShop { url: format!("http://{addr}"), db, state, sim, http: reqwest::Client::new(), _dir: dir }
}

async fn paying_shop() -> PayingShop {
    paying_shop_with(|_| {}).await
}

impl PayingShop {
    /// What `/metrics` says now (served on its own listener).
    async fn metrics(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/metrics", listener.local_addr().unwrap());
        tokio::spawn(axum::serve(listener, order_api::metrics::router(self.state.clone())).into_future());
        self.http.get(url).send().await.unwrap().text().await.unwrap()
    }

    async fn post(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self.http.post(format!("{}{path}", self.url)).json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        (status, answer.json().await.unwrap_or(Value::Null))
    }

    async fn admin(&self, path: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
        let auth = format!("Bearer {ADMIN_TOKEN}");
        let mut headers = vec![("authorization", auth.as_str())];
        if let Some(key) = key {
            headers.push(("idempotency-key", key));
        }
        self.post(&format!("/api/admin{path}"), body, &headers).await
    }

    async fn place_order(&self, quantity: i64) -> String {
        let key = format!("order-{}", wechat_pay_sim::crypto::random_text(12));
        let (status, order) =
            self.post("/api/orders", &order_body(&[(SKU, quantity)]), &[("idempotency-key", &key)]).await;
        assert_eq!(status, 201, "{order}");
        order["order_no"].as_str().unwrap().to_owned()
    }

    async fn start(&self, order_no: &str, mode: &str) -> (u16, Value) {
        self.post(&format!("/api/orders/{order_no}/payments"), &json!({"phone": PHONE, "mode": mode}), &[]).await
    }

    /// What WeixinJSBridge (the simulator's stand-in) answers the sheet's `params`.
    async fn pay_in_sheet(&self, params: &Value) -> String {
        let url = format!("{}/jsapi/pay", self.sim.base_url);
        let answer: Value =
            self.http.post(url).json(&json!({"params": params})).send().await.unwrap().json().await.unwrap();
        answer["err_msg"].as_str().unwrap_or_default().to_owned()
    }

    async fn order(&self, order_no: &str) -> Value {
        let answer = self.http.get(format!("{}/api/orders/{order_no}?phone={PHONE}", self.url)).send().await.unwrap();
        answer.json().await.unwrap()
    }

    /// The order once `done` holds for it (a notification is on its way).
    async fn order_when(&self, order_no: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..100 {
            let order = self.order(order_no).await;
            if done(&order) {
                return order;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("order {order_no} never got there: {}", self.order(order_no).await);
    }

    async fn payment_rows(&self, state: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE state = $1")
            .bind(state)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

fn paid(order: &Value) -> bool {
    order["status"] == "paid"
}

#[tokio::test]
async fn native_a_desktop_pays_by_qr_code() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let (status, start) = shop.start(&order_no, "native").await;
    assert_eq!(status, 200, "{start}");
    assert_eq!(start["mode"], "native");
    assert!(start["code_url"].as_str().unwrap().starts_with("weixin://wxpay/bizpayurl?pr="));
    assert!(start["qr_svg"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
    let out_trade_no = start["out_trade_no"].as_str().unwrap();
    assert_eq!(out_trade_no, format!("{order_no}P01"));
    // Asking again (the page reloaded) continues the same attempt.
    let (_, again) = shop.start(&order_no, "native").await;
    assert_eq!(again["out_trade_no"], out_trade_no);
    assert_eq!(again["code_url"], start["code_url"]);

    shop.sim.pay(out_trade_no).unwrap();
    let order = shop.order_when(&order_no, paid).await;
    let payment = &order["payments"][0];
    assert_eq!((payment["method"].as_str(), payment["state"].as_str()), (Some("wechat_pay"), Some("paid")));
    assert!(payment["reference"].as_str().unwrap().starts_with("42000"), "WeChat's transaction id");
    assert_eq!(payment["amount_fen"], order["total_fen"]);
    // WeChat Pay says when in China time (+08:00); the shop keeps every time as UTC text.
    let paid_at = payment["paid_at"].as_str().unwrap();
    assert!(paid_at.ends_with('Z') && paid_at.len() == 20, "{paid_at}");
    // Paid: no more paying.
    assert_eq!(shop.start(&order_no, "native").await.1["error"]["code"], "invalid_transition");
}

#[tokio::test]
async fn h5_a_phone_browser_pays_at_wechat_and_comes_back() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(2).await;
    let (status, start) = shop.start(&order_no, "h5").await;
    assert_eq!(status, 200, "{start}");
    let h5_url = start["h5_url"].as_str().unwrap();
    assert!(h5_url.starts_with(&format!("{}/cashier?prepay_id=", shop.sim.base_url)), "{h5_url}");
    let back = format!("{}/orders/{order_no}?payment=check", shop.url);
    assert!(h5_url.ends_with(&format!("&redirect_url={}", payments::wechat::oauth::percent_encode(&back))), "{h5_url}");
    // The notification is lost; coming back, the page's check asks WeChat.
    shop.sim.queue_fault(Fault::Lost);
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    let checked =
        shop.http.get(format!("{}/api/orders/{order_no}/payment?phone={PHONE}", shop.url)).send().await.unwrap();
    let checked: Value = checked.json().await.unwrap();
    assert_eq!(checked["status"], "paid", "{checked}");
}

#[tokio::test]
async fn jsapi_inside_wechat_the_openid_comes_from_the_silent_authorisation() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let (status, refused) = shop.start(&order_no, "jsapi").await;
    assert_eq!(status, 409);
    assert_eq!(refused["error"]["code"], "openid_required");
    let authorize = refused["error"]["authorize_url"].as_str().unwrap();
    assert_eq!(authorize, format!("/api/wechat/oauth?order_no={order_no}"));

    // The browser follows: to WeChat (silent), back to the callback, which sets the cookie.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let to_wechat = no_redirects.get(format!("{}{authorize}", shop.url)).send().await.unwrap();
    assert_eq!(to_wechat.status(), 303);
    let wechat_url = to_wechat.headers()["location"].to_str().unwrap().to_owned();
    assert!(wechat_url.contains("scope=snsapi_base") && wechat_url.ends_with("#wechat_redirect"), "{wechat_url}");
    let back = no_redirects.get(wechat_url.trim_end_matches("#wechat_redirect")).send().await.unwrap();
    let callback = back.headers()["location"].to_str().unwrap().to_owned();
    assert!(callback.starts_with(&format!("{}/api/wechat/oauth/callback?code=", shop.url)), "{callback}");
    let landed = no_redirects.get(&callback).send().await.unwrap();
    assert_eq!(landed.headers()["location"], format!("/orders/{order_no}?payment=pay").as_str());
    let cookie = landed.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_owned();
    // A code works once.
    assert_eq!(no_redirects.get(&callback).send().await.unwrap().status(), 503);

    let (status, start) = shop
        .post(
            &format!("/api/orders/{order_no}/payments"),
            &json!({"phone": PHONE, "mode": "jsapi"}),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(status, 200, "{start}");
    let params = &start["jsapi"];
    assert_eq!(params["signType"], "RSA");
    assert!(params["package"].as_str().unwrap().starts_with("prepay_id=wx"));
    // WeixinJSBridge checks paySign with the merchant's public key, then pays.
    assert_eq!(shop.pay_in_sheet(params).await, "get_brand_wcpay_request:ok");
    let mut forged = params.clone();
    forged["package"] = json!("prepay_id=wx_someone_elses");
    assert_eq!(shop.pay_in_sheet(&forged).await, "get_brand_wcpay_request:fail");
    let order = shop.order_when(&order_no, paid).await;
    assert_eq!(order["payments"].as_array().unwrap().len(), 1);
}

/// A notification body signed by someone who is not WeChat Pay.
fn forged_notification() -> (String, Vec<(&'static str, String)>) {
    let body = r#"{"id":"forged","event_type":"TRANSACTION.SUCCESS","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"AAAA","nonce":"fdasflkja484","associated_data":"transaction"}}"#.to_owned();
    let key = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wechatpay/platform_key.pem")).unwrap();
    let key = payments::wechat::crypto::MerchantKey::from_pem(&key, "x").unwrap();
    let timestamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let signature = key.sign(&format!("{timestamp}\nNONCE\n{body}\n")).unwrap();
    let headers = vec![
        ("wechatpay-timestamp", timestamp),
        ("wechatpay-nonce", "NONCE".to_owned()),
        ("wechatpay-signature", signature),
        ("wechatpay-serial", wechat_pay_sim::PUBLIC_KEY_ID.to_owned()),
    ];
    (body, headers)
}

#[tokio::test]
async fn forged_probe_stale_and_wrong_amount_notifications_change_nothing() {
    let shop = paying_shop().await;
    let (body, headers) = forged_notification();
    let mut request = shop.http.post(format!("{}/api/payments/wechat/notify", shop.url)).body(body);
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    assert_eq!(request.send().await.unwrap().status(), 401, "signed with another key");
    let unsigned = shop.http.post(format!("{}/api/payments/wechat/notify", shop.url)).body("{}").send().await.unwrap();
    assert_eq!(unsigned.status(), 401);

    for (i, fault) in [Fault::ProbeSignature, Fault::StaleTimestamp, Fault::WrongAmount].into_iter().enumerate() {
        let order_no = shop.place_order(1).await;
        let (_, start) = shop.start(&order_no, "native").await;
        shop.sim.queue_fault(fault.clone());
        shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
        // Wait for the simulator's three tries of this notification.
        for _ in 0..60 {
            let sent = shop.sim.notifications();
            if sent.len() == i + 1 && sent[i].answers.len() == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let sent = shop.sim.notifications();
        let last = &sent[i];
        assert_eq!(last.fault.as_ref(), Some(&fault));
        assert!(last.answers.iter().all(|&status| (400..500).contains(&status)), "{fault:?}: {:?}", last.answers);
        assert_eq!(shop.order(&order_no).await["status"], "pending_payment", "{fault:?} changed the order");
    }
}

#[tokio::test]
async fn twenty_copies_of_a_notification_at_once_record_one_payment() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let (_, start) = shop.start(&order_no, "native").await;
    shop.sim.queue_fault(Fault::Duplicate { count: 20 });
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    shop.order_when(&order_no, paid).await;
    for _ in 0..50 {
        if shop.sim.notifications().last().is_some_and(|n| n.answers.len() >= 20) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let answers = shop.sim.notifications().last().unwrap().answers.clone();
    assert_eq!(answers.len(), 20, "{answers:?}");
    assert!(answers.iter().all(|&status| status == 204), "{answers:?}");
    assert_eq!(shop.payment_rows("paid").await, 1);
    let refunds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM refunds").fetch_one(&shop.db).await.unwrap();
    assert_eq!(refunds, 0, "a duplicate is no second payment");
    let metrics = shop.metrics().await;
    assert!(metrics.contains("shop_payments_total{outcome=\"paid\"} 1\n"), "{metrics}");
    let duplicates = metrics.lines().find_map(|l| l.strip_prefix("shop_payments_total{outcome=\"duplicate\"} "));
    assert!(duplicates.and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n >= 19), "{metrics}");
}

#[tokio::test]
async fn a_lost_notification_is_found_by_the_sweep() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let (_, start) = shop.start(&order_no, "native").await;
    shop.sim.queue_fault(Fault::Lost);
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(shop.order(&order_no).await["status"], "pending_payment");
    // Nobody has asked about the attempt for a while.
    sqlx::query("UPDATE payments SET last_checked_at = '2000-01-01T00:00:00Z'").execute(&shop.db).await.unwrap();
    payments::sweep(&shop.state).await.unwrap();
    assert_eq!(shop.order(&order_no).await["status"], "paid");
}

#[tokio::test]
async fn cancelling_closes_the_open_attempt_first_and_restocks_once() {
    let shop = paying_shop().await;
    let before = stock(&shop.db, SKU).await;
    let order_no = shop.place_order(3).await;
    let (_, start) = shop.start(&order_no, "native").await;
    let (status, cancelled) =
        shop.admin(&format!("/orders/{order_no}/status"), &json!({"status": "cancelled"}), None).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(stock(&shop.db, SKU).await, before);
    let trade = shop.sim.trades().into_iter().find(|t| t.out_trade_no == start["out_trade_no"]).unwrap();
    assert_eq!(trade.state, wechat_pay_sim::TradeState::Closed, "closed at WeChat before the stock came back");
    assert!(shop.sim.pay(&trade.out_trade_no).is_err(), "nobody can pay it now");
}

#[tokio::test]
async fn a_payment_racing_a_cancel_ends_paid_or_cancelled_never_both() {
    for _ in 0..5 {
        let shop = paying_shop().await;
        let order_no = shop.place_order(1).await;
        let (_, start) = shop.start(&order_no, "native").await;
        let out_trade_no = start["out_trade_no"].as_str().unwrap().to_owned();
        let (path, body) = (format!("/orders/{order_no}/status"), json!({"status": "cancelled"}));
        let cancel = shop.admin(&path, &body, None);
        let pay = async { shop.sim.pay(&out_trade_no) };
        let ((_, after_cancel), _) = tokio::join!(cancel, pay);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let order = shop.order(&order_no).await;
        let paid_rows = shop.payment_rows("paid").await;
        match order["status"].as_str().unwrap() {
            // The payment came first: the cancel found it and left the order paid.
            "paid" => assert_eq!(paid_rows, 1, "{after_cancel}"),
            // The cancel came first: the attempt was closed, nothing was paid.
            "cancelled" => {
                let trade = shop.sim.trades().into_iter().find(|t| t.out_trade_no == out_trade_no).unwrap();
                let refunds: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM refunds").fetch_one(&shop.db).await.unwrap();
                assert!(
                    trade.state == wechat_pay_sim::TradeState::Closed || refunds == paid_rows,
                    "paid and cancelled without a refund"
                );
            }
            other => panic!("order ended {other}"),
        }
    }
}

#[tokio::test]
async fn cancelling_when_wechat_cannot_be_reached_keeps_the_stock_held() {
    // Nothing listens there.
    let shop = paying_shop_with(|c| c.wechat.pay_base_url = Some("http://127.0.0.1:9".into())).await;
    let before = stock(&shop.db, SKU).await;
    let order_no = shop.place_order(2).await;
    assert_eq!(shop.start(&order_no, "native").await.0, 503, "payment_unavailable");
    // The attempt that got no answer is open: it may exist at WeChat.
    assert_eq!(shop.payment_rows("open").await, 1);
    let (status, refused) =
        shop.admin(&format!("/orders/{order_no}/status"), &json!({"status": "cancelled"}), None).await;
    assert_eq!(status, 503, "{refused}");
    assert_eq!(shop.order(&order_no).await["status"], "pending_payment");
    assert_eq!(stock(&shop.db, SKU).await, before - 2, "held until the attempt is surely closed");
}

#[tokio::test]
async fn cancelling_a_paid_order_refunds_it_and_restocks() {
    let shop = paying_shop().await;
    let before = stock(&shop.db, SKU).await;
    let order_no = shop.place_order(2).await;
    let (_, start) = shop.start(&order_no, "native").await;
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    let order = shop.order_when(&order_no, paid).await;
    let (status, cancelled) =
        shop.admin(&format!("/orders/{order_no}/status"), &json!({"status": "cancelled"}), None).await;
    assert_eq!(status, 200, "{cancelled}");
    let refund = &cancelled["refunds"][0];
    assert_eq!(
        (refund["reason"].as_str(), refund["amount_fen"].clone()),
        (Some("order_cancelled"), order["total_fen"].clone())
    );
    assert_eq!(stock(&shop.db, SKU).await, before);
    // WeChat says REFUND.SUCCESS a moment later.
    let done = shop.order_when(&order_no, |o| o["refunds"][0]["state"] == "succeeded").await;
    assert!(done["refunds"][0]["succeeded_at"].is_string());
    assert_eq!(shop.sim.refunds()[0].amount, order["total_fen"].as_i64().unwrap());
}

#[tokio::test]
async fn refunds_are_idempotent_and_never_exceed_what_was_paid() {
    let shop = paying_shop().await;
    let before = stock(&shop.db, SKU).await;
    let order_no = shop.place_order(3).await;
    let (_, start) = shop.start(&order_no, "native").await;
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    let order = shop.order_when(&order_no, paid).await;
    let (unit, total) = (order["lines"][0]["unit_price_fen"].as_i64().unwrap(), order["total_fen"].as_i64().unwrap());
    let path = format!("/orders/{order_no}/refunds");

    // One spoilt jar, asked twice (a double tap): one refund, one number at WeChat.
    let one_line = json!({"reason": "damaged_on_arrival", "lines": [{"line": 0, "quantity": 1}]});
    let (status, first) = shop.admin(&path, &one_line, Some("refund-1")).await;
    assert_eq!(status, 200, "{first}");
    let (_, again) = shop.admin(&path, &one_line, Some("refund-1")).await;
    assert_eq!(again["refunds"].as_array().unwrap().len(), 1);
    assert_eq!(first["refunds"][0]["amount_fen"], unit);
    assert_eq!(stock(&shop.db, SKU).await, before - 2, "the refunded jar, not shipped, is for sale again");
    assert_eq!(
        shop.admin(&path, &json!({"reason": "refund_only", "amount_fen": 1}), Some("refund-1")).await.1["error"]
            ["code"],
        "idempotency_mismatch"
    );

    // More units than are left, and more money than is left, are refused.
    let too_many = json!({"reason": "refund_only", "lines": [{"line": 0, "quantity": 3}]});
    assert_eq!(
        shop.admin(&path, &too_many, Some("refund-2")).await.1["error"]["fields"]["lines[0].quantity"],
        "invalid_quantity"
    );
    let too_much = json!({"reason": "refund_only", "amount_fen": total - unit + 1});
    let (status, refused) = shop.admin(&path, &too_much, Some("refund-3")).await;
    assert_eq!(status, 409);
    assert_eq!(
        refused["error"],
        json!({"code": "refund_too_large", "refundable_fen": total - unit, "message": refused["error"]["message"]})
    );
    let rest = json!({"reason": "refund_only", "amount_fen": total - unit});
    assert_eq!(shop.admin(&path, &rest, Some("refund-4")).await.0, 200);
    assert_eq!(shop.admin(&path, &json!({"reason": "refund_only", "amount_fen": 1}), Some("refund-5")).await.0, 409);

    shop.order_when(&order_no, |o| o["refunds"].as_array().unwrap().iter().all(|r| r["state"] == "succeeded")).await;
    let at_wechat: i64 = shop.sim.refunds().iter().map(|r| r.amount).sum();
    assert_eq!(at_wechat, total, "refunded exactly what was paid");
    assert_eq!(shop.order(&order_no).await["status"], "paid", "a refunded order is still an order");
}

#[tokio::test]
async fn a_second_payment_for_one_order_is_refunded() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let order_id: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE order_no = $1")
        .bind(&order_no)
        .fetch_one(&shop.db)
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT total_fen FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&shop.db)
        .await
        .unwrap();
    let first = db::new_attempt(&shop.db, order_id, &order_no, shop_core::payment::PaymentMode::Native, total, None)
        .await
        .unwrap();
    let second =
        db::new_attempt(&shop.db, order_id, &order_no, shop_core::payment::PaymentMode::H5, total, None).await.unwrap();
    assert_eq!(
        db::record_paid(&shop.db, &first, Some("T1"), "2026-12-01T08:00:00Z").await.unwrap(),
        db::Recorded::Paid
    );
    let again = db::record_paid(&shop.db, &second, Some("T2"), "2026-12-01T08:01:00Z").await.unwrap();
    let db::Recorded::NeedsRefund(refund_no) = again else { panic!("{again:?}") };
    assert_eq!(refund_no, format!("{order_no}R01"));
    assert_eq!(
        db::record_paid(&shop.db, &second, Some("T2"), "2026-12-01T08:01:00Z").await.unwrap(),
        db::Recorded::Already
    );
    let order = shop.order(&order_no).await;
    assert_eq!(order["refunds"][0]["reason"], "duplicate_payment");
    assert_eq!(order["refunds"][0]["amount_fen"], total);
}

/// A payment landing on an order the shop has cancelled meanwhile is
/// refunded, and the staff's group is told which refund went out.
#[tokio::test]
async fn a_payment_for_a_cancelled_order_is_refunded_and_staff_are_told() {
    let robot = common::robot::start().await;
    let shop = paying_shop_with(|c| c.alert_webhook_url = Some(robot.url.clone())).await;
    let order_no = shop.place_order(1).await;
    let (_, start) = shop.start(&order_no, "native").await;
    // As if the cancel had won a race with the shopper's payment at WeChat.
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE order_no = $1")
        .bind(&order_no)
        .execute(&shop.db)
        .await
        .unwrap();
    shop.sim.pay(start["out_trade_no"].as_str().unwrap()).unwrap();
    let order = shop.order_when(&order_no, |o| !o["refunds"].as_array().unwrap_or(&Vec::new()).is_empty()).await;
    assert_eq!(order["status"], "cancelled");
    let refund_no = order["refunds"][0]["refund_no"].as_str().unwrap().to_owned();
    assert!(refund_no.starts_with(&order_no), "{refund_no}");
    let told = robot.messages(1, Duration::from_secs(5)).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("已自动退款") && told[0].contains(&refund_no), "{}", told[0]);
}

#[tokio::test]
async fn a_bank_transfer_is_recorded_with_its_reference_and_pays_the_order() {
    let shop = paying_shop().await;
    let order_no = shop.place_order(1).await;
    let (status, refused) = shop.admin(&format!("/orders/{order_no}/status"), &json!({"status": "paid"}), None).await;
    assert_eq!(
        (status, refused["error"]["fields"]["status"].as_str()),
        (422, Some("invalid")),
        "paid comes from a payment"
    );
    let (_, start) = shop.start(&order_no, "native").await;
    let transfer =
        json!({"reference": "ICBC2026120100012", "payer": "西青区总工会", "received_at": "2026-12-01 09:30"});
    let (status, order) = shop.admin(&format!("/orders/{order_no}/bank-transfer"), &transfer, None).await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["status"], "paid");
    let transfer_row =
        order["payments"].as_array().unwrap().iter().find(|p| p["method"] == "bank_transfer").unwrap().clone();
    assert_eq!(transfer_row["reference"], "ICBC2026120100012");
    assert_eq!(transfer_row["paid_at"], "2026-12-01T01:30:00Z", "09:30 China time");
    let trade = shop.sim.trades().into_iter().find(|t| t.out_trade_no == start["out_trade_no"]).unwrap();
    assert_eq!(trade.state, wechat_pay_sim::TradeState::Closed, "the QR code can no longer be paid");
    let recorded_by: String = sqlx::query_scalar("SELECT recorded_by FROM payments WHERE method = 'bank_transfer'")
        .fetch_one(&shop.db)
        .await
        .unwrap();
    assert_eq!(recorded_by, "127.0.0.1");
}

#[tokio::test]
async fn without_a_provider_paying_online_is_unavailable() {
    let shop = common::shop().await;
    let order_no = shop.place_order(&[(SKU, 1)], "no-provider").await;
    let reply = shop
        .post_json(&format!("/api/orders/{order_no}/payments"), &json!({"phone": PHONE, "mode": "native"}), None)
        .await;
    assert_eq!((reply.status.as_u16(), reply.error_code()), (503, "payment_unavailable".to_owned()));
}
