use crate::api;
use crate::i18n::texts;
use leptos::prelude::*;
use shop_core::format_fen;

/// Where the money went, from paid orders in the database. With no paid
/// orders yet it says so rather than showing invented figures.
#[component]
pub fn ImpactPanel() -> impl IntoView {
    let impact = LocalResource::new(api::impact);
    let t = texts();
    view! {
        <section class="impact" aria-labelledby="impact-title">
            <h2 id="impact-title">{t.impact_title}</h2>
            <Suspense fallback=|| view! { <p class="muted">{t.impact_counting}</p> }>
                {move || Suspend::new(async move {
                    match impact.await {
                        Ok(i) if i.paid_orders == 0 => view! {
                            <p>{t.impact_none_yet}</p>
                            <p class="muted">{(t.impact_free_hives)(i.free_hives)}</p>
                        }.into_any(),
                        Ok(i) => view! {
                            <ul class="impact-figures">
                                {i.counties.into_iter().map(|c| view! {
                                    <li><strong>{format_fen(c.paid_fen)}</strong> <span>{(t.impact_county)(&c.county, c.orders)}</span></li>
                                }).collect_view()}
                                <li><strong>{(t.impact_adopted_hives)(i.adopted_hives)}</strong> <span>{(t.impact_hives_free)(i.free_hives)}</span></li>
                            </ul>
                            <p class="muted small">{(t.impact_note)(i.paid_orders)}</p>
                        }.into_any(),
                        Err(_) => view! { <p class="muted">{t.impact_unavailable}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
