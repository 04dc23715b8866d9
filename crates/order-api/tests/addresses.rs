//! Addresses are checked against the region data: the names must make one
//! district (and match its code when one is sent); the order stores the full
//! names and the code, and orders from before the check read as written.

mod common;

use axum::http::StatusCode;
use common::{order_body, shop};
use serde_json::{json, Value};

fn with_address(address: Value) -> Value {
    let mut body = order_body(&[("HONEY-WF-500", 1)]);
    body["address"] = address;
    body
}

#[tokio::test]
async fn a_district_of_the_city_is_accepted_and_stored_with_its_full_names_and_code() {
    let shop = shop().await;
    let address = json!({"province": "甘肃", "city": "白银", "district": "景泰", "detail": "一条山镇人民路18号"});
    let reply = shop.post_json("/api/orders", &with_address(address), Some("short-names")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let a = &reply.json()["address"];
    assert_eq!((&a["province"], &a["city"], &a["district"]), (&json!("甘肃省"), &json!("白银市"), &json!("景泰县")));
    assert_eq!(a["district_code"], "620423");
    assert!(a.get("district_unlisted").is_none());
}

#[tokio::test]
async fn a_district_of_another_city_or_a_city_of_another_province_is_refused_at_its_field() {
    let shop = shop().await;
    for (address, path, rule) in [
        (json!({"province": "甘肃省", "city": "白银市", "district": "西青区"}), "address.district", "unknown_district"),
        (json!({"province": "甘肃省", "city": "天津市", "district": "西青区"}), "address.city", "unknown_city"),
        (json!({"province": "天津市", "city": "市辖区", "district": "西青区"}), "address.city", "unknown_city"),
        (json!({"province": "火星", "city": "白银市", "district": "景泰县"}), "address.province", "unknown_province"),
    ] {
        let mut address = address;
        address["detail"] = json!("某路1号");
        let reply = shop.post_json("/api/orders", &with_address(address.clone()), Some("mismatch")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert_eq!(reply.json()["error"]["fields"], json!({path: rule}), "{address}");
    }
    assert_eq!(shop.order_count().await, 0);
}

#[tokio::test]
async fn a_district_code_must_be_the_district_the_names_make() {
    let shop = shop().await;
    let mut address = order_body(&[])["address"].clone();
    address["district_code"] = json!("620423");
    let reply = shop.post_json("/api/orders", &with_address(address.clone()), Some("wrong-code")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["fields"], json!({"address.district_code": "code_mismatch"}));
    address["district_code"] = json!("12O111");
    let reply = shop.post_json("/api/orders", &with_address(address.clone()), Some("bad-code")).await;
    assert_eq!(reply.json()["error"]["fields"], json!({"address.district_code": "invalid"}));
    address["district_code"] = json!("120111");
    let reply = shop.post_json("/api/orders", &with_address(address), Some("right-code")).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(shop.order_count().await, 1);
}

#[tokio::test]
async fn a_municipality_is_spelled_out_and_a_remote_province_pays_the_surcharge_by_code() {
    let shop = shop().await;
    let tianjin = shop.post_json("/api/orders", &order_body(&[("HONEY-WF-500", 1)]), Some("tianjin")).await.json();
    assert_eq!(tianjin["address"]["city"], "天津市");
    assert_eq!(tianjin["address"]["district_code"], "120111");
    assert_eq!(tianjin["shipping_fen"], 1000);
    let urumqi = json!({"province": "新疆", "city": "乌鲁木齐", "district": "天山区", "detail": "解放北路188号"});
    let order = shop.post_json("/api/orders", &with_address(urumqi), Some("urumqi")).await.json();
    assert_eq!(order["address"]["province"], "新疆维吾尔自治区");
    assert_eq!(order["shipping_fen"], 1000 + 2000);
}

#[tokio::test]
async fn a_district_missing_from_the_data_is_taken_for_staff_to_check_once_its_city_resolves() {
    let shop = shop().await;
    let new_district = json!({"province": "甘肃省", "city": "白银市", "district": "新设区", "district_unlisted": true, "detail": "某路1号"});
    let reply = shop.post_json("/api/orders", &with_address(new_district.clone()), Some("unlisted")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let a = &reply.json()["address"];
    assert_eq!((&a["district"], &a["district_unlisted"]), (&json!("新设区"), &json!(true)));
    assert!(a.get("district_code").is_none());
    let mut wrong_city = new_district;
    wrong_city["city"] = json!("天津市");
    let reply = shop.post_json("/api/orders", &with_address(wrong_city), Some("unlisted-wrong-city")).await;
    assert_eq!(reply.json()["error"]["fields"], json!({"address.city": "unknown_city"}));
}

#[tokio::test]
async fn orders_from_before_the_region_check_read_as_they_were_written() {
    let shop = shop().await;
    let order_no = shop.place_order(&[("HONEY-WF-500", 1)], "old").await;
    // As the row of an order placed before migration 0006 looks.
    sqlx::query("UPDATE orders SET city = '天津', district = '西青区杨柳青', district_code = NULL WHERE order_no = $1")
        .bind(&order_no)
        .execute(&shop.db)
        .await
        .unwrap();
    let reply = shop.get(&format!("/api/orders/{order_no}?phone=13800138000")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let a = &reply.json()["address"];
    assert_eq!((&a["city"], &a["district"]), (&json!("天津"), &json!("西青区杨柳青")));
    assert!(a.get("district_code").is_none());
}

#[tokio::test]
async fn a_quote_keys_the_surcharge_on_the_province_and_refuses_an_unknown_one() {
    let shop = shop().await;
    let quote =
        |province: &str| json!({"items": [{"sku": "HONEY-WF-500", "quantity": 1}], "address": {"province": province}});
    assert_eq!(shop.post_json("/api/quote", &quote("西藏"), None).await.json()["shipping_fen"], 3000);
    let reply = shop.post_json("/api/quote", &quote("香港特别行政区"), None).await;
    assert_eq!(reply.json()["error"]["fields"], json!({"address.province": "unknown_province"}));
}
