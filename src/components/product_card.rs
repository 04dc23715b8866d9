use crate::entry::link_rel;
use crate::i18n::texts;
use leptos::prelude::*;
use shop_core::catalogue::ProductSummary;
use shop_core::format_fen;

#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
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
                    loading="lazy"
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
            {products.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
        </ul>
    }
}
