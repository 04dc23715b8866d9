mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{order_body, shop};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn quote_uses_database_prices_and_the_shipping_rule() {
    let shop = shop().await;
    let quote = shop.post_json("/api/quote", &json!({"items": [{"sku": "HONEY-WF-500", "quantity": 1}]}), None).await;
    assert_eq!(quote.status, StatusCode::OK);
    let q = quote.json();
    assert_eq!(q["lines"][0]["unit_price_fen"], 6800);
    assert_eq!(q["lines"][0]["name"], "津景蜜园百花蜜");
    assert_eq!(
        (q["subtotal_fen"].as_i64(), q["shipping_fen"].as_i64(), q["total_fen"].as_i64()),
        (Some(6800), Some(1000), Some(7800))
    );

    let free =
        shop.post_json("/api/quote", &json!({"items": [{"sku": "HONEY-WF-500", "quantity": 2}]}), None).await.json();
    assert_eq!(free["shipping_fen"], 0, "free from ¥99");

    let remote =
        json!({"items": [{"sku": "HONEY-WF-500", "quantity": 2}], "address": {"province": "新疆维吾尔自治区"}});
    assert_eq!(shop.post_json("/api/quote", &remote, None).await.json()["shipping_fen"], 2000);
}

#[tokio::test]
async fn quote_flags_unknown_and_short_lines_and_writes_nothing() {
    let shop = shop().await;
    shop.set_stock("GOJI-RED-250", 2).await;
    let body = json!({"items": [
        {"sku": "GOJI-RED-250", "quantity": 3},
        {"sku": "NO-SUCH-SKU", "quantity": 1},
        {"sku": "HONEY-COMB-500", "quantity": 1},
        {"sku": "HONEY-WF-500", "quantity": 1}
    ]});
    let q = shop.post_json("/api/quote", &body, None).await.json();
    assert_eq!(q["lines"][0]["problem"], "out_of_stock");
    assert_eq!(q["lines"][0]["available"], 2);
    assert_eq!(q["lines"][1]["problem"], "unknown_sku");
    assert_eq!(q["lines"][2]["problem"], "unknown_sku", "drafts cannot be bought");
    assert!(q["lines"][3].get("problem").is_none());
    assert_eq!(q["subtotal_fen"], 6800, "only buyable lines count");
    assert_eq!(shop.stock("GOJI-RED-250").await, 2);
    assert_eq!(shop.order_count().await, 0);
}

#[tokio::test]
async fn an_order_takes_server_prices_and_decrements_stock() {
    let shop = shop().await;
    let before = shop.stock("HONEY-WF-500").await;
    let mut body = order_body(&[("HONEY-WF-500", 2), ("GOJI-RED-250", 1)]);
    // A client trying to set its own price is ignored.
    body["items"][0]["unit_price_fen"] = json!(1);
    body["subtotal_fen"] = json!(1);
    let reply = shop.post_json("/api/orders", &body, Some("key-1")).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let order = reply.json();
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["lines"][0]["unit_price_fen"], 6800);
    assert_eq!(order["lines"][0]["line_total_fen"], 13600);
    assert_eq!(order["lines"][1]["name"], "景泰红枸杞");
    assert_eq!(order["subtotal_fen"], 13600 + 3990);
    assert_eq!(order["shipping_fen"], 0);
    assert_eq!(order["total_fen"], 17590);
    assert_eq!(order["address"]["district"], "西青区");
    let order_no = order["order_no"].as_str().unwrap();
    assert!(order_no.starts_with("XQ") && order_no.len() == 12, "{order_no}");
    assert!(order["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(shop.stock("HONEY-WF-500").await, before - 2);
}

/// The answer to a checkout is built from what was written, not read back:
/// it must be the order exactly as every later read of it shows it.
#[tokio::test]
async fn the_answer_to_a_checkout_is_the_order_as_stored() {
    let shop = shop().await;
    let mut goods = order_body(&[("HONEY-WF-500", 2), ("GOJI-RED-250", 1)]);
    goods["contact"] = json!({"name": "  王小蜜 ", "phone": " 13800138000"});
    goods["address"]["detail"] = json!(" 杨柳青镇柳口路1号  ");
    goods["address"]["postal_code"] = json!(" ");
    goods["note"] = json!(" 请放门卫 ");
    goods["invoice"] = json!({"kind": "company", "title": "天津某公司", "tax_id": "91350100M000100Y43"});
    let mut adoption = order_body(&[("ADOPT-HIVE-2027", 1)]);
    adoption["items"][0]["adoption"] = json!({"hive_name": "小蜜蜂"});
    adoption["address"] = json!({"province": "甘肃省", "city": "白银市", "district": "新设区", "district_unlisted": true, "detail": "某路1号", "postal_code": "730400"});
    for (key, body) in [("stored-goods", goods), ("stored-hive", adoption)] {
        let placed = shop.post_json("/api/orders", &body, Some(key)).await;
        assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text());
        let placed = placed.json();
        let order_no = placed["order_no"].as_str().unwrap();
        let read = shop.get(&format!("/api/orders/{order_no}?phone=13800138000")).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(placed, read.json(), "{key}");
    }
}

#[tokio::test]
async fn an_order_needs_an_idempotency_key() {
    let shop = shop().await;
    for key in [None, Some(""), Some(&*"k".repeat(101))] {
        let reply = shop.post_json("/api/orders", &order_body(&[("HONEY-WF-500", 1)]), key).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error_code(), "idempotency_key_required");
    }
    assert_eq!(shop.order_count().await, 0);
}

#[tokio::test]
async fn a_retried_order_is_the_same_order() {
    let shop = shop().await;
    let body = order_body(&[("HONEY-WF-500", 1)]);
    let first = shop.post_json("/api/orders", &body, Some("retry-key")).await;
    let second = shop.post_json("/api/orders", &body, Some("retry-key")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.json(), second.json());
    assert_eq!(shop.order_count().await, 1);
    assert_eq!(shop.stock("HONEY-WF-500").await, 119, "stock taken once");

    let other = order_body(&[("HONEY-WF-500", 2)]);
    let reply = shop.post_json("/api/orders", &other, Some("retry-key")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_code(), "idempotency_mismatch");
    assert_eq!(shop.order_count().await, 1);
}

#[tokio::test]
async fn a_shortage_refuses_the_whole_order() {
    let shop = shop().await;
    shop.set_stock("PEAR-TS-5J", 1).await;
    let body = order_body(&[("HONEY-WF-500", 1), ("PEAR-TS-5J", 2)]);
    let reply = shop.post_json("/api/orders", &body, Some("short")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "out_of_stock");
    assert_eq!(error["sku"], "PEAR-TS-5J");
    assert_eq!(error["available"], 1);
    assert_eq!(shop.stock("HONEY-WF-500").await, 120, "the honey was put back");
    assert_eq!(shop.stock("PEAR-TS-5J").await, 1);
    assert_eq!(shop.order_count().await, 0);

    // The same key works once the shortage is fixed: a refusal claims nothing.
    shop.set_stock("PEAR-TS-5J", 5).await;
    assert_eq!(shop.post_json("/api/orders", &body, Some("short")).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_changed_total_is_refused_with_the_new_total() {
    let shop = shop().await;
    let mut body = order_body(&[("HONEY-WF-500", 1)]);
    body["expected_total_fen"] = json!(7700);
    let reply = shop.post_json("/api/orders", &body, Some("seen-old-price")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_code(), "price_changed");
    assert_eq!(reply.json()["error"]["total_fen"], 7800);
    assert_eq!(shop.order_count().await, 0);
    assert_eq!(shop.stock("HONEY-WF-500").await, 120);

    body["expected_total_fen"] = json!(7800);
    assert_eq!(shop.post_json("/api/orders", &body, Some("seen-new-price")).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let shop = shop().await;
    let mut body = order_body(&[("HONEY-WF-500", 0), ("GOJI-RED-250", -1), ("DATE-WF-500", 1_000_000)]);
    body["contact"]["phone"] = json!("12345678901");
    body["contact"]["name"] = json!("");
    body["address"]["province"] = json!("火星");
    body["address"]["detail"] = json!("路".repeat(121));
    body["address"]["postal_code"] = json!("12345");
    body["note"] = json!("长".repeat(201));
    body["invoice"] = json!({"kind": "company", "title": "天津某公司", "tax_id": "91350100M000100Y44"});
    let reply = shop.post_json("/api/orders", &body, Some("bad-fields")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_code(), "validation");
    let fields = &reply.json()["error"]["fields"];
    assert_eq!(fields["items[0].quantity"], "invalid_quantity");
    assert_eq!(fields["items[1].quantity"], "invalid_quantity");
    assert_eq!(fields["items[2].quantity"], "invalid_quantity");
    assert_eq!(fields["contact.phone"], "invalid_phone");
    assert_eq!(fields["contact.name"], "required");
    assert_eq!(fields["address.province"], "unknown_province");
    assert_eq!(fields["address.detail"], "too_long");
    assert_eq!(fields["address.postal_code"], "invalid_postal_code");
    assert_eq!(fields["note"], "too_long");
    assert_eq!(fields["invoice.tax_id"], "invalid_credit_code");
    assert_eq!(shop.order_count().await, 0);
}

#[tokio::test]
async fn unknown_skus_and_drafts_are_named_fields() {
    let shop = shop().await;
    let body = order_body(&[("HONEY-WF-500", 1), ("NO-SUCH", 1), ("HONEY-COMB-500", 1)]);
    let reply = shop.post_json("/api/orders", &body, Some("unknown")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &reply.json()["error"]["fields"];
    assert_eq!(fields["items[1].sku"], "unknown_sku");
    assert_eq!(fields["items[2].sku"], "unknown_sku");
    assert!(fields.get("items[0].sku").is_none());
    assert_eq!(shop.stock("HONEY-WF-500").await, 120);
}

#[tokio::test]
async fn too_many_lines_are_refused() {
    let shop = shop().await;
    let skus: Vec<String> = (0..51).map(|i| format!("SKU-{i}")).collect();
    let items: Vec<(&str, i64)> = skus.iter().map(|s| (s.as_str(), 1)).collect();
    let reply = shop.post_json("/api/orders", &order_body(&items), Some("many")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["fields"]["items"], "too_long");
}

#[tokio::test]
async fn unreadable_requests_are_clean_json_4xx() {
    let shop = shop().await;
    let raw = |content_type: &str, body: String| {
        Request::post("/api/orders")
            .header(header::CONTENT_TYPE, content_type)
            .header("idempotency-key", "raw")
            .body(Body::from(body))
            .unwrap()
    };
    let cases = [
        (raw("application/json", "{\"items\": [".into()), StatusCode::BAD_REQUEST, "malformed_json"),
        (
            raw("text/plain", order_body(&[("HONEY-WF-500", 1)]).to_string()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (raw("application/json", "{\"items\": \"lots\"}".into()), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (
            raw("application/json", {
                let mut absurd = order_body(&[("HONEY-WF-500", 1)]);
                absurd["items"][0]["quantity"] = json!(1e30);
                absurd.to_string()
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            raw("application/json", format!("{{\"note\": \"{}\"}}", "x".repeat(70_000))),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        let reply = shop.send(request).await;
        assert_eq!((reply.status, reply.error_code().as_str()), (status, code));
    }
    assert_eq!(shop.order_count().await, 0);
}

#[tokio::test]
async fn lookup_needs_the_right_phone_and_says_nothing_otherwise() {
    let shop = shop().await;
    let order = shop.post_json("/api/orders", &order_body(&[("HONEY-WF-500", 1)]), Some("lookup")).await.json();
    let no = order["order_no"].as_str().unwrap();

    let found = shop.get(&format!("/api/orders/{no}?phone=13800138000")).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json(), order);
    let lower = shop.get(&format!("/api/orders/{}?phone=13800138000", no.to_lowercase())).await;
    assert_eq!(lower.status, StatusCode::OK, "order numbers are read out loud; case does not matter");

    let wrong_phone = shop.get(&format!("/api/orders/{no}?phone=13900139000")).await;
    let no_phone = shop.get(&format!("/api/orders/{no}")).await;
    let no_order = shop.get("/api/orders/XQ2345678923?phone=13800138000").await;
    for reply in [&wrong_phone, &no_phone, &no_order] {
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(wrong_phone.body, no_order.body, "the same answer for both");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_checkouts_never_oversell() {
    let shop = Arc::new(shop().await);
    shop.set_stock("HONEY-SZ-500", 5).await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let shop = shop.clone();
            tokio::spawn(async move {
                let reply = shop
                    .post_json("/api/orders", &order_body(&[("HONEY-SZ-500", 1)]), Some(&format!("rush-{i}")))
                    .await;
                (reply.status, if reply.status == StatusCode::CREATED { String::new() } else { reply.error_code() })
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            (StatusCode::CREATED, _) => created += 1,
            (StatusCode::CONFLICT, code) => assert_eq!(code, "out_of_stock"),
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(created, 5, "exactly as many orders as units");
    assert_eq!(shop.stock("HONEY-SZ-500").await, 0);
    assert_eq!(shop.order_count().await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_with_one_key_make_one_order() {
    let shop = Arc::new(shop().await);
    let body = order_body(&[("HONEY-WF-500", 3)]);
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (shop, body) = (shop.clone(), body.clone());
            tokio::spawn(async move { shop.post_json("/api/orders", &body, Some("double-tap")).await })
        })
        .collect();
    let mut numbers = std::collections::HashSet::new();
    for task in tasks {
        let reply = task.await.unwrap();
        assert_eq!(reply.status, StatusCode::CREATED);
        numbers.insert(reply.json()["order_no"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers.len(), 1);
    assert_eq!(shop.order_count().await, 1);
    assert_eq!(shop.stock("HONEY-WF-500").await, 117);
}

/// Concurrent requests with one key but two different carts (a client bug,
/// or a tampered retry): one cart becomes the order, the other is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_with_two_carts_at_once_places_one_of_them() {
    let shop = Arc::new(shop().await);
    let carts = [order_body(&[("HONEY-WF-500", 1)]), order_body(&[("HONEY-WF-500", 2)])];
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (shop, body) = (shop.clone(), carts[i % 2].clone());
            tokio::spawn(async move { (i % 2, shop.post_json("/api/orders", &body, Some("one-key")).await) })
        })
        .collect();
    let (mut placed, mut mismatched) = (std::collections::HashMap::new(), 0);
    for task in tasks {
        let (cart, reply) = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => {
                placed.insert(cart, reply.json()["order_no"].as_str().unwrap().to_owned());
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(reply.error_code(), "idempotency_mismatch");
                mismatched += 1;
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    assert_eq!(placed.len(), 1, "every request with the winning cart got its order: {placed:?}");
    assert_eq!(mismatched, 6);
    assert_eq!(shop.order_count().await, 1);
    let units = if placed.contains_key(&0) { 1 } else { 2 };
    assert_eq!(shop.stock("HONEY-WF-500").await, 120 - units);
}

/// Retries of a refused checkout arriving together are all refused, and
/// none keeps the key: once restocked, the same request succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_of_a_refused_checkout_keep_no_key() {
    let shop = Arc::new(shop().await);
    shop.set_stock("HONEY-SZ-500", 0).await;
    let body = order_body(&[("HONEY-SZ-500", 1)]);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (shop, body) = (shop.clone(), body.clone());
            tokio::spawn(async move { shop.post_json("/api/orders", &body, Some("sold-out-tap")).await })
        })
        .collect();
    for task in tasks {
        let reply = task.await.unwrap();
        assert_eq!((reply.status, reply.error_code()), (StatusCode::CONFLICT, "out_of_stock".to_owned()));
    }
    shop.set_stock("HONEY-SZ-500", 1).await;
    let again = shop.post_json("/api/orders", &body, Some("sold-out-tap")).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
    assert_eq!(shop.order_count().await, 1);
}

/// On SQLite concurrent checkouts share one commit (`db::OrderWriter`):
/// an order refused inside it rolls back alone, taking neither stock nor
/// its key, while the others in the same commit stand.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_checkout_among_concurrent_ones_rolls_back_alone() {
    let shop = Arc::new(shop().await);
    shop.set_stock("HONEY-SZ-500", 3).await;
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let shop = shop.clone();
            // Every third asks for the scarce honey as well as a jar of the plentiful one.
            let items: &[(&str, i64)] =
                if i % 3 == 0 { &[("HONEY-WF-500", 1), ("HONEY-SZ-500", 1)] } else { &[("HONEY-WF-500", 1)] };
            let body = order_body(items);
            tokio::spawn(async move { (i, shop.post_json("/api/orders", &body, Some(&format!("mixed-{i}"))).await) })
        })
        .collect();
    let mut refused = Vec::new();
    for task in tasks {
        let (i, reply) = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => {}
            StatusCode::CONFLICT if i % 3 == 0 => refused.push(i),
            other => panic!("checkout {i}: unexpected {other}: {}", reply.text()),
        }
    }
    assert_eq!(refused.len(), 10 - 3, "three of the ten scarce orders get a jar");
    assert_eq!(shop.order_count().await, 30 - 7);
    assert_eq!(shop.stock("HONEY-SZ-500").await, 0);
    assert_eq!(shop.stock("HONEY-WF-500").await, 120 - 23, "a refused order took none of the plentiful honey");
    // A refused order's key was not kept: once restocked, the same request succeeds.
    shop.set_stock("HONEY-SZ-500", 1).await;
    let retry = order_body(&[("HONEY-WF-500", 1), ("HONEY-SZ-500", 1)]);
    let again = shop.post_json("/api/orders", &retry, Some(&format!("mixed-{}", refused[0]))).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
}
