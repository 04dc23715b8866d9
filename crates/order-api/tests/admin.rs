mod common;

use axum::http::{header, StatusCode};
use common::{shop, shop_with, ADMIN_TOKEN};
use serde_json::json;
use std::sync::Arc;

const T: Option<&str> = Some(ADMIN_TOKEN);

#[tokio::test]
async fn every_admin_endpoint_needs_the_token() {
    let shop = shop().await;
    let order_no = shop.place_order(&[("HONEY-WF-500", 1)], "k").await;
    let endpoints = [
        ("GET", "/api/admin/products".to_owned(), None),
        ("GET", "/api/admin/products/honey-comb-gift".to_owned(), None),
        ("PATCH", "/api/admin/products/honey-comb-gift".to_owned(), Some(json!({"published": true}))),
        ("GET", "/api/admin/orders".to_owned(), None),
        (
            "POST",
            format!("/api/admin/orders/{order_no}/bank-transfer"),
            Some(json!({"reference": "R1", "payer": "王小蜜", "received_at": "2026-12-01 09:30"})),
        ),
        (
            "POST",
            format!("/api/admin/orders/{order_no}/status"),
            Some(json!({"status": "shipped", "tracking_no": "SF1"})),
        ),
    ];
    for (method, uri, body) in &endpoints {
        for token in [None, Some("wrong-token"), Some("")] {
            let reply = shop.admin(method, uri, body.clone(), token).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {uri} with {token:?}");
            assert_eq!(reply.error_code(), "unauthorized");
        }
    }
    // Nothing changed behind the refusals.
    assert_eq!(shop.get("/api/products/honey-comb-gift").await.status, StatusCode::NOT_FOUND);
    for (method, uri, body) in endpoints {
        let reply = shop.admin(method, &uri, body, T).await;
        assert_eq!(reply.status, StatusCode::OK, "{method} {uri}: {}", String::from_utf8_lossy(&reply.body));
    }
}

#[tokio::test]
async fn repeated_wrong_tokens_are_refused_for_a_while() {
    let shop = shop_with(None, 3).await;
    for _ in 0..3 {
        assert_eq!(
            shop.admin("GET", "/api/admin/products", None, Some("guess")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let reply = shop.admin("GET", "/api/admin/products", None, T).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.error_code(), "rate_limited");
    assert!(reply.header(header::RETRY_AFTER).parse::<u64>().unwrap() > 0);
}

#[tokio::test]
async fn drafts_are_for_admins_until_published() {
    let shop = shop().await;
    let list = shop.admin("GET", "/api/admin/products", None, T).await.json();
    let draft = list.as_array().unwrap().iter().find(|p| p["slug"] == "honey-comb-gift").unwrap();
    assert_eq!(draft["published"], false);
    assert_eq!(draft["variants"][0]["stock"], 20);
    assert_eq!(list.as_array().unwrap().len(), 15);

    let preview = shop.admin("GET", "/api/admin/products/honey-comb-gift", None, T).await.json();
    assert_eq!(preview["product"]["name"], "原蜂巢蜜礼盒");
    assert_eq!(preview["published"], false);
    assert_eq!(shop.get("/api/products/honey-comb-gift").await.status, StatusCode::NOT_FOUND);

    let reply = shop.admin("PATCH", "/api/admin/products/honey-comb-gift", Some(json!({"published": true})), T).await;
    assert_eq!(reply.json()["published"], true);
    assert_eq!(shop.get("/api/products/honey-comb-gift").await.status, StatusCode::OK);
    assert_eq!(shop.get("/api/products?category=honey").await.json()["total"], 5);

    shop.admin("PATCH", "/api/admin/products/honey-comb-gift", Some(json!({"published": false})), T).await;
    assert_eq!(shop.get("/api/products/honey-comb-gift").await.status, StatusCode::NOT_FOUND);
    assert_eq!(shop.admin("GET", "/api/admin/products/nope", None, T).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn price_and_stock_edits_apply_at_once_and_are_recorded() {
    let shop = shop().await;
    let patch = json!({
        "name": "津景蜜园百花蜜（新标签）",
        "variants": [
            {"sku": "HONEY-WF-500", "price_fen": 7200, "stock_delta": 20},
            {"sku": "HONEY-WF-1000", "stock_delta": -3}
        ]
    });
    let reply = shop.admin("PATCH", "/api/admin/products/jinjing-wildflower-honey", Some(patch), T).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(shop.stock("HONEY-WF-500").await, 140);
    assert_eq!(shop.stock("HONEY-WF-1000").await, 57);
    let product = shop.get("/api/products/jinjing-wildflower-honey").await.json();
    assert_eq!(product["name"], "津景蜜园百花蜜（新标签）");
    assert_eq!(product["variants"][0]["price_fen"], 7200);

    let history = reply.json()["history"].as_array().unwrap().clone();
    let fields: Vec<&str> = history.iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["HONEY-WF-1000.stock", "HONEY-WF-500.stock", "HONEY-WF-500.price_fen", "name"]);
    let price = &history[2];
    assert_eq!((price["old_value"].as_str(), price["new_value"].as_str()), (Some("6800"), Some("7200")));
    assert_eq!(price["remote_addr"], "127.0.0.1");

    // A shopper who saw the old price is stopped at checkout.
    let mut body = common::order_body(&[("HONEY-WF-500", 1)]);
    body["expected_total_fen"] = json!(7800);
    let reply = shop.post_json("/api/orders", &body, Some("old-price")).await;
    assert_eq!(reply.error_code(), "price_changed");
    assert_eq!(reply.json()["error"]["total_fen"], 8200);
}

#[tokio::test]
async fn stock_never_goes_below_zero_and_bad_patches_change_nothing() {
    let shop = shop().await;
    let write_off = json!({"variants": [{"sku": "HONEY-SZ-500", "stock_delta": -41}]});
    let reply = shop.admin("PATCH", "/api/admin/products/oleaster-blossom-honey", Some(write_off), T).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.json()["error"]["available"], 40);
    assert_eq!(shop.stock("HONEY-SZ-500").await, 40);

    let bad = json!({"name": "", "variants": [{"sku": "HONEY-SZ-500", "price_fen": -5, "stock_delta": 0}]});
    let reply = shop.admin("PATCH", "/api/admin/products/oleaster-blossom-honey", Some(bad), T).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &reply.json()["error"]["fields"];
    assert_eq!(fields["name"], "required");
    assert_eq!(fields["variants[0].price_fen"], "invalid");
    assert_eq!(fields["variants[0].stock_delta"], "invalid");

    // A SKU of another product, and an unknown field, are refused too.
    let other = json!({"variants": [{"sku": "GOJI-RED-250", "stock_delta": 5}]});
    let reply = shop.admin("PATCH", "/api/admin/products/oleaster-blossom-honey", Some(other), T).await;
    assert_eq!(reply.json()["error"]["fields"]["variants[0].sku"], "unknown_sku");
    let sneaky = json!({"variants": [{"sku": "HONEY-SZ-500", "stock": 9999}]});
    let reply = shop.admin("PATCH", "/api/admin/products/oleaster-blossom-honey", Some(sneaky), T).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shop.stock("HONEY-SZ-500").await, 40);
    assert_eq!(shop.stock("GOJI-RED-250").await, 200);
}

async fn set_status(shop: &common::TestShop, order_no: &str, body: serde_json::Value) -> common::Reply {
    shop.admin("POST", &format!("/api/admin/orders/{order_no}/status"), Some(body), T).await
}

#[tokio::test]
async fn orders_move_only_along_their_life() {
    let shop = shop().await;
    let no = shop.place_order(&[("HONEY-WF-500", 1)], "life").await;
    // Forbidden from pending_payment:
    for status in ["shipped", "completed"] {
        let reply = set_status(&shop, &no, json!({"status": status, "tracking_no": "SF1"})).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{status}");
        assert_eq!(reply.error_code(), "invalid_transition");
        assert_eq!(reply.json()["error"]["status"], "pending_payment");
    }
    // Paid comes from a payment (here a bank transfer staff record), once.
    assert_eq!(set_status(&shop, &no, json!({"status": "paid"})).await.json()["error"]["fields"]["status"], "invalid");
    assert_eq!(shop.mark_paid(&no).await.json()["status"], "paid");
    assert_eq!(shop.mark_paid(&no).await.status, StatusCode::CONFLICT);
    // Shipping needs a tracking number.
    let reply = set_status(&shop, &no, json!({"status": "shipped"})).await;
    assert_eq!(reply.json()["error"]["fields"]["tracking_no"], "required");
    let shipped = set_status(&shop, &no, json!({"status": "shipped", "tracking_no": " SF1234567890 "})).await.json();
    assert_eq!((shipped["status"].as_str(), shipped["tracking_no"].as_str()), (Some("shipped"), Some("SF1234567890")));
    assert_eq!(set_status(&shop, &no, json!({"status": "cancelled"})).await.status, StatusCode::CONFLICT);
    assert_eq!(set_status(&shop, &no, json!({"status": "completed"})).await.json()["status"], "completed");
    for status in ["shipped", "cancelled"] {
        let reply = set_status(&shop, &no, json!({"status": status, "tracking_no": "SF2"})).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{status}");
    }
    // The shopper sees status and tracking number.
    let seen = shop.get(&format!("/api/orders/{no}?phone=13800138000")).await.json();
    assert_eq!((seen["status"].as_str(), seen["tracking_no"].as_str()), (Some("completed"), Some("SF1234567890")));

    // paid → cancelled is allowed; unknown orders and statuses are refused.
    let paid = shop.place_order(&[("HONEY-WF-500", 1)], "life-2").await;
    shop.mark_paid(&paid).await;
    let cancelled = set_status(&shop, &paid, json!({"status": "cancelled"})).await.json();
    assert_eq!(cancelled["cancel_reason"], "by_shop");
    // A bank transfer's money goes back by hand: the refund says so.
    assert_eq!(
        (cancelled["refunds"][0]["reason"].as_str(), cancelled["refunds"][0]["state"].as_str()),
        (Some("order_cancelled"), Some("manual"))
    );
    assert_eq!(
        set_status(&shop, "XQ2345678922", json!({"status": "shipped", "tracking_no": "SF1"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(set_status(&shop, &paid, json!({"status": "lost"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancelling_restocks_exactly_once_even_when_sent_twice_at_once() {
    let shop = Arc::new(shop().await);
    let no = shop.place_order(&[("PEAR-TS-5J", 3), ("GOJI-RED-250", 2)], "cancel").await;
    assert_eq!(shop.stock("PEAR-TS-5J").await, 87);
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (shop, no) = (shop.clone(), no.clone());
            tokio::spawn(async move { set_status(&shop, &no, json!({"status": "cancelled"})).await.status })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(shop.stock("PEAR-TS-5J").await, 90);
    assert_eq!(shop.stock("GOJI-RED-250").await, 200);
}

#[tokio::test]
async fn unpaid_orders_are_cancelled_and_restocked_after_their_time() {
    let shop = shop().await;
    let old = shop.place_order(&[("DATE-WF-500", 4)], "old").await;
    let fresh = shop.place_order(&[("DATE-WF-500", 1)], "fresh").await;
    let paid = shop.place_order(&[("DATE-WF-500", 1)], "paid").await;
    let legacy = shop.place_order(&[("DATE-WF-500", 2)], "legacy").await;
    shop.mark_paid(&paid).await;
    // Due long ago (timestamps are UTC text on both databases); and an
    // order from before orders recorded their deadline, placed long ago.
    sqlx::query("UPDATE orders SET created_at = '2025-11-29T08:00:00Z', pay_by = '2025-11-30T08:00:00Z' WHERE order_no IN ($1, $2)")
        .bind(&old)
        .bind(&paid)
        .execute(&shop.db)
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET created_at = '2025-11-29T08:00:00Z', pay_by = NULL WHERE order_no = $1")
        .bind(&legacy)
        .execute(&shop.db)
        .await
        .unwrap();
    assert_eq!(order_api::payments::sweep(&shop.state).await.unwrap(), 2);
    assert_eq!(order_api::payments::sweep(&shop.state).await.unwrap(), 0, "only once");
    assert_eq!(shop.stock("DATE-WF-500").await, 180 - 2);
    let seen = shop.get(&format!("/api/orders/{old}?phone=13800138000")).await.json();
    assert_eq!((seen["status"].as_str(), seen["cancel_reason"].as_str()), (Some("cancelled"), Some("payment_timeout")));
    let fresh = shop.get(&format!("/api/orders/{fresh}?phone=13800138000")).await.json();
    assert_eq!(fresh["status"], "pending_payment");
}

#[tokio::test]
async fn order_list_filters_searches_and_totals_the_day() {
    let shop = shop().await;
    let a = shop.place_order(&[("HONEY-WF-500", 1)], "a").await; // 7800 with shipping
    let b = shop.place_order(&[("HONEY-WF-500", 2)], "b").await; // 13600, free shipping
    let c = shop.place_order(&[("GOJI-RED-250", 1)], "c").await;
    shop.mark_paid(&b).await;
    set_status(&shop, &c, json!({"status": "cancelled"})).await;

    let all = shop.admin("GET", "/api/admin/orders", None, T).await.json();
    let numbers: Vec<&str> = all["items"].as_array().unwrap().iter().map(|o| o["order_no"].as_str().unwrap()).collect();
    assert_eq!(numbers, [c.as_str(), b.as_str(), a.as_str()], "newest first");
    assert_eq!(all["total"], 3);
    assert_eq!(all["today"]["orders"], 2, "cancelled orders do not count");
    assert_eq!(all["today"]["total_fen"], 7800 + 13600);

    let paid = shop.admin("GET", "/api/admin/orders?status=paid", None, T).await.json();
    assert_eq!(paid["total"], 1);
    assert_eq!(paid["items"][0]["order_no"], b.as_str());
    let by_no = shop.admin("GET", &format!("/api/admin/orders?q={}", a.to_lowercase()), None, T).await.json();
    assert_eq!(by_no["items"][0]["order_no"], a.as_str());
    let by_phone = shop.admin("GET", "/api/admin/orders?q=13800138000", None, T).await.json();
    assert_eq!(by_phone["total"], 3);
    let bad = shop.admin("GET", "/api/admin/orders?status=lost&page=0", None, T).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
