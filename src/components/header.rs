use crate::app::SHOP_NAME;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">"跳到正文"</a>
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"蜜"</span>
                <span>{SHOP_NAME}</span>
            </a>
            <nav class="site-nav" aria-label="主导航">
                <a href="/">"首页"</a>
                <a href="/products">"全部商品"</a>
            </nav>
        </header>
    }
}
