//! Paying an order that awaits payment, the way this browser can: WeChat's
//! payment sheet inside WeChat, WeChat's H5 cashier in a phone browser, a
//! QR code on a desktop. The sheet's "ok" and the shopper's return from H5
//! prove nothing: the page asks the server, which asks WeChat Pay, until
//! the order is paid (then the page shows it paid) or it gives up.

use crate::api::{self, FetchError};
use crate::i18n::texts;
use crate::last_order::LastOrder;
use crate::messages::{failure, with_request_id};
use crate::wechat_pay::{self, SheetOutcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shop_core::error::ErrorCode;
use shop_core::order::{Order, OrderStatus};
use shop_core::payment::PaymentMode;
use shop_core::time::{china_time, parse_utc};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Ready,
    Opening,
    /// Asking the server whether the money arrived.
    Confirming,
    /// A Native code to scan; `elsewhere` when an H5 payment was asked for
    /// but this merchant cannot take one (the shopper should open WeChat).
    Code {
        image: String,
        elsewhere: bool,
    },
    /// What happened, with the way to try again.
    Said(String),
}

/// What the pay panel's steps share.
#[derive(Clone, Copy)]
struct Payer {
    order_no: StoredValue<String>,
    phone: StoredValue<String>,
    stage: RwSignal<Stage>,
    last_order: LastOrder,
    /// False once the panel is gone: its polling stops.
    alive: StoredValue<bool>,
}

impl Payer {
    /// Asks the server about the payment, `tries` times `every` apart,
    /// until the order no longer awaits payment; then says `otherwise`.
    fn confirm(self, tries: u32, every: Duration, otherwise: &'static str) {
        spawn_local(async move {
            let checked = api::payment_status(&self.order_no.get_value(), &self.phone.get_value()).await;
            match checked {
                Ok(order) if order.status != OrderStatus::PendingPayment => self.last_order.show(order),
                _ if tries > 1 && self.alive.get_value() => {
                    set_timeout(move || self.confirm(tries - 1, every, otherwise), every);
                }
                _ => self.stage.set(Stage::Said(otherwise.to_owned())),
            }
        });
    }

    fn pay(self) {
        let t = texts();
        self.stage.set(Stage::Opening);
        spawn_local(async move {
            let wanted = wechat_pay::mode_here();
            let started = api::start_payment(&self.order_no.get_value(), &self.phone.get_value(), wanted).await;
            let start = match started {
                Ok(start) => start,
                Err(error) => return self.refused(&error),
            };
            match (start.mode, start.jsapi, start.h5_url, start.qr_svg) {
                (PaymentMode::Jsapi, Some(params), _, _) => match wechat_pay::open_sheet(&params).await {
                    SheetOutcome::Done => {
                        self.stage.set(Stage::Confirming);
                        self.confirm(CONFIRM_TRIES, CONFIRM_EVERY, t.payment_not_confirmed);
                    }
                    SheetOutcome::Cancelled => self.stage.set(Stage::Said(t.payment_cancelled.to_owned())),
                    SheetOutcome::Failed => self.stage.set(Stage::Said(t.payment_failed.to_owned())),
                },
                // WeChat's cashier, which sends the shopper back with `?payment=check`.
                (PaymentMode::H5, _, Some(h5_url), _) => {
                    let _ = window().location().assign(&h5_url);
                }
                (PaymentMode::Native, _, _, Some(image)) => {
                    self.stage.set(Stage::Code { image, elsewhere: wanted != PaymentMode::Native });
                    self.confirm(SCAN_TRIES, SCAN_EVERY, t.payment_not_confirmed);
                }
                _ => self.stage.set(Stage::Said(t.payment_failed.to_owned())),
            }
        });
    }

    fn refused(self, error: &FetchError) {
        let t = texts();
        let said = match error.code() {
            // Inside WeChat, first the silent authorisation: it comes back to
            // this page with `?payment=pay`, which pays at once.
            Some(ErrorCode::OpenidRequired { authorize_url }) => {
                let _ = window().location().assign(&api::api_address(authorize_url));
                return;
            }
            // Paid (or cancelled) meanwhile: show the order as it is now.
            Some(ErrorCode::InvalidTransition { .. }) => {
                self.stage.set(Stage::Confirming);
                return self.confirm(1, CONFIRM_EVERY, t.payment_failed);
            }
            Some(ErrorCode::PaymentExpired) => t.payment_expired.to_owned(),
            Some(ErrorCode::PaymentUnavailable) => with_request_id(t.payment_unavailable, error),
            _ => failure(error),
        };
        self.stage.set(Stage::Said(said));
    }
}

/// After WeChat's sheet or cashier: a few quick questions (the notification
/// usually lands within a second or two).
const CONFIRM_TRIES: u32 = 8;
const CONFIRM_EVERY: Duration = Duration::from_millis(1500);
/// While a code is on screen: every few seconds for a quarter of an hour.
const SCAN_TRIES: u32 = 300;
const SCAN_EVERY: Duration = Duration::from_secs(3);

/// How the page arrived: to pay at once (back from WeChat's authorisation),
/// to check a payment (back from WeChat's cashier), or to offer paying.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Arrival {
    #[default]
    Offer,
    PayNow,
    Check,
}

#[component]
pub fn PayPanel(order: Order, #[prop(optional)] arrival: Arrival) -> impl IntoView {
    let t = texts();
    let payer = Payer {
        order_no: StoredValue::new(order.order_no.clone()),
        phone: StoredValue::new(order.contact.phone.clone()),
        stage: RwSignal::new(Stage::Ready),
        last_order: LastOrder::get(),
        alive: StoredValue::new(true),
    };
    on_cleanup(move || payer.alive.set_value(false));
    match arrival {
        Arrival::Offer => {}
        Arrival::PayNow => payer.pay(),
        Arrival::Check => {
            payer.stage.set(Stage::Confirming);
            payer.confirm(CONFIRM_TRIES, CONFIRM_EVERY, t.payment_not_confirmed);
        }
    }
    let deadline = order.pay_by.as_deref().and_then(parse_utc).map(|at| {
        let left = (at - (js_sys::Date::now() / 1000.0) as i64).max(0) / 60;
        (china_time(at), left / 60, left % 60)
    });
    let pay_button = move |label: &'static str| {
        view! { <button type="button" class="button" on:click=move |_| payer.pay()>{label}</button> }
    };
    view! {
        <section class="pay" aria-label=t.pay_now>
            {deadline.map(|(d, hours, minutes)| view! { <p class="muted">{(t.pay_by)(d.month, d.day, d.hour, d.minute, hours, minutes)}</p> })}
            {move || match payer.stage.get() {
                Stage::Ready => pay_button(t.pay_now).into_any(),
                Stage::Opening => view! {
                    <button type="button" class="button" disabled aria-busy="true">{t.opening_payment}</button>
                }.into_any(),
                Stage::Confirming => view! { <p class="notice" role="status">{t.checking_payment}</p> }.into_any(),
                Stage::Code { image, elsewhere } => view! {
                    {elsewhere.then(|| view! { <p class="notice">{t.open_in_wechat}</p> })}
                    <p role="status">{t.scan_to_pay}</p>
                    <img class="pay-code" src=image alt=t.qr_alt width="240" height="240"/>
                }.into_any(),
                Stage::Said(text) => view! {
                    <p class="notice" role="alert">{text}</p>
                    {pay_button(t.pay_again)}
                }.into_any(),
            }}
        </section>
    }
}
