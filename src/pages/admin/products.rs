use super::{use_admin, AdminGate};
use crate::api;
use crate::components::load_error::LoadError;
use leptos::prelude::*;
use shop_core::format_fen;

/// Every product, drafts first, with stock per variant and a way into the preview.
#[component]
pub fn AdminProductsPage() -> impl IntoView {
    view! { <AdminGate><ProductTable/></AdminGate> }
}

#[component]
fn ProductTable() -> impl IntoView {
    let session = use_admin();
    let products = LocalResource::new(move || {
        let token = session.token();
        async move { api::admin::products(&token).await }
    });
    view! {
        <h1>"商品管理"</h1>
        <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <ul class="admin-list">
                            {list.into_iter().map(|p| {
                                let stock = p.variants.iter().map(|v| [v.label.as_str(), " ", &format_fen(v.price_fen), " 库存 ", &v.stock.to_string()].concat()).collect::<Vec<_>>().join("；");
                                view! {
                                    <li>
                                        <a href=["/admin/products/", &p.slug].concat()>{p.name}</a>
                                        {if p.published { view! { <span class="badge">"已上架"</span> }.into_any() } else { view! { <span class="badge draft">"草稿"</span> }.into_any() }}
                                        <p class="muted small">{stock}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => {
                        session.check(&error);
                        view! { <LoadError error on_retry=move |_| products.refetch()/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
