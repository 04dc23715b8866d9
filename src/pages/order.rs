use crate::api::{self, ApiError};
use crate::app::{set_page_title, LastOrder};
use crate::components::order_view::OrderView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shop_core::validate;

/// `/orders/:order_no` shows the order this tab just placed or looked up
/// (with what happens next); otherwise, and at `/orders`, the lookup form:
/// order number + phone, the shopper's way back to any order.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let last_order = expect_context::<LastOrder>().0;
    let order_no = move || params.with(|p| p.get("order_no")).unwrap_or_default();
    let shown = move || last_order.get().filter(|o| o.order_no.eq_ignore_ascii_case(&order_no()));
    view! {
        {move || match shown() {
            Some(order) => {
                set_page_title("订单详情");
                let pending = order.status == shop_core::order::OrderStatus::PendingPayment;
                view! {
                    <h1>{if pending { "订单已提交" } else { "订单详情" }}</h1>
                    {pending.then(|| view! {
                        <div class="next-steps">
                            <p>"订单状态为" <strong>"待付款"</strong> "。商店工作人员会按您留下的手机号联系您确认付款；确认收款后尽快从产地发货。"</p>
                            <p>"请记下订单号。以后凭订单号和手机号，随时可在「查订单」里查看进度。"</p>
                        </div>
                    })}
                    <OrderView order/>
                    <p><a href="/products">"继续逛逛"</a></p>
                }.into_any()
            }
            None => view! { <LookupForm initial_no=order_no()/> }.into_any(),
        }}
    }
}

#[component]
fn LookupForm(initial_no: String) -> impl IntoView {
    set_page_title("查订单");
    let last_order = expect_context::<LastOrder>().0;
    let order_no = RwSignal::new(initial_no);
    let phone = RwSignal::new(String::new());
    let message = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let lookup = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if order_no.get_untracked().trim().is_empty() {
            message.set(Some("请输入订单号"));
            return;
        }
        if validate::phone(&phone.get_untracked()).is_err() {
            message.set(Some("请输入下单时填写的11位手机号"));
            return;
        }
        busy.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::find_order(&order_no.get_untracked(), &phone.get_untracked()).await {
                Ok(order) => {
                    let url = ["/orders/", &order.order_no].concat();
                    last_order.set(Some(order));
                    navigate(&url, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(ApiError::NotFound) => message.set(Some("没有找到这个订单，请核对订单号和手机号。")),
                Err(_) => message.set(Some("网络不太顺畅，请稍后重试。")),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>"查订单"</h1>
        <form class="lookup" on:submit=lookup novalidate>
            <div class="field">
                <label for="lookup-no">"订单号"</label>
                <input id="lookup-no" autocomplete="off" autocapitalize="characters" placeholder="如 XQ7K3M9PQR2T"
                    prop:value=move || order_no.get() on:input=move |ev| order_no.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="lookup-phone">"手机号"</label>
                <input id="lookup-phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="11"
                    prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
            </div>
            <p class="form-status" role="alert">{move || message.get()}</p>
            <button type="submit" class="button" disabled=move || busy.get()>"查询"</button>
        </form>
    }
}
