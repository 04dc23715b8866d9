use crate::api::CatalogueQuery;
use crate::backend::PageResource;
use crate::components::impact::ImpactPanel;
use crate::components::load_error::LoadError;
use crate::components::product_card::ProductGrid;
use crate::components::skeleton::GridSkeleton;
use crate::i18n::texts;
use crate::title::set_page_title;
use leptos::prelude::*;

/// How many featured products the home page shows.
const FEATURED: u32 = 6;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = texts();
    set_page_title("");
    let categories = PageResource::new(|backend| backend.categories());
    let featured = PageResource::new(|backend| {
        backend.products(CatalogueQuery { per_page: Some(FEATURED), ..Default::default() })
    });
    view! {
        <section class="banner" aria-labelledby="banner-title">
            <h1 id="banner-title">{t.banner_title}</h1>
            <p>{t.banner_text}</p>
            <a class="button" href="/products">{t.browse_all}</a>
        </section>

        <section aria-labelledby="categories-title">
            <h2 id="categories-title">{t.categories_title}</h2>
            <Suspense fallback=|| view! { <CategorySkeleton/> }>
                {move || Suspend::new(async move {
                    match categories.get().await {
                        Ok(list) => view! {
                            <ul class="category-list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <a class="category-shortcut" href=["/products?category=", &c.slug].concat()>
                                            <strong>{c.name}</strong>
                                            <span>{c.blurb}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <LoadError error on_retry=move |_| categories.reload()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>

        <section aria-labelledby="featured-title">
            <h2 id="featured-title">{t.featured_title}</h2>
            <Suspense fallback=|| view! { <GridSkeleton cards=FEATURED as usize/> }>
                {move || Suspend::new(async move {
                    match featured.get().await {
                        Ok(list) => view! { <ProductGrid products=list.items/> }.into_any(),
                        Err(error) => view! { <LoadError error on_retry=move |_| featured.reload()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>

        // Below the fold: when its figures arrive, nothing on screen moves.
        <ImpactPanel/>
    }
}

/// Category shortcuts' shape while they load, so the page does not jump.
#[component]
fn CategorySkeleton() -> impl IntoView {
    view! {
        <ul class="category-list" aria-busy="true" aria-label=texts().loading_categories>
            {(0..5).map(|_| view! { <li class="category-shortcut skeleton"></li> }).collect_view()}
        </ul>
    }
}
