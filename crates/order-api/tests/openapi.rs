//! The published contract: the OpenAPI document lists exactly the README's
//! endpoints, the router serves exactly those methods on those paths, and
//! the document is well-formed OpenAPI 3 (references resolve, operation ids
//! are unique, links name real operations). Then a regression test for each bug the contract check
//! (scripts/api-contract.sh) found.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{shop, TestShop, ADMIN_TOKEN};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// `("GET", "/api/products/{slug}")` for each row of the README's API table.
fn readme_endpoints() -> BTreeSet<(String, String)> {
    let readme = include_str!("../../../README.md");
    let api_section = readme.split("\n## API\n").nth(1).expect("README has an API section");
    api_section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|cell| cell.split('`').next()?.split_once(' '))
        .filter(|(method, _)| METHODS.contains(method))
        .map(|(method, target)| (method.to_owned(), target.split('?').next().unwrap().to_owned()))
        .collect()
}

async fn document(shop: &TestShop) -> Value {
    let reply = shop.get("/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/json");
    reply.json()
}

fn documented_endpoints(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect()
}

#[tokio::test]
async fn the_document_lists_exactly_the_readme_endpoints() {
    let shop = shop().await;
    let documented = documented_endpoints(&document(&shop).await);
    let readme = readme_endpoints();
    assert!(readme.len() >= 18, "the README's API table was not read: {readme:?}");
    assert_eq!(documented, readme, "the OpenAPI document and the README's API table disagree");
}

/// The document's words are the ones the API sends: each error code's
/// `code`, each status, sort and kind, as serde writes them.
#[tokio::test]
async fn the_documents_words_are_the_wire_words() {
    use shop_core::catalogue::Sort;
    use shop_core::order::{CancelReason, OrderStatus};
    let doc = document(&shop().await).await;
    let schemas = &doc["components"]["schemas"];
    let words = |values: Vec<&'static str>| values.into_iter().map(Value::from).collect::<Vec<_>>();
    let enum_of = |name: &str| schemas[name]["enum"].as_array().unwrap_or_else(|| panic!("{name} is an enum")).clone();
    assert_eq!(enum_of("OrderStatus"), words(OrderStatus::ALL.iter().map(|s| s.as_str()).collect()));
    assert_eq!(enum_of("CancelReason"), words(CancelReason::ALL.iter().map(|s| s.as_str()).collect()));
    assert_eq!(enum_of("Sort"), words(Sort::ALL.iter().map(|s| s.as_str()).collect()));
    assert!(enum_of("FieldError").contains(&json!("invalid_phone")));
    let codes: Vec<Value> = schemas["ErrorCode"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| variant["properties"]["code"]["enum"][0].clone())
        .collect();
    let sent = serde_json::to_value(shop_core::error::ErrorCode::OutOfStock { sku: "A".into(), available: 1 }).unwrap();
    assert!(codes.contains(&sent["code"]), "{codes:?}");
    assert!(codes.contains(&json!("not_found")) && codes.contains(&json!("rate_limited")), "{codes:?}");
}

/// Every method on every documented path: the documented ones reach a
/// handler, the others get 405. A path the router lacked would get 404.
#[tokio::test]
async fn the_router_serves_exactly_the_documented_methods() {
    let shop = shop().await;
    let documented = documented_endpoints(&document(&shop).await);
    let paths: BTreeSet<&String> = documented.iter().map(|(_, path)| path).collect();
    for path in paths {
        let uri = path
            .replace("{slug}", "jinjing-wildflower-honey")
            .replace("{order_no}", "XQ0000000000")
            .replace("{id}", "1");
        for method in METHODS {
            let request = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).unwrap())
                .uri(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
                .body(Body::empty())
                .unwrap();
            let status = shop.send(request).await.status;
            let is_documented = documented.contains(&(method.to_owned(), path.clone()));
            assert_eq!(status == StatusCode::METHOD_NOT_ALLOWED, !is_documented, "{method} {uri} answered {status}");
        }
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_and_every_reference_resolves() {
    let shop = shop().await;
    let doc = document(&shop).await;
    let parsed: utoipa::openapi::OpenApi = serde_json::from_value(doc.clone()).expect("reads as an OpenAPI document");
    assert!(matches!(parsed.openapi, utoipa::openapi::OpenApiVersion::Version31));

    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50, "{refs:?}");
    for reference in refs {
        let pointer = reference.strip_prefix('#').expect("only local references");
        assert!(doc.pointer(pointer).is_some(), "{reference} points at nothing");
    }
    let operation_ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values().map(|op| op["operationId"].as_str().expect("operationId")))
        .collect();
    let unique: BTreeSet<&str> = operation_ids.iter().copied().collect();
    assert_eq!(unique.len(), operation_ids.len(), "operationIds must be unique: {operation_ids:?}");

    let links = doc["paths"].as_object().unwrap().values().flat_map(|item| item.as_object().unwrap().values());
    let links =
        links.flat_map(|op| op["responses"].as_object().unwrap().values().filter_map(|r| r["links"].as_object()));
    let targets: Vec<&str> =
        links.flat_map(|l| l.values().map(|link| link["operationId"].as_str().expect("operationId"))).collect();
    assert!(targets.len() >= 3, "{targets:?}");
    assert!(targets.iter().all(|t| unique.contains(t)), "links to unknown operations: {targets:?}");

    let security = &doc["components"]["securitySchemes"]["admin_token"];
    assert_eq!((security["type"].as_str(), security["scheme"].as_str()), (Some("http"), Some("bearer")));
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                refs.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

// Regressions found by the contract check.

/// A stock delta of i64::MIN overflowed `abs()`: the debug server panicked
/// and dropped the connection; a release build would have let it through.
#[tokio::test]
async fn an_extreme_stock_delta_is_a_validation_error() {
    let shop = shop().await;
    let patch = json!({"variants": [{"sku": "HONEY-WF-500", "stock_delta": i64::MIN}]});
    let reply =
        shop.admin("PATCH", "/api/admin/products/jinjing-wildflower-honey", Some(patch), Some(ADMIN_TOKEN)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["fields"]["variants[0].stock_delta"], "invalid");
}

/// An id that is not an i64 got axum's plain-text 400.
#[tokio::test]
async fn an_unreadable_path_parameter_is_a_json_404() {
    let shop = shop().await;
    for id in ["abc", "9223372036854775808"] {
        let body = json!({"tracking_no": "SF1", "amount": "7斤"});
        let reply =
            shop.admin("POST", &format!("/api/admin/adoptions/{id}/deliveries"), Some(body), Some(ADMIN_TOKEN)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(reply.error_code(), "not_found");
    }
}

/// serde reads a struct from an array of its fields: `[null, null]` was
/// accepted as an empty product patch.
#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused() {
    let shop = shop().await;
    let reply = shop
        .admin("PATCH", "/api/admin/products/jinjing-wildflower-honey", Some(json!([null, null])), Some(ADMIN_TOKEN))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_code(), "invalid_body");
    let quote = shop.post_json("/api/quote", &json!([[{"sku": "HONEY-WF-500", "quantity": 1}]]), None).await;
    assert_eq!(quote.error_code(), "invalid_body");
}

/// `page=` was read as page 1; the document says a page is a number.
#[tokio::test]
async fn a_blank_number_or_sort_is_a_validation_error() {
    let shop = shop().await;
    for (query, field) in [("page=", "page"), ("per_page=", "per_page"), ("sort=", "sort")] {
        let reply = shop.get(&format!("/api/products?{query}")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.json()["error"]["fields"][field], "invalid");
    }
    let orders = shop.admin("GET", "/api/admin/orders?page=", None, Some(ADMIN_TOKEN)).await;
    assert_eq!(orders.json()["error"]["fields"]["page"], "invalid");
    // The admin app asks for every status with a blank one.
    assert_eq!(shop.admin("GET", "/api/admin/orders?status=&q=", None, Some(ADMIN_TOKEN)).await.status, StatusCode::OK);
}

/// On PostgreSQL, text holding NUL made every query it reached fail: 500s
/// for a search, a category, a slug, a phone, a SKU, a tracking number.
/// Such text is now refused before it reaches the database, on both.
#[tokio::test]
async fn text_holding_nul_is_refused_before_the_database() {
    let shop = shop().await;
    for uri in ["/api/products?q=a%00", "/api/products?category=%00"] {
        assert_eq!(shop.get(uri).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
    }
    let admin_search = shop.admin("GET", "/api/admin/orders?q=%00", None, Some(ADMIN_TOKEN)).await;
    assert_eq!(admin_search.status, StatusCode::UNPROCESSABLE_ENTITY);
    for uri in
        ["/api/products/%00", "/api/producers/a%00", "/api/orders/XQ%00?phone=13800138000", "/api/orders/XQ1?phone=%00"]
    {
        assert_eq!(shop.get(uri).await.error_code(), "not_found", "{uri}");
    }
    let patch = json!({"variants": [{"sku": "\u{0}", "stock_delta": 1}]});
    let reply =
        shop.admin("PATCH", "/api/admin/products/jinjing-wildflower-honey", Some(patch), Some(ADMIN_TOKEN)).await;
    assert_eq!(reply.json()["error"]["fields"]["variants[0].sku"], "invalid");

    let order_no = shop.place_order(&[("HONEY-WF-500", 1)], "nul-key").await;
    let change = json!({"status": "paid", "tracking_no": "SF\u{0}1"});
    let reply =
        shop.admin("POST", &format!("/api/admin/orders/{order_no}/status"), Some(change), Some(ADMIN_TOKEN)).await;
    assert_eq!(reply.json()["error"]["fields"]["tracking_no"], "invalid");
}
