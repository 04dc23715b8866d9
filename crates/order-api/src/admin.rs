//! Admin endpoints (all behind `auth::require_admin`).

use crate::client_addr::ClientAddr;
use crate::db::{self, OrderFilter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::orders::idempotency_key;
use crate::payments;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use serde::Deserialize;
use shop_core::admin::{
    validate_patch, validate_status_change, AdminOrderList, AdminProduct, AdminProductDetail, ProductPatch,
    StatusChange, MAX_ADMIN_PAGE, MAX_ORDER_SEARCH,
};
use shop_core::error::ErrorBody;
use shop_core::field;
use shop_core::order::{CancelReason, Order, OrderStatus};
use shop_core::payment::{validate_bank_transfer, validate_refund, BankTransfer, RefundReason, RefundRequest};
use shop_core::validate::{self, FieldError, FieldErrors};

/// Every product, drafts included, with stock.
#[utoipa::path(
    get,
    path = "/api/admin/products",
    operation_id = "admin_products",
    security(("admin_token" = [])),
    responses((status = 200, body = Vec<AdminProduct>))
)]
pub async fn products(State(state): State<AppState>) -> ApiResult<Json<Vec<AdminProduct>>> {
    Ok(Json(db::admin_products(&state.db).await?))
}

/// Any product as shoppers would see it, whether it is published, and its last 50 changes.
#[utoipa::path(
    get,
    path = "/api/admin/products/{slug}",
    operation_id = "admin_product",
    params(("slug" = String, Path, example = "jinjing-wildflower-honey")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AdminProductDetail),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
pub async fn product(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<AdminProductDetail>> {
    db::admin_product(&state.db, &slug).await?.map(Json).ok_or(ApiError::NOT_FOUND)
}

/// Publishes, renames, reprices or restocks a product; only the fields sent change.
#[utoipa::path(
    patch,
    path = "/api/admin/products/{slug}",
    params(("slug" = String, Path, example = "jinjing-wildflower-honey")),
    request_body = ProductPatch,
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "the product after the change", body = AdminProductDetail),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`out_of_stock`: a stock delta would take stock below zero; nothing changed", body = ErrorBody),
        (status = 422, description = "`validation` (an unknown `sku` is `unknown_sku`)", body = ErrorBody),
    )
)]
pub async fn patch_product(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    ApiJson(patch): ApiJson<ProductPatch>,
) -> ApiResult<Json<AdminProductDetail>> {
    ApiError::unless_valid(validate_patch(&patch))?;
    db::patch_product(&state.db, &slug, &patch, &ip.to_string()).await?;
    db::admin_product(&state.db, &slug).await?.map(Json).ok_or(ApiError::NOT_FOUND)
}

#[derive(Deserialize)]
pub struct OrderParams {
    status: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

const ORDERS_PER_PAGE: u32 = 20;

/// Orders, newest first, with today's totals (China time).
#[utoipa::path(
    get,
    path = "/api/admin/orders",
    operation_id = "admin_orders",
    // The status pattern and the bounds are shop-core's, set by `openapi::SharedLimits`.
    params(
        ("status" = Option<String>, Query, description = "an order status, or blank for every status"),
        ("q" = Option<String>, Query, description = "an order number or a phone"),
        ("page" = Option<u32>, Query),
    ),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AdminOrderList),
        (status = 422, description = "`validation`", body = ErrorBody),
    )
)]
pub async fn orders(
    State(state): State<AppState>,
    params: Result<Query<OrderParams>, QueryRejection>,
) -> ApiResult<Json<AdminOrderList>> {
    let params = params?.0;
    let mut errors = FieldErrors::new();
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    // A blank `status` means every status: the admin app sends `status=`.
    let status = nonempty(params.status).and_then(|s| {
        let parsed = OrderStatus::parse(&s);
        if parsed.is_none() {
            errors.insert(field::STATUS.into(), FieldError::Invalid);
        }
        parsed
    });
    let text = nonempty(params.q);
    if let Some(Err(e)) = text.as_deref().map(|t| validate::optional_text(t, MAX_ORDER_SEARCH)) {
        errors.insert(field::SEARCH.into(), e);
    }
    // A blank `page` is a bad value, as in the catalogue.
    let page = match params.page.map(|p| p.trim().parse::<u32>()) {
        None => 1,
        Some(Ok(p)) if (1..=MAX_ADMIN_PAGE).contains(&p) => p,
        Some(_) => {
            errors.insert(field::PAGE.into(), FieldError::Invalid);
            1
        }
    };
    ApiError::unless_valid(errors)?;
    let filter = OrderFilter { status, text, page, per_page: ORDERS_PER_PAGE };
    Ok(Json(db::admin_orders(&state.db, &filter).await?))
}

/// Moves an order along its life: shipped (with a tracking number),
/// completed or cancelled. Cancelling an unpaid order closes its online
/// payment attempts first; cancelling a paid one refunds it. An order is
/// paid by a payment (online, or a bank transfer staff record), not by
/// this endpoint.
#[utoipa::path(
    post,
    path = "/api/admin/orders/{order_no}/status",
    params(("order_no" = String, Path)),
    request_body = StatusChange,
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "the order after the change", body = Order),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not allowed from the current `status`; `payment_in_progress`: an online payment is still open", body = ErrorBody),
        (status = 422, description = "`validation`: shipping needs a `tracking_no`; `paid` is set by a payment (`/bank-transfer`)", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: the payment provider must close an attempt first and did not answer; nothing changed", body = ErrorBody),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<Json<Order>> {
    ApiError::unless_valid(validate_status_change(&change))?;
    let order_no = order_no.trim().to_ascii_uppercase();
    let order = match change.status {
        OrderStatus::PendingPayment | OrderStatus::Paid => {
            return Err(ApiError::field(field::STATUS, FieldError::Invalid))
        }
        OrderStatus::Cancelled => payments::cancel(&state, &order_no, CancelReason::ByShop).await?,
        next => db::change_status(&state.db, &order_no, next, change.tracking_no()).await?,
    };
    Ok(Json(order))
}

/// Refunds part or all of a paid order, by lines or by amount, at most what
/// was paid less what was refunded; lines of an order not yet shipped go
/// back into stock. Sent to the payment provider at once (retried if it
/// cannot be reached); a bank transfer's refund is paid back by staff.
#[utoipa::path(
    post,
    path = "/api/admin/orders/{order_no}/refunds",
    operation_id = "refund",
    params(
        ("order_no" = String, Path),
        ("Idempotency-Key" = String, Header, pattern = "^[!-~]+$",
            description = "new for each refund; a retry with the same key and body gets the same refund"),
    ),
    request_body(content = RefundRequest, example = json!({"reason": RefundReason::DamagedOnArrival, "lines": [{"line": 0, "quantity": 1}]})),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "the order with its refunds", body = Order),
        (status = 400, description = "`idempotency_key_required`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the order is not paid; `refund_too_large` (`refundable_fen`)", body = ErrorBody),
        (status = 422, description = "`validation`, or `idempotency_mismatch`", body = ErrorBody),
    )
)]
pub async fn refund(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RefundRequest>,
) -> ApiResult<Json<Order>> {
    let key = idempotency_key(&headers)?;
    ApiError::unless_valid(validate_refund(&request))?;
    let order_no = order_no.trim().to_ascii_uppercase();
    Ok(Json(payments::refund(&state, &order_no, key, &request, &ip.to_string()).await?))
}

/// Records a 对公转账 that arrived for an unpaid order, with the bank's
/// reference, the payer and the time; the order is paid by it.
#[utoipa::path(
    post,
    path = "/api/admin/orders/{order_no}/bank-transfer",
    operation_id = "record_bank_transfer",
    params(("order_no" = String, Path)),
    request_body(content = BankTransfer, example = json!({"reference": "ICBC2026120100012", "payer": "西青区总工会", "received_at": "2026-12-01 09:30"})),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "the order, paid", body = Order),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not awaiting payment; `payment_in_progress`: an online payment is still open", body = ErrorBody),
        (status = 422, description = "`validation`", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: an online attempt must be closed first and the provider did not answer", body = ErrorBody),
    )
)]
pub async fn bank_transfer(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    ApiJson(transfer): ApiJson<BankTransfer>,
) -> ApiResult<Json<Order>> {
    ApiError::unless_valid(validate_bank_transfer(&transfer))?;
    let order_no = order_no.trim().to_ascii_uppercase();
    Ok(Json(payments::record_bank_transfer(&state, &order_no, &transfer, &ip.to_string()).await?))
}
