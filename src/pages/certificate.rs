use crate::i18n::texts;
use crate::last_order::LastOrder;
use crate::pages::order::OrderPage;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shop_core::adoption::Adoption;

/// The adoption certificate of a paid order this tab has looked up (with
/// its phone number); anyone else gets the order lookup first.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let last_order = LastOrder::get();
    let order_no = move || params.with(|p| p.get("order_no")).unwrap_or_default();
    let t = texts();
    move || match last_order.shown(&order_no()) {
        None => view! { <OrderPage/> }.into_any(),
        Some(order) if order.status.is_paid() => {
            set_page_title(t.certificate);
            view! {
                <div class="certificates">
                    {order.adoptions.into_iter().map(|adoption| view! { <Certificate adoption/> }).collect_view()}
                    <p class="no-print"><a href=["/orders/", &order.order_no].concat()>{t.back_to_order}</a></p>
                </div>
            }
            .into_any()
        }
        Some(order) => {
            set_page_title(t.certificate);
            view! { <p>{(t.certificate_after_payment)(&order.order_no)}</p> }.into_any()
        }
    }
}

#[component]
fn Certificate(adoption: Adoption) -> impl IntoView {
    let plan = adoption.plan;
    let t = texts();
    view! {
        <article class="certificate" aria-label=t.certificate>
            <p class="certificate-kicker">{t.certificate_kicker}</p>
            <h1>{t.certificate_title}</h1>
            <p class="certificate-hive">{(t.certificate_hive)(adoption.hive_no, &adoption.hive_name)}</p>
            <p>{t.certifies} <strong>{adoption.adopter}</strong> {(t.certifies_adoption)(&plan.cooperative, adoption.hive_no)}</p>
            <dl class="plan">
                <dt>{t.term}</dt><dd>{(t.term_range)(&plan.term_start, &plan.term_end)}</dd>
                <dt>{t.guaranteed_yield}</dt><dd>{plan.guaranteed_yield} {plan.yield_unit} {t.yield_of_honey}</dd>
                <dt>{t.planned_harvests}</dt><dd>{plan.harvests.join(t.list_separator)}</dd>
                <dt>{t.delivered}</dt>
                <dd>
                    {if adoption.deliveries.is_empty() {
                        view! { {t.not_delivered_yet} }.into_any()
                    } else {
                        adoption.deliveries.into_iter().map(|d| view! {
                            <span class="delivery">{d.delivered_at} " " {d.amount} {(t.delivery_tracking)(&d.tracking_no)}</span>
                        }).collect_view().into_any()
                    }}
                </dd>
            </dl>
            <p class="muted small">{t.certificate_thanks}</p>
        </article>
    }
}
