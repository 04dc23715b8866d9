//! Catalogue endpoints: thin handlers that validate, then ask `db`.

use crate::db::{self, ProductQuery};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use shop_core::catalogue::{
    Category, Producer, ProductDetail, ProductList, Sort, DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_SEARCH_CHARS,
};
use shop_core::error::ErrorBody;
use shop_core::field;
use shop_core::validate::{self, FieldError, FieldErrors};

/// Every category with its number of published products.
#[utoipa::path(get, path = "/api/categories", responses((status = 200, body = Vec<Category>)))]
pub async fn categories(State(state): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(db::categories(&state.db).await?))
}

/// The query string as sent: every value is text until validated, so a bad
/// value becomes a field error rather than an extractor's plain-text 400.
#[derive(Deserialize)]
pub struct ListParams {
    category: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

impl ListParams {
    pub fn validate(self) -> ApiResult<ProductQuery> {
        let mut errors = FieldErrors::new();
        let mut reject = |field: &str, e: FieldError| {
            errors.insert(field.to_owned(), e);
        };
        let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let category = nonempty(self.category);
        if let Some(Err(e)) = category.as_deref().map(|c| validate::optional_text(c, MAX_SEARCH_CHARS)) {
            reject(field::CATEGORY, e);
        }
        let text = nonempty(self.q);
        if let Some(Err(e)) = text.as_deref().map(|t| validate::optional_text(t, MAX_SEARCH_CHARS)) {
            reject(field::SEARCH, e);
        }
        // A parameter sent blank (`page=`) is a bad value, not the default:
        // the storefront leaves defaults out, and the contract says so.
        let sort = match self.sort {
            None => Sort::default(),
            Some(s) => Sort::parse(s.trim()).unwrap_or_else(|| {
                reject(field::SORT, FieldError::Invalid);
                Sort::default()
            }),
        };
        let mut number = |field: &str, value: Option<String>, default: u32, max: u32| match value {
            None => default,
            Some(s) => match s.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    reject(field, FieldError::Invalid);
                    default
                }
            },
        };
        let page = number(field::PAGE, self.page, 1, MAX_PAGE);
        let per_page = number(field::PER_PAGE, self.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        ApiError::unless_valid(errors)?;
        Ok(ProductQuery { category, text, sort, page, per_page })
    }
}

/// Published products, filtered, searched, sorted and paged.
#[utoipa::path(
    get,
    path = "/api/products",
    // The parameters' bounds are shop-core's, set by `openapi::SharedLimits`.
    params(
        ("category" = Option<String>, Query, description = "a category slug"),
        ("q" = Option<String>, Query, description = "searches name, subtitle, origin and producer"),
        ("sort" = Option<Sort>, Query),
        ("page" = Option<u32>, Query),
        ("per_page" = Option<u32>, Query),
    ),
    responses(
        (status = 200, body = ProductList),
        (status = 422, description = "`validation`: `fields` names the bad parameters", body = ErrorBody),
    )
)]
pub async fn products(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ApiResult<Json<ProductList>> {
    Ok(Json(product_list(&state.db, params?.0).await?))
}

/// One page of published products: the API's answer, and what the server
/// renders the catalogue from.
pub async fn product_list(db: &db::Db, params: ListParams) -> ApiResult<ProductList> {
    let query = params.validate()?;
    let (items, total) = db::products(db, &query).await?;
    Ok(ProductList { items, total, page: query.page, per_page: query.per_page })
}

/// A published product with everything its page shows.
#[utoipa::path(
    get,
    path = "/api/products/{slug}",
    params(("slug" = String, Path, example = "jinjing-wildflower-honey")),
    responses(
        (status = 200, body = ProductDetail, links(
            ("producer" = (operation_id = "producer", parameters(("slug" = "$response.body#/producer_slug"))))
        )),
        (status = 404, description = "`not_found`: no such product, or a draft", body = ErrorBody),
    )
)]
pub async fn product(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> ApiResult<Json<ProductDetail>> {
    db::published_product(&state.db, &slug).await?.map(Json).ok_or(ApiError::NOT_FOUND)
}

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
    db::producer(&state.db, &slug).await?.map(Json).ok_or(ApiError::NOT_FOUND)
}
