use crate::api::FetchError;
use crate::backend::PageResource;
use crate::components::load_error::LoadError;
use crate::components::product_detail::ProductDetailView;
use crate::i18n::texts;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = PageResource::new(move |backend| backend.product(params.with(|p| p.get("slug").unwrap_or_default())));
    view! {
        <Suspense fallback=|| view! { <div class="product-skeleton" aria-busy="true" aria-label=texts().loading></div> }>
            {move || Suspend::new(async move {
                match product.get().await {
                    Ok(product) => view! { <ProductDetailView product/> }.into_any(),
                    Err(FetchError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(error) => view! { <LoadError error on_retry=move |_| product.reload()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
