//! The app shell: header, routes, and the page title WeChat shows in its bar.

use crate::components::header::Header;
use crate::pages::{catalogue::CataloguePage, home::HomePage, not_found::NotFoundPage, product::ProductPage};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub const SHOP_NAME: &str = "西青区扶贫网店";

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Header/>
            <main id="main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/products") view=CataloguePage/>
                    <Route path=path!("/products/:slug") view=ProductPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Sets `document.title` as "page · shop name" (or the shop name alone).
pub fn set_page_title(page: &str) {
    let title = if page.is_empty() { SHOP_NAME.to_owned() } else { [page, " · ", SHOP_NAME].concat() };
    document().set_title(&title);
}
