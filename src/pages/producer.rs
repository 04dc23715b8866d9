use crate::api::FetchError;
use crate::backend::PageResource;
use crate::components::load_error::LoadError;
use crate::components::product_card::ProductGrid;
use crate::i18n::texts;
use crate::pages::not_found::NotFoundPage;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A cooperative or farm: where it is, who it is, what it sells.
#[component]
pub fn ProducerPage() -> impl IntoView {
    let params = use_params_map();
    let t = texts();
    let producer =
        PageResource::new(move |backend| backend.producer(params.with(|p| p.get("slug").unwrap_or_default())));
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match producer.get().await {
                    Ok(p) => {
                        set_page_title(&p.name);
                        view! {
                            <h1>{p.name}</h1>
                            <p class="muted">{t.producer_province} {p.county} {p.township}</p>
                            <p>{p.description}</p>
                            <h2>{t.on_sale}</h2>
                            <ProductGrid products=p.products/>
                        }.into_any()
                    }
                    Err(FetchError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(error) => view! { <LoadError error on_retry=move |_| producer.reload()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
