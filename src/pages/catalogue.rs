use crate::api::CatalogueQuery;
use crate::backend::PageResource;
use crate::components::load_error::LoadError;
use crate::components::product_card::ProductGrid;
use crate::components::skeleton::GridSkeleton;
use crate::i18n::texts;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use shop_core::catalogue::Sort;

/// The product grid with category filter, search and sorting, all kept in
/// the URL so a reload or a shared link shows the same thing.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let t = texts();
    set_page_title(t.all_products);
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| CatalogueQuery {
            category: p.get("category").filter(|c| !c.is_empty()),
            text: p.get("q").unwrap_or_default(),
            sort: p.get_str("sort").and_then(Sort::parse).unwrap_or_default(),
            page: p.get_str("page").and_then(|n| n.parse().ok()).filter(|&n| n >= 1).unwrap_or(1),
            per_page: None,
        })
    });
    let products = PageResource::new(move |backend| backend.products(query.get()));
    let categories = PageResource::new(|backend| backend.categories());

    let navigate = use_navigate();
    // Typing replaces the history entry (Back leaves the catalogue rather
    // than undoing keystrokes); choosing a filter or page adds one.
    let go = move |next: CatalogueQuery, replace: bool| {
        let url = ["/products", &next.query_string()].concat();
        navigate(&url, NavigateOptions { replace, ..Default::default() });
    };
    let go_search = go.clone();
    let go_sort = go.clone();
    let go_category = go.clone();

    view! {
        <h1>{t.all_products}</h1>
        <form class="catalogue-controls" role="search" on:submit=|ev| ev.prevent_default()>
            <label class="search">
                <span class="visually-hidden">{t.search_products}</span>
                <input
                    type="search"
                    name="q"
                    placeholder=t.search_placeholder
                    prop:value=move || query.with(|q| q.text.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        go_search(CatalogueQuery { text, page: 1, ..query.get_untracked() }, true);
                    }
                />
            </label>
            <label class="sort">
                <span>{t.sort}</span>
                <select on:change=move |ev| {
                    let sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
                    go_sort(CatalogueQuery { sort, page: 1, ..query.get_untracked() }, false);
                }>
                    {Sort::ALL.iter().copied().map(|sort| view! {
                        <option value=sort.as_str() selected=move || query.with(|q| q.sort == sort)>{sort_label(sort)}</option>
                    }).collect_view()}
                </select>
            </label>
        </form>

        <nav class="category-filter" aria-label=t.filter_by_category>
            <Suspense fallback=|| ()>
                {move || {
                    let go_category = go_category.clone();
                    Suspend::new(async move {
                        let list = categories.get().await.unwrap_or_default();
                        let chip = move |slug: Option<String>, name: String| {
                            let go_category = go_category.clone();
                            let active = { let slug = slug.clone(); move || query.with(|q| q.category == slug) };
                            view! {
                                <button type="button" class="chip" aria-pressed=move || active().to_string()
                                    on:click=move |_| go_category(CatalogueQuery { category: slug.clone(), page: 1, ..query.get_untracked() }, false)>
                                    {name}
                                </button>
                            }
                        };
                        let all = chip(None, t.all_categories.to_owned());
                        let each = list.into_iter().map(|c| chip(Some(c.slug), c.name)).collect_view();
                        view! { {all} {each} }
                    })
                }}
            </Suspense>
        </nav>

        <Suspense fallback=|| view! { <GridSkeleton cards=6/> }>
            {move || {
                let go = go.clone();
                Suspend::new(async move {
                    match products.get().await {
                        Ok(list) if list.items.is_empty() => view! {
                            <p class="empty">{t.no_results}</p>
                        }.into_any(),
                        Ok(list) => {
                            let page = list.page;
                            let pages = (list.total as u32).div_ceil(list.per_page.max(1));
                            let (go_prev, go_next) = (go.clone(), go.clone());
                            view! {
                                // The grid's heading (its cards are h3): how many were found.
                                <h2 class="result-count" aria-live="polite">{(t.result_count)(list.total)}</h2>
                                <ProductGrid products=list.items/>
                                {(pages > 1).then(|| view! {
                                    <nav class="pager" aria-label=t.pages>
                                        <button type="button" class="button secondary" disabled={page <= 1}
                                            on:click=move |_| go_prev(CatalogueQuery { page: page - 1, ..query.get_untracked() }, false)>{t.previous_page}</button>
                                        <span>{page} " / " {pages}</span>
                                        <button type="button" class="button secondary" disabled={page >= pages}
                                            on:click=move |_| go_next(CatalogueQuery { page: page + 1, ..query.get_untracked() }, false)>{t.next_page}</button>
                                    </nav>
                                })}
                            }.into_any()
                        }
                        Err(error) => view! { <LoadError error on_retry=move |_| products.reload()/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn sort_label(sort: Sort) -> &'static str {
    let t = texts();
    match sort {
        Sort::Featured => t.sort_featured,
        Sort::PriceAsc => t.sort_price_asc,
        Sort::PriceDesc => t.sort_price_desc,
        Sort::Newest => t.sort_newest,
    }
}
