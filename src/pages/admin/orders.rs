use super::{use_admin, AdminGate};
use crate::api;
use crate::components::load_error::LoadError;
use crate::components::order_view::OrderView;
use crate::messages::order_status;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shop_core::admin::StatusChange;
use shop_core::format_fen;
use shop_core::order::{Order, OrderStatus};

const FILTERS: [(&str, &str); 6] = [
    ("", "全部"),
    ("pending_payment", "待付款"),
    ("paid", "已付款"),
    ("shipped", "已发货"),
    ("completed", "已完成"),
    ("cancelled", "已取消"),
];

/// Orders, newest first: filter by status, search by number or phone, the
/// day's totals, and each order's next steps.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    view! { <AdminGate><OrderList/></AdminGate> }
}

#[component]
fn OrderList() -> impl IntoView {
    let session = use_admin();
    let status = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let orders = LocalResource::new(move || {
        let (token, status, text) = (session.token(), status.get(), text.get());
        async move { api::admin::orders(&token, &status, &text).await }
    });
    let refresh = Callback::new(move |()| orders.refetch());
    view! {
        <h1>"订单管理"</h1>
        <div class="category-filter" role="group" aria-label="按状态筛选">
            {FILTERS.into_iter().map(|(value, label)| view! {
                <button type="button" class="chip" aria-pressed=move || (status.get() == value).to_string()
                    on:click=move |_| status.set(value.to_owned())>{label}</button>
            }).collect_view()}
        </div>
        <div class="field">
            <label for="order-search">"按订单号或手机号查找"</label>
            <input id="order-search" type="search" prop:value=move || text.get() on:change=move |ev| text.set(event_target_value(&ev))/>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) => view! {
                        <p class="notice">"今日订单 " <strong>{list.today.orders}</strong> " 笔，合计 " <strong>{format_fen(list.today.total_fen)}</strong>
                            "（不含已取消）· 当前筛选共 " {list.total} " 笔"</p>
                        {list.items.into_iter().map(|order| view! { <AdminOrder order refresh/> }).collect_view()}
                    }.into_any(),
                    Err(error) => {
                        session.check(&error);
                        view! { <LoadError error on_retry=move |_| orders.refetch()/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One order with the moves its status allows, each confirmed first.
#[component]
fn AdminOrder(order: Order, refresh: Callback<()>) -> impl IntoView {
    let session = use_admin();
    let order_no = StoredValue::new(order.order_no.clone());
    let tracking = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let current = order.status;
    let act = move |next: OrderStatus| {
        let tracking_no = (next == OrderStatus::Shipped).then(|| tracking.get_untracked().trim().to_owned());
        if tracking_no.as_deref() == Some("") {
            return problem.set(Some("发货前请填写快递单号".into()));
        }
        let question = ["确定将订单 ", &order_no.get_value(), " 标记为「", order_status(next), "」吗？"].concat();
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::change_status(&token, &order_no.get_value(), &StatusChange { status: next, tracking_no }).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    problem.set(Some(match error {
                        api::ApiError::Refused(e) if e.code == "invalid_transition" => "订单状态已变化，请刷新后再操作。".into(),
                        _ => "操作失败，请重试。".into(),
                    }));
                }
            }
        });
    };
    let moves = [
        (OrderStatus::Paid, "标记已付款"),
        (OrderStatus::Shipped, "发货"),
        (OrderStatus::Completed, "标记已完成"),
        (OrderStatus::Cancelled, "取消订单"),
    ];
    view! {
        <article class="admin-order">
            <OrderView order/>
            {current.can_become(OrderStatus::Shipped).then(|| view! {
                <div class="field">
                    <label for=["tracking-", &order_no.get_value()].concat()>"快递单号"</label>
                    <input id=["tracking-", &order_no.get_value()].concat() prop:value=move || tracking.get()
                        on:input=move |ev| tracking.set(event_target_value(&ev))/>
                </div>
            })}
            <div class="order-actions">
                {moves.into_iter().filter(|(next, _)| current.can_become(*next)).map(|(next, label)| view! {
                    <button type="button" class="button secondary" on:click=move |_| act(next)>{label}</button>
                }).collect_view()}
            </div>
            <p class="field-error" role="alert">{move || problem.get()}</p>
        </article>
    }
}
