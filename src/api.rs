//! The order API client: the only module that knows URLs and HTTP.

use crate::page_data::{self, Block};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shop_core::admin::{AdminAdoption, AdminOrderList, AdminProduct, AdminProductDetail, ProductPatch, StatusChange};
use shop_core::adoption::{Adoption, FreeHives, Impact, NewDelivery};
use shop_core::catalogue::{Category, Producer, ProductDetail, ProductList, Sort};
use shop_core::error::{ErrorCode, ReceivedBody, ReceivedError, REQUEST_ID_HEADER};
use shop_core::field;
use shop_core::order::{Order, OrderRequest, OrderStatus, Quote, QuoteRequest, IDEMPOTENCY_KEY_HEADER};
use shop_core::payment::{BankTransfer, PaymentMode, PaymentRequest, PaymentStart, RefundRequest};
use shop_core::regions::RegionTree;

/// Where the API lives: `/api` on the storefront's own origin, or on the
/// origin in `<meta name="xq-api-base">`, which the server (or whoever
/// deploys a static copy) fills in, so one build can talk to an API elsewhere.
fn api() -> &'static str {
    static API: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    API.get_or_init(|| {
        let configured = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("meta[name=xq-api-base]").ok().flatten())
            .and_then(|meta| meta.get_attribute("content"))
            .filter(|base| base.starts_with("https://") || base.starts_with("http://"));
        [configured.as_deref().unwrap_or("").trim_end_matches('/'), "/api"].concat()
    })
}

/// Why a request failed, in the terms a page needs to react.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// No answer: offline, a dropped connection, or the server is down.
    Network,
    /// No such thing (or not for shoppers to see).
    NotFound,
    /// The server refused; the refusal says why.
    Refused(Refusal),
    /// An answer we could not read.
    BadResponse { request_id: Option<String> },
}

/// The server's error, with what a page may need beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub error: ReceivedError,
    /// The answer's `X-Request-Id`, for the shopper to quote.
    pub request_id: Option<String>,
    /// The answer's `Retry-After`, on `429`.
    pub retry_after_secs: Option<u64>,
}

impl FetchError {
    /// The refusal's code, when it is one this build knows.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            FetchError::Refused(Refusal { error: ReceivedError::Known(code), .. }) => Some(code),
            _ => None,
        }
    }

    /// For a `429`: the seconds until this address may try again, as its
    /// `Retry-After` header says (or the body, when a proxy dropped the header).
    pub fn rate_limited_for(&self) -> Option<u64> {
        match self {
            FetchError::Refused(Refusal {
                error: ReceivedError::Known(ErrorCode::RateLimited { retry_after_secs }),
                retry_after_secs: header,
                ..
            }) => Some(header.unwrap_or(*retry_after_secs)),
            _ => None,
        }
    }

    /// The id of the request the server answered, if it answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            FetchError::Refused(refusal) => refusal.request_id.as_deref(),
            FetchError::BadResponse { request_id } => request_id.as_deref(),
            FetchError::Network | FetchError::NotFound => None,
        }
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    read(Request::get(url).send().await).await
}

async fn post_json<T: DeserializeOwned>(
    url: &str,
    body: &impl Serialize,
    headers: &[(&str, &str)],
) -> Result<T, FetchError> {
    send_json(Request::post(url), body, headers).await
}

async fn send_json<T: DeserializeOwned>(
    mut request: RequestBuilder,
    body: &impl Serialize,
    headers: &[(&str, &str)],
) -> Result<T, FetchError> {
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let request = request.json(body).map_err(|_| FetchError::BadResponse { request_id: None })?;
    read(request.send().await).await
}

async fn read<T: DeserializeOwned>(sent: Result<gloo_net::http::Response, gloo_net::Error>) -> Result<T, FetchError> {
    let response = sent.map_err(|_| FetchError::Network)?;
    let request_id = response.headers().get(REQUEST_ID_HEADER);
    if response.ok() {
        return response.json().await.map_err(|_| FetchError::BadResponse { request_id });
    }
    if response.status() == 404 {
        return Err(FetchError::NotFound);
    }
    let retry_after_secs = response.headers().get("retry-after").and_then(|secs| secs.trim().parse().ok());
    match response.json::<ReceivedBody>().await {
        Ok(body) => Err(FetchError::Refused(Refusal { error: body.error, request_id, retry_after_secs })),
        Err(_) => Err(FetchError::BadResponse { request_id }),
    }
}

/// The 省/市/区 tree, a hashed file the build names in
/// `<meta name="xq-regions">` (about 21 KB brotli): fetched when the address
/// form opens, never with the first screen.
pub async fn regions() -> Result<RegionTree, FetchError> {
    let named = leptos::prelude::document()
        .query_selector("meta[name=xq-regions]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    get_json(named.as_deref().unwrap_or("/order-app/regions.json")).await
}

/// The API paths (after `/api`) of the reads a server-rendered page makes:
/// also the keys its answers travel under in the page (`page_data`).
pub mod read {
    use super::{encode, CatalogueQuery};

    pub fn categories() -> String {
        "/categories".to_owned()
    }

    pub fn products(query: &CatalogueQuery) -> String {
        ["/products", &query.query_string()].concat()
    }

    pub fn product(slug: &str) -> String {
        ["/products/", &encode(slug)].concat()
    }

    pub fn producer(slug: &str) -> String {
        ["/producers/", &encode(slug)].concat()
    }
}

/// A page's read: the answer the server rendered the page from, the first
/// time; the API's afterwards.
async fn get_read<T: DeserializeOwned>(path: String) -> Result<T, FetchError> {
    match page_data::take(&path) {
        Some(Block::Answer(json)) => {
            serde_json::from_str(&json).map_err(|_| FetchError::BadResponse { request_id: None })
        }
        Some(Block::NotFound) => Err(FetchError::NotFound),
        None => get_json(&[api(), &path].concat()).await,
    }
}

pub async fn categories() -> Result<Vec<Category>, FetchError> {
    get_read(read::categories()).await
}

pub async fn products(query: &CatalogueQuery) -> Result<ProductList, FetchError> {
    get_read(read::products(query)).await
}

pub async fn product(slug: &str) -> Result<ProductDetail, FetchError> {
    get_read(read::product(slug)).await
}

pub async fn producer(slug: &str) -> Result<Producer, FetchError> {
    get_read(read::producer(slug)).await
}

/// The hive numbers still free for an adoption product.
pub async fn free_hives(slug: &str) -> Result<FreeHives, FetchError> {
    get_json(&[api(), "/products/", &encode(slug), "/hives"].concat()).await
}

/// Where the money went: paid orders by county, adopted hives.
pub async fn impact() -> Result<Impact, FetchError> {
    get_json(&[api(), "/impact"].concat()).await
}

/// Current prices, problems and shipping for a cart.
pub async fn quote(request: &QuoteRequest) -> Result<Quote, FetchError> {
    post_json(&[api(), "/quote"].concat(), request, &[]).await
}

/// Places an order. Sending the same `idempotency_key` again (a retry after
/// a network error, a double tap) returns the same order, never a second one.
pub async fn place_order(request: &OrderRequest, idempotency_key: &str) -> Result<Order, FetchError> {
    post_json(&[api(), "/orders"].concat(), request, &[(IDEMPOTENCY_KEY_HEADER, idempotency_key)]).await
}

/// Starts paying an order in `mode`, or continues the attempt still valid.
pub async fn start_payment(order_no: &str, phone: &str, mode: PaymentMode) -> Result<PaymentStart, FetchError> {
    let url = [api(), "/orders/", &encode(order_no), "/payments"].concat();
    post_json(&url, &PaymentRequest { phone: phone.to_owned(), mode }, &[]).await
}

/// The order, after the server asked WeChat Pay about attempts still open.
pub async fn payment_status(order_no: &str, phone: &str) -> Result<Order, FetchError> {
    get_json(&[api(), "/orders/", &encode(order_no), "/payment?phone=", &encode(phone.trim())].concat()).await
}

/// An address the API gave as a path of its own (`/api/wechat/oauth?…`), on the API's origin.
pub fn api_address(path: &str) -> String {
    [api().trim_end_matches("/api"), path].concat()
}

/// An order, for whoever knows its number and the phone it was placed with.
pub async fn find_order(order_no: &str, phone: &str) -> Result<Order, FetchError> {
    get_json(&[api(), "/orders/", &encode(order_no.trim()), "?phone=", &encode(phone.trim())].concat()).await
}

/// The admin API: every call carries the admin's bearer token. A wrong or
/// expired token comes back as `Refused` with code `unauthorized`.
pub mod admin {
    use super::*;

    fn bearer(token: &str) -> String {
        ["Bearer ", token].concat()
    }

    async fn get<T: DeserializeOwned>(token: &str, url: &str) -> Result<T, FetchError> {
        read(Request::get(url).header("Authorization", &bearer(token)).send().await).await
    }

    pub async fn products(token: &str) -> Result<Vec<AdminProduct>, FetchError> {
        get(token, &[api(), "/admin/products"].concat()).await
    }

    pub async fn product(token: &str, slug: &str) -> Result<AdminProductDetail, FetchError> {
        get(token, &[api(), "/admin/products/", &encode(slug)].concat()).await
    }

    pub async fn patch_product(
        token: &str,
        slug: &str,
        patch: &ProductPatch,
    ) -> Result<AdminProductDetail, FetchError> {
        let url = [api(), "/admin/products/", &encode(slug)].concat();
        send_json(Request::patch(&url), patch, &[("Authorization", &bearer(token))]).await
    }

    /// Orders with `status` (every status when `None`) whose number or
    /// phone is `text` (any when empty).
    pub async fn orders(token: &str, status: Option<OrderStatus>, text: &str) -> Result<AdminOrderList, FetchError> {
        let status = status.map_or("", OrderStatus::as_str);
        let url = [api(), "/admin/orders?", field::STATUS, "=", status, "&", field::SEARCH, "=", &encode(text.trim())]
            .concat();
        get(token, &url).await
    }

    pub async fn adoptions(token: &str) -> Result<Vec<AdminAdoption>, FetchError> {
        get(token, &[api(), "/admin/adoptions"].concat()).await
    }

    pub async fn record_delivery(
        token: &str,
        adoption_id: i64,
        delivery: &NewDelivery,
    ) -> Result<Adoption, FetchError> {
        let url = [api(), "/admin/adoptions/", &adoption_id.to_string(), "/deliveries"].concat();
        send_json(Request::post(&url), delivery, &[("Authorization", &bearer(token))]).await
    }

    pub async fn record_bank_transfer(
        token: &str,
        order_no: &str,
        transfer: &BankTransfer,
    ) -> Result<Order, FetchError> {
        let url = [api(), "/admin/orders/", &encode(order_no), "/bank-transfer"].concat();
        send_json(Request::post(&url), transfer, &[("Authorization", &bearer(token))]).await
    }

    /// A refund; `key` makes a retry (a double tap) the same refund.
    pub async fn refund(token: &str, order_no: &str, refund: &RefundRequest, key: &str) -> Result<Order, FetchError> {
        let url = [api(), "/admin/orders/", &encode(order_no), "/refunds"].concat();
        let headers = [("Authorization", bearer(token)), (IDEMPOTENCY_KEY_HEADER, key.to_owned())];
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        send_json(Request::post(&url), refund, &headers).await
    }

    pub async fn change_status(token: &str, order_no: &str, change: &StatusChange) -> Result<Order, FetchError> {
        let url = [api(), "/admin/orders/", &encode(order_no), "/status"].concat();
        send_json(Request::post(&url), change, &[("Authorization", &bearer(token))]).await
    }
}

/// What the shopper is looking at in the catalogue. The catalogue page's URL
/// and the API request use the same parameters, so a shared or reloaded link
/// shows the same products.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogueQuery {
    pub category: Option<String>,
    pub text: String,
    pub sort: Sort,
    pub page: u32,
    /// `None` lets the API choose its default page size.
    pub per_page: Option<u32>,
}

impl CatalogueQuery {
    /// `?category=honey&q=…&sort=price_asc&page=2`, leaving out defaults;
    /// empty when everything is default.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(c) = &self.category {
            pairs.push((field::CATEGORY, encode(c)));
        }
        if !self.text.trim().is_empty() {
            pairs.push((field::SEARCH, encode(self.text.trim())));
        }
        if self.sort != Sort::default() {
            pairs.push((field::SORT, self.sort.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push((field::PAGE, self.page.to_string()));
        }
        if let Some(n) = self.per_page {
            pairs.push((field::PER_PAGE, n.to_string()));
        }
        let mut out = String::new();
        for (i, (key, value)) in pairs.into_iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            out.push_str(&value);
        }
        out
    }
}

/// 128 random bits as hex: from the browser's CSPRNG, or, where an old web
/// view has no `crypto.getRandomValues`, from `Math.random` mixed with the
/// time (unguessable enough for a key whose worst collision is a refusal,
/// and never one constant for everybody).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let from_crypto = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !from_crypto {
        let now = js_sys::Date::now() as u64;
        for (i, byte) in bytes.iter_mut().enumerate() {
            let noise = (js_sys::Math::random() * 256.0) as u64;
            *byte = (noise ^ (now >> ((i % 8) * 8))) as u8;
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect()
}

/// `encodeURIComponent`, in Rust: the server builds the same paths
/// (`read`) as the browser, byte for byte.
fn encode(s: &str) -> String {
    const KEPT: &[u8] = b"-_.!~*'()";
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &byte in s.as_bytes() {
        if byte.is_ascii_alphanumeric() || KEPT.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.extend(['%', char::from(HEX[usize::from(byte >> 4)]), char::from(HEX[usize::from(byte & 15)])]);
        }
    }
    out
}
