use crate::entry::link_rel;
use crate::i18n::texts;
use crate::title::set_page_title;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = texts();
    set_page_title(t.page_not_found);
    #[cfg(feature = "ssr")]
    crate::page_facts::PageFacts::record(|facts| facts.not_found = true);
    view! {
        <section class="not-found">
            <h1>{t.page_not_found}</h1>
            <p>{t.page_not_found_text}</p>
            <a class="button" href="/products" rel=link_rel("/products")>{t.see_all_products}</a>
        </section>
    }
}
