//! Producer pages, free hives, the impact panel, and the admin's adoption
//! list and harvest deliveries.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use shop_core::adoption::{Adoption, AdminAdoption, FreeHives, Impact, NewDelivery};
use shop_core::catalogue::Producer;
use shop_core::error::ErrorBody;
use shop_core::order::FieldErrors;
use shop_core::validate;

/// A cooperative or farm with its published products.
#[utoipa::path(
    get,
    path = "/api/producers/{slug}",
    params(("slug" = String, Path, example = "wufo-bee-coop")),
    responses(
        (status = 200, body = Producer),
        (status = 404, description = "`not_found`: no such producer", body = ErrorBody),
    )
)]
pub async fn producer(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> ApiResult<Json<Producer>> {
    db::producer(&state.db, &slug).await?.map(Json).ok_or(ApiError::NotFound)
}

/// The hive numbers still free for a published adoption product.
#[utoipa::path(
    get,
    path = "/api/products/{slug}/hives",
    params(("slug" = String, Path, example = "adopt-a-beehive")),
    responses(
        (status = 200, body = FreeHives),
        (status = 404, description = "`not_found`: no such product, or not an adoption product", body = ErrorBody),
    )
)]
pub async fn free_hives(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> ApiResult<Json<FreeHives>> {
    let product = db::published_product(&state.db, &slug).await?.filter(|p| p.adoption.is_some());
    let sku = product.and_then(|p| p.variants.into_iter().next()).ok_or(ApiError::NotFound)?.sku;
    Ok(Json(FreeHives { free: db::free_hives(&state.db, &sku).await? }))
}

/// The home page's impact panel: money paid to each county, adopted and free hives.
#[utoipa::path(get, path = "/api/impact", responses((status = 200, body = Impact)))]
pub async fn impact(State(state): State<AppState>) -> ApiResult<Json<Impact>> {
    Ok(Json(db::impact(&state.db).await?))
}

/// Every live adoption with its order's number and status.
#[utoipa::path(
    get,
    path = "/api/admin/adoptions",
    security(("admin_token" = [])),
    responses((status = 200, body = Vec<AdminAdoption>))
)]
pub async fn admin_list(State(state): State<AppState>) -> ApiResult<Json<Vec<AdminAdoption>>> {
    let list = db::admin_adoptions(&state.db).await?;
    Ok(Json(list.into_iter().map(|(adoption, order_no, status)| AdminAdoption { adoption, order_no, status }).collect()))
}

/// Records a harvest sent to the adopter (paid orders only).
#[utoipa::path(
    post,
    path = "/api/admin/adoptions/{id}/deliveries",
    params(("id" = i64, Path, description = "the adoption's `id`")),
    request_body = NewDelivery,
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "the adoption with its deliveries", body = Adoption),
        (status = 404, description = "`not_found`: no such adoption", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the order is not paid (`status` says what it is)", body = ErrorBody),
        (status = 422, description = "`validation`", body = ErrorBody),
    )
)]
pub async fn record_delivery(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(delivery): ApiJson<NewDelivery>,
) -> ApiResult<Json<Adoption>> {
    let mut errors = FieldErrors::new();
    for (field, value, max) in [("tracking_no", &delivery.tracking_no, 40), ("amount", &delivery.amount, 40)] {
        if let Err(e) = validate::required_text(value, max) {
            errors.insert(field.into(), e);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Json(db::record_delivery(&state.db, id, delivery.tracking_no.trim(), delivery.amount.trim()).await?))
}
