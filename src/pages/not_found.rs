use crate::app::set_page_title;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_title("页面不存在");
    view! {
        <section class="not-found">
            <h1>"页面不存在"</h1>
            <p>"您要找的页面不存在或已下架。"</p>
            <a class="button" href="/products">"去看看全部商品"</a>
        </section>
    }
}
