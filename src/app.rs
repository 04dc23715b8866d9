//! The app shell: shared state, header and routes.

use crate::cart::Cart;
use crate::components::header::Header;
use crate::entry;
use crate::i18n::{track_language, Language};
use crate::last_order::LastOrder;
use crate::pages::admin::{
    adoptions::AdminAdoptionsPage, orders::AdminOrdersPage, preview::AdminPreviewPage, products::AdminProductsPage,
};
use crate::pages::{
    cart::CartPage, catalogue::CataloguePage, certificate::CertificatePage, checkout::CheckoutPage, home::HomePage,
    not_found::NotFoundPage, order::OrderPage, producer::ProducerPage, product::ProductPage,
};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use shop_core::entry::Entry;

/// The shop: the pages a shared link opens, the first screen.
#[component]
pub fn App() -> impl IntoView {
    entry::provide(Entry::Shop);
    Cart::provide();
    Language::provide();
    view! {
        <Shell>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/products") view=CataloguePage/>
                <Route path=path!("/products/:slug") view=ProductPage/>
                <Route path=path!("/producers/:slug") view=ProducerPage/>
            </Routes>
        </Shell>
    }
}

/// The order pages: cart, checkout, orders and certificates, their own wasm
/// so the first screen does not wait for them.
#[component]
pub fn OrderApp() -> impl IntoView {
    entry::provide(Entry::Orders);
    Cart::provide();
    Language::provide();
    LastOrder::provide();
    view! {
        <Shell>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/cart") view=CartPage/>
                <Route path=path!("/checkout") view=CheckoutPage/>
                <Route path=path!("/orders") view=OrderPage/>
                <Route path=path!("/orders/:order_no") view=OrderPage/>
                <Route path=path!("/orders/:order_no/certificate") view=CertificatePage/>
            </Routes>
        </Shell>
    }
}

/// The admin area. Its preview renders products with the shop's own
/// components, which expect the shop's context (the cart).
#[component]
pub fn AdminApp() -> impl IntoView {
    entry::provide(Entry::Admin);
    Cart::provide();
    view! {
        <Shell>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/admin") view=AdminProductsPage/>
                <Route path=path!("/admin/products/:slug") view=AdminPreviewPage/>
                <Route path=path!("/admin/orders") view=AdminOrdersPage/>
                <Route path=path!("/admin/adoptions") view=AdminAdoptionsPage/>
            </Routes>
        </Shell>
    }
}

/// What both apps share: the router, the header, and the main landmark.
#[component]
fn Shell(children: ChildrenFn) -> impl IntoView {
    // A new language renders the page again in it, as a reload would (text
    // typed into a form is lost; the cart and the last order are context and
    // stay). The header follows the language by itself, so the switch keeps
    // its focus.
    view! {
        <Router>
            <Header/>
            <main id="main">{move || { track_language(); children() }}</main>
        </Router>
    }
}
