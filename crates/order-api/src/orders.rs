//! Quote, order and order-lookup endpoints.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use shop_core::error::ErrorBody;
use shop_core::order::{self, FieldErrors, Order, OrderRequest, Quote, QuoteRequest};
use shop_core::regions::is_province;
use shop_core::validate::{self, FieldError};

/// Prices a cart at current prices with shipping; writes nothing.
#[utoipa::path(
    post,
    path = "/api/quote",
    request_body(content = QuoteRequest, example = json!({
        "items": [{"sku": "HONEY-WF-500", "quantity": 1}],
        "address": {"province": "新疆维吾尔自治区"}
    })),
    responses(
        (status = 200, description = "every line, with any `problem`, and the totals", body = Quote),
        (status = 422, description = "`validation`", body = ErrorBody),
    )
)]
pub async fn quote(State(state): State<AppState>, ApiJson(request): ApiJson<QuoteRequest>) -> ApiResult<Json<Quote>> {
    let mut errors = FieldErrors::new();
    order::validate_items(&request.items, &mut errors);
    let province = request.address.as_ref().map(|a| a.province.trim());
    if province.is_some_and(|p| !is_province(p)) {
        errors.insert("address.province".into(), FieldError::UnknownProvince);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Json(db::quote(&state.db, &request.items, province).await?))
}

/// Places an order: stock is reserved and the order awaits payment.
#[utoipa::path(
    post,
    path = "/api/orders",
    params(
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 100, pattern = "^[!-~]+$",
            description = "1-100 visible ASCII characters, new for each order; a retry with the same key and body gets the same order"),
    ),
    request_body(content = OrderRequest, example = json!({
        "items": [{"sku": "HONEY-WF-500", "quantity": 2}],
        "contact": {"name": "王小蜜", "phone": "13800138000"},
        "address": {"province": "天津市", "city": "天津市", "district": "西青区", "detail": "杨柳青镇柳口路1号"}
    })),
    responses(
        (status = 201, description = "the order, `pending_payment` (or the one this key already placed)", body = Order,
            links(
                ("lookup" = (operation_id = "lookup", parameters(
                    ("order_no" = "$response.body#/order_no"),
                    ("phone" = "$request.body#/contact/phone")
                ))),
                ("change_status" = (operation_id = "change_status", parameters(("order_no" = "$response.body#/order_no"))))
            )
        ),
        (status = 400, description = "`idempotency_key_required`", body = ErrorBody),
        (status = 409, description = "`out_of_stock` (`sku`, `available`), `price_changed` (`total_fen`) or `hive_taken` (`hive_no`); nothing was ordered", body = ErrorBody),
        (status = 422, description = "`validation`, or `idempotency_mismatch` for a key used with another body", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<OrderRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let key = idempotency_key(&headers)?;
    let errors = order::validate(&request);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let order = db::create_order(&state.db, key, &request).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// 1–100 visible ASCII characters; the storefront sends a random UUID-like string.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<&str> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| (1..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or(ApiError::IdempotencyKeyRequired)
}

#[derive(Deserialize)]
pub struct LookupParams {
    phone: Option<String>,
}

/// An order for whoever knows its number and phone. A wrong phone gets the
/// same 404 as a wrong number, so the answer tells nothing about either.
#[utoipa::path(
    get,
    path = "/api/orders/{order_no}",
    params(
        ("order_no" = String, Path, description = "e.g. `XQ7K3M9P2R4T`"),
        ("phone" = String, Query, description = "the phone the order was placed with"),
    ),
    responses(
        (status = 200, body = Order),
        (status = 404, description = "`not_found`: the same for a wrong number and a wrong phone", body = ErrorBody),
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    params: Result<Query<LookupParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Order>> {
    let phone = params?.0.phone.unwrap_or_default();
    // What is not a phone number matches no order (and text holding NUL
    // would not even reach PostgreSQL).
    if validate::phone(&phone).is_err() {
        return Err(ApiError::NotFound);
    }
    let order_no = order_no.trim().to_ascii_uppercase();
    db::find_order(&state.db, &order_no, phone.trim()).await?.map(Json).ok_or(ApiError::NotFound)
}
