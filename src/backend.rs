//! Where the shop's pages get their data: a [`Backend`] in context. In the
//! browser that is the order API over HTTP ([`Http`]); on the
//! server, which renders the first screen with these same components, it is
//! the API's own queries, in process (order-api implements the trait).
//!
//! Pages load through [`PageResource`], so both sides render the same
//! thing: the server waits for every one before it sends the page, and the
//! browser's first render finds their answers in the page (`page_data`).

use crate::api::{self, CatalogueQuery, FetchError};
use leptos::prelude::*;
use shop_core::catalogue::{Category, Producer, ProductDetail, ProductList};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// An answer on its way. `Send`, because the server renders on a thread pool.
pub type Loading<T> = Pin<Box<dyn Future<Output = Result<T, FetchError>> + Send>>;

/// The reads a server-rendered page makes.
pub trait Backend: Send + Sync {
    fn categories(&self) -> Loading<Vec<Category>>;
    fn products(&self, query: CatalogueQuery) -> Loading<ProductList>;
    fn product(&self, slug: String) -> Loading<ProductDetail>;
    fn producer(&self, slug: String) -> Loading<Producer>;
}

/// The backend in context: the server provides its own; the browser's is HTTP.
fn backend() -> Arc<dyn Backend> {
    use_context::<Arc<dyn Backend>>().unwrap_or_else(|| Arc::new(Http))
}

/// The browser's backend: the order API over HTTP (`api`), which takes the
/// server's answers from the page first.
pub struct Http;

impl Backend for Http {
    fn categories(&self) -> Loading<Vec<Category>> {
        in_browser(api::categories())
    }

    fn products(&self, query: CatalogueQuery) -> Loading<ProductList> {
        in_browser(async move { api::products(&query).await })
    }

    fn product(&self, slug: String) -> Loading<ProductDetail> {
        in_browser(async move { api::product(&slug).await })
    }

    fn producer(&self, slug: String) -> Loading<Producer> {
        in_browser(async move { api::producer(&slug).await })
    }
}

/// The browser has one thread: the wrapper only gives the renderer the
/// `Send` it asks of every page's data (and would panic on another thread).
fn in_browser<T: 'static>(load: impl Future<Output = Result<T, FetchError>> + 'static) -> Loading<T> {
    Box::pin(send_wrapper::SendWrapper::new(load))
}

/// A page's data: loaded when created, again when a signal `load` reads
/// changes, and on [`PageResource::reload`]. Awaited inside `Suspense`.
pub struct PageResource<T: Send + Sync + 'static> {
    data: AsyncDerived<Result<T, FetchError>>,
    reload: Trigger,
}

impl<T: Send + Sync + 'static> Clone for PageResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PageResource<T> {}

impl<T: Clone + Send + Sync + 'static> PageResource<T> {
    pub fn new(load: impl Fn(&dyn Backend) -> Loading<T> + Send + Sync + 'static) -> Self {
        let backend = backend();
        let reload = Trigger::new();
        let data = AsyncDerived::new(move || {
            reload.track();
            load(backend.as_ref())
        });
        PageResource { data, reload }
    }

    /// Asks again (after a failure: the "reload" button).
    pub fn reload(&self) {
        self.reload.notify();
    }

    pub async fn get(self) -> Result<T, FetchError> {
        self.data.await
    }
}
