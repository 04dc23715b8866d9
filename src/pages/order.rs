use crate::api::{self, FetchError};
use crate::components::order_view::OrderView;
use crate::components::pay_panel::{Arrival, PayPanel};
use crate::entry::link_rel;
use crate::i18n::texts;
use crate::last_order::LastOrder;
use crate::messages::failure;
use crate::retry::release_when_allowed;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use shop_core::order::OrderStatus;
use shop_core::payment::{PaymentReturn, PAYMENT_RETURN_PARAM};
use shop_core::validate::{self, PHONE_DIGITS};

/// `/orders/:order_no` shows the order this tab just placed or looked up,
/// with the way to pay it while it awaits payment; otherwise, and at
/// `/orders`, the lookup form: order number + phone, the shopper's way back
/// to any order. `?payment=pay` (back from WeChat's authorisation) pays at
/// once; `?payment=check` (back from WeChat's cashier) checks the payment.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let last_order = LastOrder::get();
    let order_no = move || params.with(|p| p.get("order_no")).unwrap_or_default();
    let t = texts();
    // Taken once: a page drawn again (a new language) must not pay again.
    let returned = query.with_untracked(|q| q.get(PAYMENT_RETURN_PARAM)).as_deref().and_then(PaymentReturn::parse);
    let arrival = StoredValue::new(Some(match returned {
        Some(PaymentReturn::Pay) => Arrival::PayNow,
        Some(PaymentReturn::Check) => Arrival::Check,
        None => Arrival::Offer,
    }));
    // …nor a reload: the address goes back to the order's own.
    if returned.is_some() {
        let navigate = use_navigate();
        let own = ["/orders/", &params.with_untracked(|p| p.get("order_no")).unwrap_or_default()].concat();
        request_animation_frame(move || {
            navigate(&own, NavigateOptions { replace: true, scroll: false, ..Default::default() })
        });
    }
    // Back from paying, the app starts afresh: the tab remembers the order's
    // number and phone, and asks for it again (a skeleton meanwhile).
    let restoring = RwSignal::new(false);
    let first_no = order_no();
    if last_order.shown_untracked(&first_no).is_none() {
        if let Some(phone) = LastOrder::remembered_phone(&first_no) {
            restoring.set(true);
            spawn_local(async move {
                if let Ok(order) = api::find_order(&first_no, &phone).await {
                    last_order.show(order);
                }
                restoring.set(false);
            });
        }
    }
    move || match last_order.shown(&order_no()) {
        Some(order) => {
            set_page_title(t.order_details);
            let pending = order.status == OrderStatus::PendingPayment;
            let paid = order.status == OrderStatus::Paid;
            let arrival = arrival.try_update_value(Option::take).flatten().unwrap_or_default();
            view! {
                <h1>{if pending { t.order_placed } else { t.order_details }}</h1>
                {pending.then(|| view! {
                    <div class="next-steps">
                        <p>{t.next_steps_status} <strong>{t.status_pending_payment}</strong> {t.next_steps_contact}</p>
                        <p>{t.next_steps_keep_number}</p>
                    </div>
                    <PayPanel order=order.clone() arrival/>
                })}
                {paid.then(|| view! { <p class="notice" role="status">{t.paid_thanks}</p> })}
                <OrderView order/>
                <p><a href="/products" rel=link_rel("/products")>{t.continue_shopping}</a></p>
            }
            .into_any()
        }
        None if restoring.get() => {
            view! { <div class="product-skeleton" aria-busy="true" aria-label=t.loading></div> }.into_any()
        }
        None => view! { <LookupForm initial_no=order_no()/> }.into_any(),
    }
}

#[component]
fn LookupForm(initial_no: String) -> impl IntoView {
    let t = texts();
    set_page_title(t.find_order);
    let last_order = LastOrder::get();
    let order_no = RwSignal::new(initial_no);
    let phone = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let lookup = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if order_no.get_untracked().trim().is_empty() {
            message.set(Some(t.enter_order_no.into()));
            return;
        }
        if validate::phone(&phone.get_untracked()).is_err() {
            message.set(Some(t.enter_order_phone.into()));
            return;
        }
        busy.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let found = api::find_order(&order_no.get_untracked(), &phone.get_untracked()).await;
            match &found {
                Ok(order) => {
                    let url = ["/orders/", &order.order_no].concat();
                    last_order.show(order.clone());
                    navigate(&url, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(FetchError::NotFound) => message.set(Some(t.order_not_found.into())),
                // Too many tries (with the wait), no connection, or the server's fault (with its request id).
                Err(error) => message.set(Some(failure(error))),
            }
            release_when_allowed(busy, found.as_ref().err());
        });
    };
    view! {
        <h1>{t.find_order}</h1>
        <form class="lookup" on:submit=lookup novalidate>
            <div class="field">
                <label for="lookup-no">{t.order_no}</label>
                <input id="lookup-no" autocomplete="off" autocapitalize="characters" placeholder=t.order_no_placeholder
                    prop:value=move || order_no.get() on:input=move |ev| order_no.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="lookup-phone">{t.phone}</label>
                <input id="lookup-phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength=PHONE_DIGITS.to_string()
                    prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
            </div>
            <p class="form-status" role="alert">{move || message.get()}</p>
            <button type="submit" class="button" disabled=move || busy.get()>{t.look_up}</button>
        </form>
    }
}
