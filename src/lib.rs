//! 西青区扶贫网店: the storefront, a client-side rendered Leptos app.
//!
//! `api` alone knows the order API's URLs; `pages` holds one module per
//! route; `components` the pieces pages share; `i18n` every word of the
//! interface, in Chinese and English.

pub mod address_book;
pub mod api;
pub mod app;
pub mod cart;
pub mod components;
pub mod entry;
pub mod i18n;
pub mod last_order;
pub mod messages;
pub mod pages;
pub mod retry;
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

fn mount<V: leptos::prelude::IntoView + 'static>(app: fn() -> V) {
    // Development builds only: a release wasm aborts on panic with no message to show.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    if let Some(skeleton) = leptos::prelude::document().get_element_by_id("boot") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(app);
}
