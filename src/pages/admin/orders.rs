use super::{use_admin, AdminGate};
use crate::api;
use crate::api::FetchError;
use crate::components::load_error::LoadError;
use crate::components::order_view::OrderView;
use crate::messages::{failure, field_error, order_status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shop_core::admin::{validate_status_change, StatusChange};
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::format_fen;
use shop_core::money::parse_yuan;
use shop_core::order::{Order, OrderStatus};
use shop_core::payment::{
    validate_bank_transfer, validate_refund, BankTransfer, RefundLine, RefundReason, RefundRequest, MAX_TRANSFER_TEXT,
    STAFF_REFUND_REASONS,
};
use shop_core::validate::{FieldErrors, MAX_TRACKING_NO};

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
    let refundable = order.clone();
    let act = move |next: OrderStatus| {
        let tracking_no = (next == OrderStatus::Shipped).then(|| tracking.get_untracked().trim().to_owned());
        let change = StatusChange { status: next, tracking_no };
        if let Some(rule) = validate_status_change(&change).into_values().next() {
            return problem.set(Some(["快递单号：", &field_error(rule)].concat()));
        }
        let question = if next == OrderStatus::Cancelled && current.is_paid() {
            ["确定取消订单 ", &order_no.get_value(), " 吗？已付的货款将原路退回。"].concat()
        } else {
            ["确定将订单 ", &order_no.get_value(), " 标记为「", order_status(next), "」吗？"].concat()
        };
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::change_status(&token, &order_no.get_value(), &change).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    problem.set(Some(admin_problem(&error)));
                }
            }
        });
    };
    let moves =
        [(OrderStatus::Shipped, "发货"), (OrderStatus::Completed, "标记已完成"), (OrderStatus::Cancelled, "取消订单")];
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
            {(current == OrderStatus::PendingPayment).then(|| view! { <BankTransferForm order_no=order_no.get_value() refresh/> })}
            {current.is_paid().then(|| view! { <RefundForm order=refundable refresh/> })}
        </article>
    }
}

/// What staff are told when the shop refused what they asked.
fn admin_problem(error: &FetchError) -> String {
    match error.code() {
        Some(ErrorCode::InvalidTransition { status }) => {
            ["订单现在是「", order_status(*status), "」，不能这样操作，请刷新后再看。"].concat()
        }
        Some(ErrorCode::PaymentUnavailable) => "微信支付暂时连不上，需先关闭顾客未完成的支付，请稍后再试。".into(),
        Some(ErrorCode::PaymentInProgress) => "顾客的一笔在线支付还没关闭，请稍后再试。".into(),
        Some(ErrorCode::RefundTooLarge { refundable_fen }) => {
            ["超过可退金额：最多还能退 ", &format_fen(*refundable_fen), "。"].concat()
        }
        Some(ErrorCode::Validation { fields }) => {
            fields.values().map(|rule| field_error(*rule)).collect::<Vec<_>>().join("；")
        }
        _ => failure(error),
    }
}

/// A 对公转账 that arrived: the bank's reference, who paid, and when.
#[component]
fn BankTransferForm(order_no: String, refresh: Callback<()>) -> impl IntoView {
    let session = use_admin();
    let order_no = StoredValue::new(order_no);
    let (reference, payer, received_at) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FieldErrors::new());
    let problem = RwSignal::new(None::<String>);
    let record = move |_| {
        let transfer = BankTransfer {
            reference: reference.get_untracked(),
            payer: payer.get_untracked(),
            received_at: received_at.get_untracked(),
        };
        let found = validate_bank_transfer(&transfer);
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::record_bank_transfer(&token, &order_no.get_value(), &transfer).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    if let Some(ErrorCode::Validation { fields }) = error.code() {
                        errors.set(fields.clone());
                    }
                    problem.set(Some(admin_problem(&error)));
                }
            }
        });
    };
    let input = move |what: &'static str, label: &'static str, value: RwSignal<String>, placeholder: &'static str| {
        let id = ["transfer-", what, "-", &order_no.get_value()].concat();
        let error_id = [id.as_str(), "-error"].concat();
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id placeholder=placeholder maxlength=MAX_TRANSFER_TEXT.to_string() aria-describedby=error_id.clone()
                    aria-invalid=move || errors.with(|e| e.contains_key(what)).to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                <p class="field-error" id=error_id>{move || errors.with(|e| e.get(what).map(|rule| field_error(*rule)))}</p>
            </div>
        }
    };
    view! {
        <fieldset class="variant-editor">
            <legend>"登记对公转账"</legend>
            {input(field::REFERENCE, "银行流水号", reference, "如 ICBC2026120100012")}
            {input(field::PAYER, "付款单位或付款人", payer, "以银行回单为准")}
            {input(field::RECEIVED_AT, "到账时间", received_at, "2026-12-01 09:30")}
            <p class="field-error" role="alert">{move || problem.get()}</p>
            <button type="button" class="button secondary" on:click=record>"登记到账，标记已付款"</button>
        </fieldset>
    }
}

/// A refund of a paid order: some units of a line (their value, or less),
/// or an amount; sent to WeChat Pay at once, money back where it came from.
#[component]
fn RefundForm(order: Order, refresh: Callback<()>) -> impl IntoView {
    let session = use_admin();
    let order_no = StoredValue::new(order.order_no.clone());
    let line = RwSignal::new(String::new());
    let quantity = RwSignal::new("1".to_owned());
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(RefundReason::DamagedOnArrival);
    let problem = RwSignal::new(None::<String>);
    // One key per refund asked: a double tap or a retry is the same refund.
    let attempt = StoredValue::new(None::<(RefundRequest, String)>);
    let send = move |_| {
        let lines = match line.get_untracked().parse::<u32>() {
            Ok(position) => match quantity.get_untracked().trim().parse::<i64>() {
                Ok(quantity) => vec![RefundLine { line: position, quantity }],
                Err(_) => return problem.set(Some("退款数量是正整数".into())),
            },
            Err(_) => Vec::new(),
        };
        let amount_fen = match amount.get_untracked().trim() {
            "" => None,
            text => match parse_yuan(text) {
                Some(fen) => Some(fen),
                None => return problem.set(Some("金额格式如 34.00".into())),
            },
        };
        let request = RefundRequest { reason: Some(reason.get_untracked()), lines, amount_fen };
        if let Some(rule) = validate_refund(&request).into_values().next() {
            return problem.set(Some(["请选择退款的商品或填写金额：", &field_error(rule)].concat()));
        }
        let key = attempt.with_value(|a| a.as_ref().filter(|(r, _)| *r == request).map(|(_, k)| k.clone()));
        let key = key.unwrap_or_else(api::new_idempotency_key);
        attempt.set_value(Some((request.clone(), key.clone())));
        if !window().confirm_with_message("确定退款吗？款项将原路退回顾客。").unwrap_or(false) {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::refund(&token, &order_no.get_value(), &request, &key).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    problem.set(Some(admin_problem(&error)));
                }
            }
        });
    };
    let id = |what: &str| ["refund-", what, "-", &order_no.get_value()].concat();
    view! {
        <fieldset class="variant-editor">
            <legend>"退款"</legend>
            <div class="field">
                <label for=id("line")>"退哪件商品"</label>
                <select id=id("line") on:change=move |ev| line.set(event_target_value(&ev))>
                    <option value="">"不按商品，只退金额"</option>
                    {order.lines.iter().enumerate().map(|(i, l)| view! {
                        <option value=i.to_string()>{l.name.clone()} " · " {l.label.clone()} " × " {l.quantity}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=id("quantity")>"件数"</label>
                <input id=id("quantity") inputmode="numeric" prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=id("amount")>"金额（元，可少于商品价，如坏果部分赔付）"</label>
                <input id=id("amount") inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=id("reason")>"原因"</label>
                <select id=id("reason") on:change=move |ev| {
                    if let Some(r) = RefundReason::parse(&event_target_value(&ev)) { reason.set(r) }
                }>
                    {STAFF_REFUND_REASONS.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || reason.get() == r>{refund_reason(r)}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="field-error" role="alert">{move || problem.get()}</p>
            <button type="button" class="button secondary" on:click=send>"退款"</button>
        </fieldset>
    }
}

/// The words staff choose a refund's reason by.
fn refund_reason(reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::RefundOnly => "仅退款",
        RefundReason::DamagedOnArrival => "坏果包赔",
        RefundReason::OrderCancelled => "订单取消",
        RefundReason::DuplicatePayment => "重复支付",
        RefundReason::PaidAfterCancel => "取消后付款",
    }
}
