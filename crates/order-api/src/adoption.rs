//! Hive adoption (蜜蜂认养): the free hives of an adoption product, and the
//! admin's list of adopted hives with the harvests sent to them.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use shop_core::admin::AdminAdoption;
use shop_core::adoption::{validate_delivery, Adoption, FreeHives, NewDelivery};
use shop_core::error::ErrorBody;

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
    let sku = product.and_then(|p| p.variants.into_iter().next()).ok_or(ApiError::NOT_FOUND)?.sku;
    Ok(Json(FreeHives { free: db::free_hives(&state.db, &sku).await? }))
}

/// Every live adoption with its order's number and status.
#[utoipa::path(
    get,
    path = "/api/admin/adoptions",
    security(("admin_token" = [])),
    responses((status = 200, body = Vec<AdminAdoption>))
)]
pub async fn admin_list(State(state): State<AppState>) -> ApiResult<Json<Vec<AdminAdoption>>> {
    Ok(Json(db::admin_adoptions(&state.db).await?))
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
    ApiError::unless_valid(validate_delivery(&delivery))?;
    Ok(Json(db::record_delivery(&state.db, id, delivery.tracking_no.trim(), delivery.amount.trim()).await?))
}
