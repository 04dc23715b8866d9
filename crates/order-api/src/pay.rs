//! Paying an order: starting (or continuing) a payment, checking its
//! result, WeChat Pay's notifications, and WeChat's web authorisation that
//! gives a JSAPI payment its payer's openid.

use crate::client_addr::ClientAddr;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::payments;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shop_core::error::{ErrorBody, ErrorCode};
use shop_core::order::Order;
use shop_core::payment::{PaymentMode, PaymentRequest, PaymentReturn, PaymentStart};
use shop_core::validate;

/// The cookie that finds a shopper's openid (its value is random; the
/// database holds only its SHA-256).
const OPENID_COOKIE: &str = "xq_wechat";
/// How long the browser keeps it: WeChat's openid for the 公众号 never changes.
const OPENID_COOKIE_DAYS: u32 = 30;

/// Starts paying an order, or continues an attempt that is still valid.
#[utoipa::path(
    post,
    path = "/api/orders/{order_no}/payments",
    operation_id = "start_payment",
    params(("order_no" = String, Path)),
    request_body(content = PaymentRequest, example = json!({"phone": "13800138000", "mode": PaymentMode::Native})),
    responses(
        (status = 200, description = "what the page does next: the JSAPI call's argument, the `h5_url` to go to, or the Native QR code", body = PaymentStart),
        (status = 404, description = "`not_found`: the same for a wrong number and a wrong phone", body = ErrorBody),
        (status = 409, description = "`invalid_transition` (not awaiting payment), `payment_expired`, `openid_required` (`authorize_url`: inside WeChat, go there first) or `payment_in_progress`", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: no payment provider, or it did not answer; nothing was charged", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> ApiResult<Json<PaymentStart>> {
    if validate::phone(&request.phone).is_err() {
        return Err(ApiError::NOT_FOUND);
    }
    let openid = match cookie(&headers, OPENID_COOKIE) {
        Some(token) => db::openid_for(&state.db, &token_hash(token)).await?,
        None => None,
    };
    let order_no = order_no.trim().to_ascii_uppercase();
    Ok(Json(payments::start(&state, &order_no, &request, openid, &ip.to_string()).await?))
}

#[derive(Deserialize)]
pub struct PhoneParam {
    phone: Option<String>,
}

/// The order after asking the payment provider about attempts still open:
/// what the page asks when the shopper comes back from paying, and while a
/// QR code is shown.
#[utoipa::path(
    get,
    path = "/api/orders/{order_no}/payment",
    operation_id = "payment_status",
    params(("order_no" = String, Path), ("phone" = String, Query, description = "the phone the order was placed with")),
    responses(
        (status = 200, body = Order),
        (status = 404, description = "`not_found`: the same for a wrong number and a wrong phone", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    ApiPath(order_no): ApiPath<String>,
    params: Result<Query<PhoneParam>, QueryRejection>,
) -> ApiResult<Json<Order>> {
    let phone = params?.0.phone.unwrap_or_default();
    if validate::phone(&phone).is_err() {
        return Err(ApiError::NOT_FOUND);
    }
    let order_no = order_no.trim().to_ascii_uppercase();
    Ok(Json(payments::check(&state, &order_no, phone.trim()).await?))
}

/// WeChat Pay's notifications: a payment or a refund, signed by WeChat and
/// encrypted with the APIv3 key. `204` once recorded; anything else makes
/// WeChat send it again later (a probe or forgery gets `401` and changes nothing).
#[utoipa::path(
    post,
    path = "/api/payments/wechat/notify",
    operation_id = "wechat_notify",
    tag = "payments",
    request_body(content = String, content_type = "application/json", description = "WeChat Pay's signed notification, read raw"),
    responses(
        (status = 204, description = "recorded (or recorded before)"),
        (status = 401, description = "`unauthorized`: not signed by WeChat Pay, stale, a probe, or undecryptable; nothing changed", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: this shop takes no online payments", body = ErrorBody),
    )
)]
pub async fn notify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if state.payments.is_none() {
        return ApiError::from(ErrorCode::PaymentUnavailable).into_response();
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = String::from_utf8_lossy(&body);
    match payments::notify(&state, &header, &body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => {
            tracing::warn!(%why, "notification refused; nothing changed");
            ApiError::from(ErrorCode::Unauthorized).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct OauthStart {
    order_no: Option<String>,
}

/// Sends the browser through WeChat's silent authorisation; it comes back
/// to the callback, and then to the order's page, ready to pay.
#[utoipa::path(
    get,
    path = "/api/wechat/oauth",
    operation_id = "wechat_oauth",
    tag = "payments",
    params(("order_no" = String, Query, description = "the order to come back to")),
    responses(
        (status = 303, description = "to WeChat's `connect/oauth2/authorize`, `scope=snsapi_base`"),
        (status = 404, description = "`not_found`: not an order number", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: no WeChat authorisation set up", body = ErrorBody),
    )
)]
pub async fn oauth_start(
    State(state): State<AppState>,
    params: Result<Query<OauthStart>, QueryRejection>,
) -> ApiResult<Response> {
    let oauth = state.payments.as_ref().and_then(|p| p.oauth.as_ref()).ok_or(ErrorCode::PaymentUnavailable)?;
    let order_no = params?.0.order_no.unwrap_or_default().trim().to_ascii_uppercase();
    if !is_order_no(&order_no) {
        return Err(ApiError::NOT_FOUND);
    }
    Ok(Redirect::to(&oauth.authorize_url(&order_no)).into_response())
}

#[derive(Deserialize)]
pub struct OauthCallback {
    code: Option<String>,
    state: Option<String>,
}

/// WeChat's way back: the code is exchanged for the openid, which the
/// browser's new cookie finds from now on; then the order's page pays.
#[utoipa::path(
    get,
    path = "/api/wechat/oauth/callback",
    operation_id = "wechat_oauth_callback",
    tag = "payments",
    params(("code" = String, Query), ("state" = String, Query, description = "the order number")),
    responses(
        (status = 303, description = "to `/orders/{order_no}?payment=pay` (pay now), with the openid cookie set"),
        (status = 404, description = "`not_found`: no order number in `state`", body = ErrorBody),
        (status = 503, description = "`payment_unavailable`: WeChat did not give an openid for the code", body = ErrorBody),
    )
)]
pub async fn oauth_callback(
    State(state): State<AppState>,
    params: Result<Query<OauthCallback>, QueryRejection>,
) -> ApiResult<Response> {
    let payments = state.payments.as_ref().ok_or(ErrorCode::PaymentUnavailable)?;
    let oauth = payments.oauth.as_ref().ok_or(ErrorCode::PaymentUnavailable)?;
    let params = params?.0;
    let order_no = params.state.unwrap_or_default();
    let code = params.code.unwrap_or_default();
    if !is_order_no(&order_no) {
        return Err(ApiError::NOT_FOUND);
    }
    if code.is_empty() || code.len() > 128 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ErrorCode::PaymentUnavailable.into());
    }
    let openid = oauth.openid(&code).await.map_err(|e| {
        tracing::warn!(error = ?e, "exchanging a WeChat authorisation code");
        ApiError::from(ErrorCode::PaymentUnavailable)
    })?;
    let token = payments::wechat::crypto::nonce();
    db::save_openid(&state.db, &token_hash(&token), &openid).await?;
    let secure = if payments.shop_origin.starts_with("https://") { "; Secure" } else { "" };
    let max_age = u64::from(OPENID_COOKIE_DAYS) * 24 * 60 * 60;
    let cookie = format!("{OPENID_COOKIE}={token}; Path=/api; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    let mut response = Redirect::to(&PaymentReturn::Pay.page(&order_no)).into_response();
    let cookie = HeaderValue::from_str(&cookie).map_err(|e| ApiError::Internal(e.to_string()))?;
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `XQ` and ten characters of the order number alphabet.
fn is_order_no(text: &str) -> bool {
    text.len() == 12 && text.starts_with("XQ") && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
