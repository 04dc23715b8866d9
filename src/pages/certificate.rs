use crate::app::{set_page_title, LastOrder};
use crate::pages::order::OrderPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shop_core::adoption::Adoption;
use shop_core::order::OrderStatus;

/// The adoption certificate of a paid order this tab has looked up (with
/// its phone number); anyone else gets the order lookup first.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let last_order = expect_context::<LastOrder>().0;
    let order_no = move || params.with(|p| p.get("order_no")).unwrap_or_default();
    move || match last_order.get().filter(|o| o.order_no.eq_ignore_ascii_case(&order_no())) {
        None => view! { <OrderPage/> }.into_any(),
        Some(order) if matches!(order.status, OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed) => {
            set_page_title("认养证书");
            view! {
                <div class="certificates">
                    {order.adoptions.into_iter().map(|adoption| view! { <Certificate adoption/> }).collect_view()}
                    <p class="no-print"><a href=["/orders/", &order.order_no].concat()>"返回订单"</a></p>
                </div>
            }.into_any()
        }
        Some(order) => {
            set_page_title("认养证书");
            view! { <p>"订单 " {order.order_no.clone()} " 付款确认后，这里会显示认养证书。"</p> }.into_any()
        }
    }
}

#[component]
fn Certificate(adoption: Adoption) -> impl IntoView {
    let plan = adoption.plan;
    view! {
        <article class="certificate" aria-label="认养证书">
            <p class="certificate-kicker">"西青 · 景泰一家亲"</p>
            <h1>"蜜蜂认养证书"</h1>
            <p class="certificate-hive">"No." {adoption.hive_no} " 「" {adoption.hive_name} "」"</p>
            <p>"兹证明 " <strong>{adoption.adopter}</strong> " 认养" {plan.cooperative.clone()} "第 " {adoption.hive_no} " 号蜂箱。"</p>
            <dl class="plan">
                <dt>"认养期"</dt><dd>{plan.term_start} " 至 " {plan.term_end}</dd>
                <dt>"保底产量"</dt><dd>{plan.guaranteed_yield} {plan.yield_unit} "蜂蜜"</dd>
                <dt>"计划采收"</dt><dd>{plan.harvests.join("；")}</dd>
                <dt>"已寄送"</dt>
                <dd>
                    {if adoption.deliveries.is_empty() {
                        view! { "尚未寄送，采收后寄出" }.into_any()
                    } else {
                        adoption.deliveries.into_iter().map(|d| view! {
                            <span class="delivery">{d.delivered_at} " " {d.amount} "（快递 " {d.tracking_no} "）"</span>
                        }).collect_view().into_any()
                    }}
                </dd>
            </dl>
            <p class="muted small">"2019年，西青区爱心企业向五佛乡津景蜜园捐赠100个蜂箱。感谢您让这份甜蜜延续。"</p>
        </article>
    }
}
