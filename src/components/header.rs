use crate::cart::use_cart;
use crate::entry::link_rel;
use crate::i18n::{texts, Language};
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let cart = use_cart();
    // The header stays while the page re-renders for a new language, so it
    // reads its texts reactively.
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{move || texts().skip_to_content}</a>
            <a class="brand" href="/" rel=link_rel("/")>
                <span class="brand-mark" aria-hidden="true">"蜜"</span>
                <span class="brand-name">{move || texts().shop_name}</span>
            </a>
            <LanguageSwitch/>
            <nav class="site-nav" aria-label=move || texts().main_nav>
                <a href="/products" rel=link_rel("/products")>{move || texts().all_products}</a>
                <a href="/orders" rel=link_rel("/orders")>{move || texts().find_order}</a>
                <a href="/cart" rel=link_rel("/cart") class="cart-link">
                    {move || texts().cart}
                    <span class="cart-count" aria-label=move || (texts().cart_count)(cart.count())>
                        {move || cart.count()}
                    </span>
                </a>
            </nav>
        </header>
    }
}

/// A button to the other language, named in that language ("English" /
/// "中文"). Only the shop provides a `Language`: the admin area has no switch.
#[component]
fn LanguageSwitch() -> impl IntoView {
    use_context::<Language>().map(|language| {
        let other = move || language.get().other();
        view! {
            <button type="button" class="lang-switch" lang=move || other().tag() on:click=move |_| language.set(other())>
                {move || other().texts().language_name}
            </button>
        }
    })
}
