mod common;

use axum::http::StatusCode;
use common::shop;
use serde_json::Value;

fn names(list: &Value) -> Vec<&str> {
    list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect()
}

fn prices(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|p| p["price_fen"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn health_check_answers() {
    let shop = shop().await;
    let reply = shop.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn categories_count_only_published_products() {
    let shop = shop().await;
    let reply = shop.get("/api/categories").await;
    assert_eq!(reply.status, StatusCode::OK);
    let categories = reply.json();
    let list = categories.as_array().unwrap();
    assert!(list.len() >= 4);
    let honey = list.iter().find(|c| c["slug"] == "honey").unwrap();
    assert_eq!(honey["name"], "蜂蜜");
    // Three published honeys and the hive adoption; the honeycomb gift box is a draft.
    assert_eq!(honey["product_count"], 4);
}

#[tokio::test]
async fn list_shows_published_products_with_lowest_price_and_sized_image() {
    let shop = shop().await;
    let list = shop.get("/api/products?per_page=100").await.json();
    assert_eq!(list["total"], 14);
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 100);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 14);
    // Featured order: the shop's own ranking.
    assert_eq!(items[0]["slug"], "adopt-a-beehive");
    assert_eq!(items[1]["slug"], "jinjing-wildflower-honey");
    assert_eq!(items[1]["price_fen"], 6800, "lowest of 6800/12800/19800");
    let image = &items[1]["image"];
    assert_eq!(image["src"], "/images/wildflower-honey.svg");
    assert_eq!(image["width"], 400);
    assert_eq!(image["height"], 400);
    assert!(!image["alt"].as_str().unwrap().is_empty());
    let cherry = items.iter().find(|p| p["slug"] == "maiji-cherry").unwrap();
    assert_eq!(cherry["in_stock"], false);
    assert!(items.iter().all(|p| p["slug"] != "honey-comb-gift"), "drafts never listed");
}

#[tokio::test]
async fn filters_by_category() {
    let shop = shop().await;
    let list = shop.get("/api/products?category=honey").await.json();
    assert_eq!(list["total"], 4);
    assert!(list["items"].as_array().unwrap().iter().all(|p| p["category"] == "honey"));
    let none = shop.get("/api/products?category=no-such-category").await.json();
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn searches_name_subtitle_and_origin() {
    let shop = shop().await;
    let by_name = shop.get("/api/products?q=%E6%9E%B8%E6%9D%9E").await.json(); // 枸杞
    let found = names(&by_name);
    assert!(found.contains(&"景泰红枸杞") && found.contains(&"枸杞花蜜"), "{found:?}");

    let by_origin = shop.get("/api/products?q=%E9%BA%A6%E7%A7%AF").await.json(); // 麦积
    assert_eq!(names(&by_origin), ["麦积花牛苹果", "麦积大樱桃"]);

    // Search combines with the category filter.
    let honey_from_wufo = shop.get("/api/products?category=honey&q=%E4%BA%94%E4%BD%9B").await.json(); // 五佛
    assert_eq!(honey_from_wufo["total"], 4);

    // LIKE wildcards typed by a shopper are taken literally.
    let percent = shop.get("/api/products?q=%25").await.json();
    assert_eq!(percent["total"], 0);
}

#[tokio::test]
async fn sorts_by_price_both_ways_and_by_newest() {
    let shop = shop().await;
    let asc = prices(&shop.get("/api/products?sort=price_asc&per_page=100").await.json());
    assert!(asc.windows(2).all(|w| w[0] <= w[1]), "{asc:?}");
    let desc = prices(&shop.get("/api/products?sort=price_desc&per_page=100").await.json());
    assert!(desc.windows(2).all(|w| w[0] >= w[1]), "{desc:?}");
    assert_eq!(asc.first(), desc.last());
    let newest = shop.get("/api/products?sort=newest").await;
    assert_eq!(newest.status, StatusCode::OK);
}

#[tokio::test]
async fn paginates() {
    let shop = shop().await;
    let page3 = shop.get("/api/products?per_page=5&page=3").await.json();
    assert_eq!(page3["total"], 14);
    assert_eq!(page3["items"].as_array().unwrap().len(), 4);
    let past_end = shop.get("/api/products?per_page=5&page=4").await.json();
    assert_eq!(past_end["items"].as_array().unwrap().len(), 0);
    let all_pages: Vec<String> = {
        let mut slugs = Vec::new();
        for page in 1..=3 {
            let list = shop.get(&format!("/api/products?per_page=5&page={page}")).await.json();
            slugs.extend(list["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap().to_owned()));
        }
        slugs
    };
    let mut unique = all_pages.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 14, "pages neither overlap nor skip");
}

#[tokio::test]
async fn bad_list_parameters_are_field_errors() {
    let shop = shop().await;
    let reply = shop.get("/api/products?sort=cheapest&page=0&per_page=1000").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_code(), "validation");
    let fields = &reply.json()["error"]["fields"];
    assert_eq!(fields["sort"], "invalid");
    assert_eq!(fields["page"], "invalid");
    assert_eq!(fields["per_page"], "invalid");

    let long_query = "%E8%9C%9C".repeat(51); // 蜜 × 51
    let reply = shop.get(&format!("/api/products?q={long_query}")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["fields"]["q"], "too_long");

    let reply = shop.get("/api/products?page=abc").await;
    assert_eq!(reply.json()["error"]["fields"]["page"], "invalid");
}

#[tokio::test]
async fn product_detail_has_variants_and_label_facts() {
    let shop = shop().await;
    let reply = shop.get("/api/products/jingtai-red-goji").await;
    assert_eq!(reply.status, StatusCode::OK);
    let p = reply.json();
    assert_eq!(p["name"], "景泰红枸杞");
    assert_eq!(p["category"], "goji-dates");
    assert_eq!(p["category_name"], "枸杞红枣");
    assert_eq!(p["origin"]["county"], "景泰县");
    assert_eq!(p["producer"], "景泰县枸杞种植专业合作社");
    assert_eq!(p["producer_slug"], "jingtai-goji-coop");
    assert!(p.get("adoption").is_none());
    assert!(!p["shelf_life"].as_str().unwrap().is_empty());
    let variants = p["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    assert_eq!(variants[0]["sku"], "GOJI-RED-250");
    assert_eq!(variants[0]["price_fen"], 3990);
    assert!(variants[0]["stock"].as_i64().unwrap() > 0);
    assert_eq!(p["images"][0]["width"], 400);
}

#[tokio::test]
async fn unknown_and_draft_products_are_json_404s() {
    let shop = shop().await;
    for uri in ["/api/products/no-such-thing", "/api/products/honey-comb-gift", "/api/no-such-endpoint"] {
        let reply = shop.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.error_code(), "not_found", "{uri}");
        assert!(reply.json()["error"]["message"].is_string());
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let shop = shop().await;
    let request = axum::http::Request::delete("/api/products").body(axum::body::Body::empty()).unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.error_code(), "method_not_allowed");
}

#[tokio::test]
async fn money_is_integer_fen_everywhere() {
    let shop = shop().await;
    let list = shop.get("/api/products?per_page=100").await.body;
    let detail = shop.get("/api/products/jinjing-wildflower-honey").await.body;
    for body in [list, detail] {
        let text = String::from_utf8(body).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_no_floats(&value);
    }
}

fn assert_no_floats(v: &Value) {
    match v {
        Value::Number(n) => assert!(n.is_i64() || n.is_u64(), "float in JSON: {n}"),
        Value::Array(a) => a.iter().for_each(assert_no_floats),
        Value::Object(o) => o.values().for_each(assert_no_floats),
        _ => {}
    }
}

#[tokio::test]
async fn reseeding_restores_the_catalogue() {
    let shop = shop().await;
    sqlx::query("DELETE FROM variants").execute(&shop.db).await.unwrap();
    sqlx::query("DELETE FROM products").execute(&shop.db).await.unwrap();
    assert_eq!(shop.get("/api/products").await.json()["total"], 0);
    order_api::db::seed(&shop.db, &order_api::seed::catalogue()).await.unwrap();
    assert_eq!(shop.get("/api/products").await.json()["total"], 14);
}
