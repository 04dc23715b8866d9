//! The home page's impact panel: what paid orders sent to each county.

use crate::db;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use shop_core::adoption::Impact;

/// The home page's impact panel: money paid to each county, adopted and free hives.
#[utoipa::path(get, path = "/api/impact", responses((status = 200, body = Impact)))]
pub async fn impact(State(state): State<AppState>) -> ApiResult<Json<Impact>> {
    Ok(Json(db::impact(&state.db).await?))
}
