use crate::api::{self, FetchError};
use crate::components::order_view::OrderView;
use crate::i18n::texts;
use crate::last_order::LastOrder;
use crate::messages::failure;
use crate::retry::release_when_allowed;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shop_core::validate::{self, PHONE_DIGITS};

/// `/orders/:order_no` shows the order this tab just placed or looked up
/// (with what happens next); otherwise, and at `/orders`, the lookup form:
/// order number + phone, the shopper's way back to any order.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let last_order = LastOrder::use_signal();
    let order_no = move || params.with(|p| p.get("order_no")).unwrap_or_default();
    let t = texts();
    let shown = move || last_order.get().filter(|o| o.order_no.eq_ignore_ascii_case(&order_no()));
    view! {
        {move || match shown() {
            Some(order) => {
                set_page_title(t.order_details);
                let pending = order.status == shop_core::order::OrderStatus::PendingPayment;
                view! {
                    <h1>{if pending { t.order_placed } else { t.order_details }}</h1>
                    {pending.then(|| view! {
                        <div class="next-steps">
                            <p>{t.next_steps_status} <strong>{t.status_pending_payment}</strong> {t.next_steps_contact}</p>
                            <p>{t.next_steps_keep_number}</p>
                        </div>
                    })}
                    <OrderView order/>
                    <p><a href="/products">{t.continue_shopping}</a></p>
                }.into_any()
            }
            None => view! { <LookupForm initial_no=order_no()/> }.into_any(),
        }}
    }
}

#[component]
fn LookupForm(initial_no: String) -> impl IntoView {
    let t = texts();
    set_page_title(t.find_order);
    let last_order = LastOrder::use_signal();
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
                    last_order.set(Some(order.clone()));
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
