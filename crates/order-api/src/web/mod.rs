//! Serves the built storefront beside the API, so one process on one port is
//! the whole shop: files from `dist/` (then from the hashed files earlier
//! builds left in `ASSETS_DIR`), and for every client-side route the
//! `index.html` of the app it belongs to (`shop_core::entry`: the shop, the
//! order pages, the admin area), filled in per request: the API base, for
//! product and category pages the share card, and for the shop's pages the
//! page itself, rendered by the storefront's components (`render`).

mod crawlers;
mod files;
mod page;
mod render;
mod share_card;

use crate::security::InlineCode;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Extension;
use axum::Router;
use page::{Head, PageFile};
use shop_core::entry::Entry;
use std::sync::Arc;
use storefront::i18n::Lang;

/// What the page handler needs: the app's state and the apps' page files.
struct Pages {
    state: AppState,
    shop: PageFile,
    orders: PageFile,
    admin: PageFile,
}

impl Pages {
    fn of(&self, entry: Entry) -> &PageFile {
        match entry {
            Entry::Shop => &self.shop,
            Entry::Orders => &self.orders,
            Entry::Admin => &self.admin,
        }
    }
}

pub fn storefront(state: AppState) -> Router {
    render::use_tokio();
    let dist = &state.config.static_dir;
    let pages = Arc::new(Pages {
        shop: PageFile::new(&dist.join("index.html")),
        orders: PageFile::new(&dist.join(Entry::Orders.dir()).join("index.html")),
        admin: PageFile::new(&dist.join(Entry::Admin.dir()).join("index.html")),
        state: state.clone(),
    });
    let app_html = any(app_html).with_state(pages);
    // Pages still open from an earlier build ask for its hashed files, which
    // the new dist/ no longer has: scripts/build-storefront.sh keeps them.
    let earlier_builds = files::files_in(&state.config.assets_dir).fallback(app_html.clone());
    let files = files::files_in(dist).fallback(earlier_builds);
    Router::new()
        // Not the raw files: every index.html gets its head filled in.
        .route("/index.html", app_html.clone())
        .route(&format!("/{}/index.html", Entry::Orders.dir()), app_html.clone())
        .route(&format!("/{}/index.html", Entry::Admin.dir()), app_html)
        .route("/robots.txt", get(crawlers::robots).with_state(state.clone()))
        .route("/sitemap.xml", get(crawlers::sitemap).with_state(state.clone()))
        .fallback_service(files)
        .layer(middleware::from_fn(files::cache_control))
}

/// Client-side routes (`/products/jingtai-red-goji`) get their app's HTML:
/// the order pages' for `/cart`, `/checkout` and `/orders…`, the admin
/// area's under `/admin`, the shop's elsewhere. A missing *file*
/// (`/old-bundle.wasm`) is a plain 404: answering it with HTML would make
/// the browser fail on a MIME mismatch instead.
async fn app_html(State(pages): State<Arc<Pages>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    let last_segment = path.rsplit('/').next().unwrap_or("");
    if last_segment.contains('.') && last_segment != "index.html" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let entry = Entry::of(path);
    let template = match pages.of(entry).template().await {
        Ok(template) => template,
        Err(why) => {
            tracing::warn!(%why, "no storefront page to serve");
            return (StatusCode::NOT_FOUND, "storefront not built: run scripts/run.sh").into_response();
        }
    };
    let api_base = pages.state.config.public_api_base.as_deref().unwrap_or("");
    let inline: InlineCode = template.inline.clone();
    let html = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Extension(inline));
    if entry != Entry::Shop {
        // The order pages and the admin read what only the browser has (the
        // cart, a token): their skeleton stands until the wasm arrives.
        return (html, template.render(Head::default(), api_base, None)).into_response();
    }
    let card = share_card::for_page(&pages.state, &uri).await.unwrap_or_else(|e| {
        tracing::warn!(error = ?e, path, "no share card: catalogue lookup failed");
        None
    });
    let cookies = headers.get(header::COOKIE).and_then(|c| c.to_str().ok()).unwrap_or("");
    let lang = Lang::requested(uri.query().unwrap_or(""), cookies).unwrap_or_default();
    let page = render::shop_page(&pages.state.db, &uri, lang).await;
    let head = Head { card: card.as_ref(), title: page.title.as_deref(), lang: Some(lang.tag()) };
    let status = if page.not_found { StatusCode::NOT_FOUND } else { StatusCode::OK };
    (status, html, template.render(head, api_base, Some(&page))).into_response()
}
