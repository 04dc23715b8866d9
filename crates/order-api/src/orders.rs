//! Quote, order and order-lookup endpoints.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use shop_core::error::{ErrorBody, ErrorCode};
use shop_core::field;
use shop_core::order::{self, Order, OrderRequest, Quote, QuoteRequest, IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY};
use shop_core::regions::RegionTree;
use shop_core::validate::{self, FieldError, FieldErrors};

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
    let province = request.address.as_ref().map(|a| RegionTree::mainland().province(&a.province).ok_or(a));
    let province_code = match province {
        Some(Ok(province)) => Some(province.code),
        Some(Err(_)) => {
            errors.insert(field::ADDRESS_PROVINCE.into(), FieldError::UnknownProvince);
            None
        }
        None => None,
    };
    ApiError::unless_valid(errors)?;
    Ok(Json(db::quote(&state.db, &request.items, province_code).await?))
}

/// Places an order: stock is reserved and the order awaits payment.
#[utoipa::path(
    post,
    path = "/api/orders",
    params(
        // The length is `MAX_IDEMPOTENCY_KEY`, set by `openapi::SharedLimits`.
        ("Idempotency-Key" = String, Header, pattern = "^[!-~]+$",
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
    let placed = place(&state, &headers, request).await;
    match &placed {
        Ok(keyed) if keyed.placed_now => state.metrics.order_placed(),
        Err(ApiError::Refused(code)) => state.metrics.order_refused(code),
        _ => {}
    }
    placed.map(|keyed| (StatusCode::CREATED, Json(keyed.order)))
}

async fn place(state: &AppState, headers: &HeaderMap, mut request: OrderRequest) -> ApiResult<db::KeyedOrder> {
    let key = idempotency_key(headers)?;
    let mut errors = order::validate(&request);
    let province_code = order::resolve_region(RegionTree::mainland(), &mut request.address, &mut errors);
    ApiError::unless_valid(errors)?;
    let province_code = province_code.ok_or_else(|| ApiError::Internal("a valid address without a province".into()))?;
    let pay_by = db::clock::now() + state.config.unpaid_order_minutes * 60;
    state.orders.place(&state.db, key, request, province_code, pay_by).await
}

/// 1–100 visible ASCII characters; the storefront sends 32 random hex digits.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> ApiResult<&str> {
    headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| (1..=MAX_IDEMPOTENCY_KEY).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or(ErrorCode::IdempotencyKeyRequired.into())
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
        return Err(ApiError::NOT_FOUND);
    }
    let order_no = order_no.trim().to_ascii_uppercase();
    db::find_order(&state.db, &order_no, phone.trim()).await?.map(Json).ok_or(ApiError::NOT_FOUND)
}
