//! 西青区扶贫网店: the storefront, a Leptos app. The browser runs it as
//! wasm (feature `csr`); order-api renders the shop's first screen with the
//! same components (feature `ssr`, module `ssr`), and the wasm then takes
//! the page over.
//!
//! `api` alone knows the order API's URLs; `backend` is where pages get
//! their data on either side; `pages` holds one module per route;
//! `components` the pieces pages share; `i18n` every word of the interface,
//! in Chinese and English.

// The checkout page's view type is deep enough to need more than the default (128)
// when the server builds it.
#![recursion_limit = "256"]

#[cfg(all(feature = "csr", feature = "ssr"))]
compile_error!("features `csr` and `ssr` are two sides of the storefront: build each in its own cargo command");
#[cfg(not(any(feature = "csr", feature = "ssr")))]
compile_error!("choose a side: `--features csr` (the wasm, as Trunk builds it) or `ssr` (order-api's renderer)");

pub mod address_book;
pub mod api;
pub mod app;
pub mod backend;
pub mod cart;
pub mod components;
pub mod entry;
pub mod i18n;
pub mod last_order;
pub mod messages;
pub mod page_data;
#[cfg(feature = "ssr")]
pub mod page_facts;
pub mod pages;
pub mod retry;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod title;
pub mod wechat_pay;

/// Mounts the shop (home, catalogue, products, producers), replacing the
/// loading skeleton `index.html` shows while the wasm downloads.
pub fn start() {
    mount(app::App);
}

/// Mounts the order pages: their own wasm (`src/bin/order_app.rs`,
/// `order-app/index.html`), loaded when the shopper goes to the cart.
pub fn start_orders() {
    mount(app::OrderApp);
}

/// Mounts the admin area: its own wasm (`src/bin/admin.rs`, `admin/index.html`),
/// so shoppers never download its code.
pub fn start_admin() {
    mount(app::AdminApp);
}

/// Renders the app apart, then puts it in place of `#boot` (the server's
/// rendering of the same page, or `index.html`'s skeleton) just before the
/// next frame: by then the routes have rendered too, from the data in the
/// page, so nothing in between is ever painted. Then `xq-app-ready` tells
/// `src/boot.js` to replay taps made before.
fn mount<V: leptos::prelude::IntoView + 'static>(app: fn() -> V) {
    use leptos::prelude::{document, request_animation_frame, set_timeout, window};
    use wasm_bindgen::JsCast;
    // Development builds only: a release wasm aborts on panic with no message to show.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let render = move || {
        let apart: web_sys::HtmlElement =
            document().create_element("div").expect("a div").dyn_into().expect("a div is an HtmlElement");
        leptos::mount::mount_to(apart.clone(), app).forget();
        request_animation_frame(move || {
            if let Some(boot) = document().get_element_by_id("boot") {
                boot.remove();
            }
            let body = document().body().expect("a page has a body");
            while let Some(node) = apart.first_child() {
                let _ = body.append_child(&node);
            }
            if let Ok(ready) = web_sys::Event::new("xq-app-ready") {
                let _ = window().dispatch_event(&ready);
            }
        });
    };
    // Not in the task that compiled and started the wasm: that one is long
    // enough already (the browser compiles each function on its first call,
    // so most of the render's time is compiling).
    set_timeout(render, std::time::Duration::ZERO);
}
