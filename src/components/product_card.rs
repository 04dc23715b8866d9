use crate::entry::link_rel;
use crate::i18n::texts;
use leptos::prelude::*;
use shop_core::catalogue::ProductSummary;
use shop_core::format_fen;

/// How many cards a phone shows before scrolling (two rows of two): their
/// images load at once, as the page's largest paint; the rest lazily.
const ABOVE_THE_FOLD: usize = 4;

#[component]
pub fn ProductCard(product: ProductSummary, #[prop(default = false)] lazy: bool) -> impl IntoView {
    let href = ["/products/", &product.slug].concat();
    let image = product.image;
    let sold_out = texts().sold_out;
    view! {
        <li class="product-card">
            <a rel=link_rel(&href) href=href>
                <img
                    src=image.src
                    alt=image.alt
                    width=image.width.to_string()
                    height=image.height.to_string()
                    loading=lazy.then_some("lazy")
                    decoding="async"
                />
                <h3 class="product-name">{product.name}</h3>
                <p class="product-subtitle">{product.subtitle}</p>
                <p class="product-origin">{product.origin}</p>
                <p class="product-price">
                    <span class="price">{format_fen(product.price_fen)}</span>
                    {(!product.in_stock).then(|| view! { <span class="badge sold-out">{sold_out}</span> })}
                </p>
            </a>
        </li>
    }
}

#[component]
pub fn ProductGrid(products: Vec<ProductSummary>) -> impl IntoView {
    view! {
        <ul class="product-grid">
            {products.into_iter().enumerate().map(|(i, product)| view! { <ProductCard product lazy={i >= ABOVE_THE_FOLD}/> }).collect_view()}
        </ul>
    }
}
