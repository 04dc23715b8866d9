use crate::api;
use leptos::prelude::*;
use shop_core::format_fen;

/// Where the money went, from paid orders in the database. With no paid
/// orders yet it says so rather than showing invented figures.
#[component]
pub fn ImpactPanel() -> impl IntoView {
    let impact = LocalResource::new(api::impact);
    view! {
        <section class="impact" aria-labelledby="impact-title">
            <h2 id="impact-title">"您的每一笔订单都到了哪里"</h2>
            <Suspense fallback=|| view! { <p class="muted">"正在统计…"</p> }>
                {move || Suspend::new(async move {
                    match impact.await {
                        Ok(i) if i.paid_orders == 0 => view! {
                            <p>"还没有已付款的订单。第一笔货款会直接到达景泰、麦积的合作社农户手中。"</p>
                            <p class="muted">"津景蜜园还有 " {i.free_hives} " 个蜂箱等待认养。"</p>
                        }.into_any(),
                        Ok(i) => view! {
                            <ul class="impact-figures">
                                {i.counties.into_iter().map(|c| view! {
                                    <li><strong>{format_fen(c.paid_fen)}</strong> <span>"已付到" {c.county} "生产者 · " {c.orders} " 笔订单"</span></li>
                                }).collect_view()}
                                <li><strong>{i.adopted_hives} " 个"</strong> <span>"蜂箱已被认养，还有 " {i.free_hives} " 个空闲"</span></li>
                            </ul>
                            <p class="muted small">"按已付款订单的商品金额统计（不含运费），共 " {i.paid_orders} " 笔。"</p>
                        }.into_any(),
                        Err(_) => view! { <p class="muted">"统计暂时不可用。"</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
