use super::{use_admin, AdminGate};
use crate::api;
use crate::components::load_error::LoadError;
use crate::components::order_view::OrderView;
use crate::messages::{failure, field_error, order_status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shop_core::admin::{validate_status_change, StatusChange};
use shop_core::error::ErrorCode;
use shop_core::format_fen;
use shop_core::order::{Order, OrderStatus};
use shop_core::validate::MAX_TRACKING_NO;

/// Orders, newest first: filter by status, search by number or phone, the
/// day's totals, and each order's next steps.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    view! { <AdminGate><OrderList/></AdminGate> }
}

#[component]
fn OrderList() -> impl IntoView {
    let session = use_admin();
    let status = RwSignal::new(None::<OrderStatus>);
    let text = RwSignal::new(String::new());
    let orders = LocalResource::new(move || {
        let (token, status, text) = (session.token(), status.get(), text.get());
        async move { api::admin::orders(&token, status, &text).await }
    });
    // Every status (`None`), then each one, by the name shoppers see.
    let filters = std::iter::once((None, "全部")).chain(OrderStatus::ALL.iter().map(|&s| (Some(s), order_status(s))));
    let refresh = Callback::new(move |()| orders.refetch());
    view! {
        <h1>"订单管理"</h1>
        <div class="category-filter" role="group" aria-label="按状态筛选">
            {filters.map(|(value, label)| view! {
                <button type="button" class="chip" aria-pressed=move || (status.get() == value).to_string()
                    on:click=move |_| status.set(value)>{label}</button>
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
        let change = StatusChange { status: next, tracking_no };
        if let Some(rule) = validate_status_change(&change).into_values().next() {
            return problem.set(Some(["快递单号：", &field_error(rule)].concat()));
        }
        let question = ["确定将订单 ", &order_no.get_value(), " 标记为「", order_status(next), "」吗？"].concat();
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::change_status(&token, &order_no.get_value(), &change).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    problem.set(Some(match error.code() {
                        Some(ErrorCode::InvalidTransition { status }) => {
                            ["订单现在是「", order_status(*status), "」，不能这样操作，请刷新后再看。"].concat()
                        }
                        _ => failure(&error),
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
                    <input id=["tracking-", &order_no.get_value()].concat() maxlength=MAX_TRACKING_NO.to_string()
                        prop:value=move || tracking.get()
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
