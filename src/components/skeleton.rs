use crate::i18n::texts;
use leptos::prelude::*;

/// Grey placeholders the size of product cards, shown while the grid loads,
/// so the layout does not jump when it arrives.
#[component]
pub fn GridSkeleton(#[prop(default = 4)] cards: usize) -> impl IntoView {
    view! {
        <ul class="product-grid" aria-busy="true" aria-label=texts().loading>
            {(0..cards).map(|_| view! { <li class="product-card skeleton"><div class="skeleton-image"></div><div class="skeleton-line"></div><div class="skeleton-line short"></div></li> }).collect_view()}
        </ul>
    }
}
