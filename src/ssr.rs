//! The shop's first screen, rendered on the server by the app's own
//! components: order-api calls [`render_shop`] for the shop's routes and
//! puts the result in place of `index.html`'s skeleton. The server waits
//! for every page read (`backend::PageResource`), so the HTML holds the
//! page's content; each read's answer goes in the page too (`page_data`),
//! so the wasm renders the same page without asking again and swaps it in.
//!
//! What reads only the browser has (the cart, the impact figures, free
//! hives) renders as its placeholder here and fills in after the wasm.

use crate::api::{read, CatalogueQuery, FetchError};
use crate::app::App;
use crate::backend::{Backend, Loading};
use crate::i18n::Lang;
use crate::page_data;
use crate::page_facts::PageFacts;
use futures::StreamExt;
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use leptos_router::location::RequestUrl;
use serde::Serialize;
use shop_core::catalogue::{Category, Producer, ProductDetail, ProductList};
use std::sync::Arc;

/// A page as the server sends it.
pub struct RenderedPage {
    /// The app's markup: its header and main.
    pub markup: String,
    /// The page's data blocks (`page_data`), which go after the markup.
    pub data: String,
    /// The page's `<title>`, as the app sets it.
    pub title: Option<String>,
    /// The page is the 404 page (an unknown path, product or producer).
    pub not_found: bool,
}

/// Renders the shop's page at `url` (path and query) in `lang`, reading
/// through `backend`.
pub async fn render_shop(url: &str, lang: Lang, backend: Arc<dyn Backend>) -> RenderedPage {
    let facts = PageFacts::default();
    let recording: Arc<dyn Backend> = Arc::new(Recording { inner: backend, facts: facts.clone() });
    // Not hydrating: the wasm renders the page afresh and swaps it in, so
    // the HTML needs no hydration markers or serialized resources.
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
    let html = owner.with(|| {
        provide_context(RequestUrl::new(url));
        provide_context(lang);
        provide_context(facts.clone());
        provide_context(recording);
        view! { <App/> }.to_html_stream_in_order()
    });
    let markup: String = html.collect::<Vec<String>>().await.concat();
    drop(owner);
    let facts = facts.take();
    RenderedPage { markup, data: facts.data_blocks.concat(), title: facts.title, not_found: facts.not_found }
}

/// The server's backend, keeping each answer for the page's data blocks.
struct Recording {
    inner: Arc<dyn Backend>,
    facts: PageFacts,
}

impl Recording {
    fn keep<T: Serialize + Send + 'static>(&self, path: String, loading: Loading<T>) -> Loading<T> {
        let facts = self.facts.clone();
        Box::pin(async move {
            let answer = loading.await;
            // A failure is not kept: the browser asks the API itself.
            let json = match &answer {
                Ok(value) => match serde_json::to_string(value) {
                    Ok(json) => Some(json),
                    Err(_) => return answer,
                },
                Err(FetchError::NotFound) => None,
                Err(_) => return answer,
            };
            facts.change(|facts| facts.data_blocks.push(page_data::block(&path, json.as_deref())));
            answer
        })
    }
}

impl Backend for Recording {
    fn categories(&self) -> Loading<Vec<Category>> {
        self.keep(read::categories(), self.inner.categories())
    }

    fn products(&self, query: CatalogueQuery) -> Loading<ProductList> {
        self.keep(read::products(&query), self.inner.products(query))
    }

    fn product(&self, slug: String) -> Loading<ProductDetail> {
        self.keep(read::product(&slug), self.inner.product(slug))
    }

    fn producer(&self, slug: String) -> Loading<Producer> {
        self.keep(read::producer(&slug), self.inner.producer(slug))
    }
}
