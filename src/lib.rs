//! 西青区扶贫网店: the storefront, a client-side rendered Leptos app.
//!
//! `api` alone knows the order API's URLs; `pages` holds one module per
//! route; `components` the pieces pages share.

pub mod api;
pub mod app;
pub mod cart;
pub mod components;
pub mod messages;
pub mod pages;

/// Mounts the app, replacing the loading skeleton `index.html` shows while
/// the wasm downloads.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(skeleton) = leptos::prelude::document().get_element_by_id("boot") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
