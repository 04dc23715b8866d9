//! The shop's pages as HTML: the storefront's own components
//! (`storefront::ssr`) render them here, reading the catalogue in process
//! through the same functions the API's handlers use.

use crate::catalogue::{product_list, ListParams};
use crate::db::{self, Db};
use crate::error::ApiError;
use axum::extract::Query;
use axum::http::Uri;
use shop_core::catalogue::{Category, Producer, ProductDetail, ProductList};
use shop_core::error::ErrorCode;
use std::future::Future;
use std::sync::Arc;
use storefront::api::{CatalogueQuery, FetchError};
use storefront::backend::{Backend, Loading};
use storefront::i18n::Lang;
pub use storefront::ssr::RenderedPage;

/// Lets the renderer run its effects and page reads as tasks on tokio: once,
/// before the first page (a second call, as each test's router makes,
/// finds it set and changes nothing).
pub fn use_tokio() {
    let _ = any_spawner::Executor::init_tokio();
}

/// Renders the shop's page at `uri` in `lang`.
pub async fn shop_page(db: &Db, uri: &Uri, lang: Lang) -> RenderedPage {
    // `/index.html` is the home page by another name.
    let url = match uri.path_and_query().map(|p| p.as_str()) {
        Some("/index.html") | None => "/",
        Some(url) => url,
    };
    storefront::ssr::render_shop(url, lang, Arc::new(InProcess(db.clone()))).await
}

/// The catalogue read straight from the database.
struct InProcess(Db);

impl InProcess {
    fn read<T, F>(&self, read: impl FnOnce(Db) -> F) -> Loading<T>
    where
        F: Future<Output = Result<Option<T>, ApiError>> + Send + 'static,
    {
        let answer = read(self.0.clone());
        Box::pin(async move {
            match answer.await {
                Ok(Some(value)) => Ok(value),
                Ok(None) | Err(ApiError::Refused(ErrorCode::NotFound)) => Err(FetchError::NotFound),
                // The page shows its "could not load" state; the browser, finding
                // no answer in the page, asks the API again.
                Err(_) => Err(FetchError::BadResponse { request_id: None }),
            }
        })
    }
}

impl Backend for InProcess {
    fn categories(&self) -> Loading<Vec<Category>> {
        self.read(|db| async move { db::categories(&db).await.map(Some) })
    }

    fn products(&self, query: CatalogueQuery) -> Loading<ProductList> {
        // The query string the browser would send, read as the API reads it.
        let uri: Option<Uri> = ["/api/products", &query.query_string()].concat().parse().ok();
        let params = uri.and_then(|uri| Query::<ListParams>::try_from_uri(&uri).ok()).map(|q| q.0);
        self.read(|db| async move {
            match params {
                Some(params) => product_list(&db, params).await.map(Some),
                None => Err(ApiError::Refused(ErrorCode::BadQuery)),
            }
        })
    }

    fn product(&self, slug: String) -> Loading<ProductDetail> {
        self.read(|db| async move { db::published_product(&db, &slug).await })
    }

    fn producer(&self, slug: String) -> Loading<Producer> {
        self.read(|db| async move { db::producer(&db, &slug).await })
    }
}
