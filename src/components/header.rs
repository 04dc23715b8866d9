use crate::app::SHOP_NAME;
use crate::cart::use_cart;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let cart = use_cart();
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">"跳到正文"</a>
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"蜜"</span>
                <span class="brand-name">{SHOP_NAME}</span>
            </a>
            <nav class="site-nav" aria-label="主导航">
                <a href="/products">"全部商品"</a>
                <a href="/orders">"查订单"</a>
                <a href="/cart" class="cart-link">
                    "购物车"
                    <span class="cart-count" aria-label=move || ["购物车中有 ", &cart.count().to_string(), " 件商品"].concat()>
                        {move || cart.count()}
                    </span>
                </a>
            </nav>
        </header>
    }
}
