mod common;

use axum::http::StatusCode;
use common::{order_body, shop, TestShop, ADMIN_TOKEN};
use serde_json::{json, Value};
use std::sync::Arc;

const HIVE: &str = "ADOPT-HIVE-2027";

fn adoption_order(name: &str, hive_no: Option<i64>) -> Value {
    let mut body = order_body(&[(HIVE, 1)]);
    body["items"][0]["adoption"] = json!({"hive_name": name, "hive_no": hive_no});
    body
}

async fn free_hives(shop: &TestShop) -> Vec<i64> {
    let reply = shop.get("/api/products/adopt-a-beehive/hives").await.json();
    reply["free"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).collect()
}

async fn mark(shop: &TestShop, order_no: &str, status: &str) {
    let reply = match status {
        "paid" => shop.mark_paid(order_no).await,
        _ => {
            let body = Some(json!({"status": status}));
            shop.admin("POST", &format!("/api/admin/orders/{order_no}/status"), body, Some(ADMIN_TOKEN)).await
        }
    };
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn adopting_names_the_next_free_hive_or_the_chosen_one() {
    let shop = shop().await;
    let product = shop.get("/api/products/adopt-a-beehive").await.json();
    assert_eq!(product["adoption"]["guaranteed_yield"], 20);
    assert_eq!(product["adoption"]["harvests"].as_array().unwrap().len(), 3);
    assert_eq!(free_hives(&shop).await.len(), 100);

    let first = shop.post_json("/api/orders", &adoption_order("小蜜蜂", None), Some("a1")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let adoption = &first.json()["adoptions"][0];
    assert_eq!((adoption["hive_no"].as_i64(), adoption["hive_name"].as_str()), (Some(1), Some("小蜜蜂")));
    assert_eq!(adoption["adopter"], "王小蜜");
    assert_eq!(adoption["plan"]["cooperative"], "景泰县五佛乡蜜蜂养殖合作社（津景蜜园）");

    let chosen = shop.post_json("/api/orders", &adoption_order("西青一家亲", Some(18)), Some("a2")).await.json();
    assert_eq!(chosen["adoptions"][0]["hive_no"], 18);
    let free = free_hives(&shop).await;
    assert_eq!(free.len(), 98);
    assert!(!free.contains(&1) && !free.contains(&18));
    assert_eq!(shop.stock(HIVE).await, 98);

    // Hive 18 is gone: the next shopper asking for it is told, and nothing is written.
    let taken = shop.post_json("/api/orders", &adoption_order("甜甜", Some(18)), Some("a3")).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.error_code(), "hive_taken");
    assert_eq!(taken.json()["error"]["hive_no"], 18);
    assert_eq!(shop.stock(HIVE).await, 98);
    assert_eq!(shop.order_count().await, 2);
    let missing = shop.post_json("/api/orders", &adoption_order("甜甜", Some(101)), Some("a4")).await;
    assert_eq!(missing.json()["error"]["fields"]["items[0].adoption.hive_no"], "invalid");
}

#[tokio::test]
async fn hive_names_and_adoption_lines_are_validated() {
    let shop = shop().await;
    let cases = [
        ("", "required"),
        ("一二三四五六七八九十一二三", "too_long"),
        ("<b>蜜</b>", "invalid"),
        ("傻蜂箱", "inappropriate"),
    ];
    for (i, (name, rule)) in cases.into_iter().enumerate() {
        let reply = shop.post_json("/api/orders", &adoption_order(name, None), Some(&format!("name-{i}"))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(reply.json()["error"]["fields"]["items[0].adoption.hive_name"], rule, "{name}");
    }
    let no_choice = shop.post_json("/api/orders", &order_body(&[(HIVE, 1)]), Some("nc")).await;
    assert_eq!(no_choice.json()["error"]["fields"]["items[0].adoption.hive_name"], "required");
    let mut two = adoption_order("小蜜蜂", None);
    two["items"][0]["quantity"] = json!(2);
    let two = shop.post_json("/api/orders", &two, Some("two")).await;
    assert_eq!(two.json()["error"]["fields"]["items[0].quantity"], "invalid_quantity");
    let mut goods = order_body(&[("HONEY-WF-500", 1)]);
    goods["items"][0]["adoption"] = json!({"hive_name": "蜜"});
    let goods = shop.post_json("/api/orders", &goods, Some("goods")).await;
    assert_eq!(goods.json()["error"]["fields"]["items[0].adoption"], "invalid");
    assert_eq!(shop.order_count().await, 0);
    assert_eq!(shop.stock(HIVE).await, 100);
}

/// Eight shoppers adopt at the same moment, each asking for `hive_no`;
/// returns how many got an order, asserting every other one was refused
/// with `loser_code`.
async fn race(shop: &Arc<TestShop>, hive_no: Option<i64>, loser_code: &str) -> usize {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let shop = shop.clone();
            tokio::spawn(async move {
                shop.post_json("/api/orders", &adoption_order(&format!("蜂箱{i}"), hive_no), Some(&format!("race-{i}")))
                    .await
            })
        })
        .collect();
    let mut winners = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => winners += 1,
            StatusCode::CONFLICT => assert_eq!(reply.error_code(), loser_code),
            other => panic!("{other}"),
        }
    }
    winners
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_shoppers_for_the_last_free_hive_exactly_one_wins() {
    let shop = Arc::new(shop().await);
    sqlx::query("DELETE FROM hives WHERE no > 1").execute(&shop.db).await.unwrap();
    shop.set_stock(HIVE, 1).await;
    assert_eq!(race(&shop, None, "out_of_stock").await, 1);
    assert!(free_hives(&shop).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_shoppers_choosing_the_same_hive_exactly_one_gets_it() {
    let shop = Arc::new(shop().await);
    assert_eq!(race(&shop, Some(7), "hive_taken").await, 1);
    assert_eq!(shop.stock(HIVE).await, 99);
}

#[tokio::test]
async fn deliveries_are_recorded_once_paid_and_certificates_need_the_phone() {
    let shop = shop().await;
    let order = shop.post_json("/api/orders", &adoption_order("甜蜜的家", None), Some("cert")).await.json();
    let no = order["order_no"].as_str().unwrap().to_owned();
    let id = order["adoptions"][0]["id"].as_i64().unwrap();
    let deliver = |tracking: &str| json!({"tracking_no": tracking, "amount": "7斤 洋槐蜜"});
    let early = shop
        .admin("POST", &format!("/api/admin/adoptions/{id}/deliveries"), Some(deliver("SF1")), Some(ADMIN_TOKEN))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "no harvest before payment");

    mark(&shop, &no, "paid").await;
    let reply = shop
        .admin("POST", &format!("/api/admin/adoptions/{id}/deliveries"), Some(deliver("SF100")), Some(ADMIN_TOKEN))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["deliveries"][0]["tracking_no"], "SF100");
    let blank = shop
        .admin(
            "POST",
            &format!("/api/admin/adoptions/{id}/deliveries"),
            Some(json!({"tracking_no": " ", "amount": ""})),
            Some(ADMIN_TOKEN),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unauthenticated =
        shop.admin("POST", &format!("/api/admin/adoptions/{id}/deliveries"), Some(deliver("SF2")), None).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    assert_eq!(shop.admin("GET", "/api/admin/adoptions", None, None).await.status, StatusCode::UNAUTHORIZED);

    let list = shop.admin("GET", "/api/admin/adoptions", None, Some(ADMIN_TOKEN)).await.json();
    assert_eq!(list[0]["order_no"], no.as_str());
    assert_eq!(list[0]["status"], "paid");
    assert_eq!(list[0]["hive_name"], "甜蜜的家");

    let certificate = shop.get(&format!("/api/orders/{no}?phone=13800138000")).await.json();
    assert_eq!(certificate["adoptions"][0]["hive_name"], "甜蜜的家");
    assert_eq!(certificate["adoptions"][0]["deliveries"][0]["amount"], "7斤 洋槐蜜");
    let stranger = shop.get(&format!("/api/orders/{no}?phone=13900000000")).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&stranger.body).contains("甜蜜的家"));
}

#[tokio::test]
async fn cancelling_an_adoption_frees_its_hive() {
    let shop = shop().await;
    let no = shop.post_json("/api/orders", &adoption_order("回家", Some(5)), Some("c")).await.json()["order_no"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!free_hives(&shop).await.contains(&5));
    mark(&shop, &no, "cancelled").await;
    assert!(free_hives(&shop).await.contains(&5));
    assert_eq!(shop.stock(HIVE).await, 100);
    let again = shop.post_json("/api/orders", &adoption_order("新家", Some(5)), Some("c2")).await;
    assert_eq!(again.status, StatusCode::CREATED);
}

#[tokio::test]
async fn impact_counts_only_paid_orders_by_county() {
    let shop = shop().await;
    let empty = shop.get("/api/impact").await.json();
    assert_eq!(empty["paid_orders"], 0);
    assert_eq!(empty["counties"].as_array().unwrap().len(), 0);
    assert_eq!(empty["free_hives"], 100);

    let jingtai = shop.place_order(&[("HONEY-WF-500", 2), ("APPLE-HN-5J", 1)], "i1").await; // 13600 景泰 + 5980 麦积
    let pending = shop.place_order(&[("GOJI-RED-250", 1)], "i2").await;
    let hive = shop.post_json("/api/orders", &adoption_order("小蜜蜂", None), Some("i3")).await.json();
    mark(&shop, &jingtai, "paid").await;
    mark(&shop, hive["order_no"].as_str().unwrap(), "paid").await;
    let _ = pending;

    let impact = shop.get("/api/impact").await.json();
    assert_eq!(impact["paid_orders"], 2);
    assert_eq!(impact["adopted_hives"], 1);
    assert_eq!(impact["free_hives"], 99);
    let counties = impact["counties"].as_array().unwrap();
    let county = |name: &str| counties.iter().find(|c| c["county"] == name).unwrap().clone();
    assert_eq!(
        county("景泰县")["paid_fen"],
        13600 + 128000,
        "goods lines only, without shipping; the unpaid order not counted"
    );
    assert_eq!(county("景泰县")["orders"], 2);
    assert_eq!(county("麦积区")["paid_fen"], 5980);
}

#[tokio::test]
async fn producer_pages_list_what_they_sell() {
    let shop = shop().await;
    let coop = shop.get("/api/producers/wufo-bee-coop").await.json();
    assert_eq!(coop["name"], "景泰县五佛乡蜜蜂养殖合作社");
    assert_eq!(coop["township"], "五佛乡");
    let slugs: Vec<&str> = coop["products"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"adopt-a-beehive") && slugs.contains(&"goji-blossom-honey"));
    assert!(!slugs.contains(&"honey-comb-gift"), "drafts stay hidden");
    assert_eq!(shop.get("/api/producers/nobody").await.status, StatusCode::NOT_FOUND);
    assert_eq!(shop.get("/api/products/jingtai-red-goji/hives").await.status, StatusCode::NOT_FOUND);
}
