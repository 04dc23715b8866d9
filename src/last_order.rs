//! The order this tab just placed or looked up, so its page (and its
//! certificate) can show it without asking for the phone number again; and,
//! for this tab only (`sessionStorage`), its number and phone, because
//! paying leaves the page and comes back to a fresh app: WeChat's
//! authorisation, the H5 cashier.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_core::order::Order;

const STORAGE_KEY: &str = "xq-shop.last-order";

#[derive(Clone, Copy)]
pub struct LastOrder(pub RwSignal<Option<Order>>);

#[derive(Serialize, Deserialize)]
struct Remembered {
    order_no: String,
    phone: String,
}

impl LastOrder {
    /// Provides an empty one as context (the shop shell does, once).
    pub fn provide() {
        provide_context(LastOrder(RwSignal::new(None)));
    }

    /// The last order from context.
    pub fn get() -> LastOrder {
        expect_context()
    }

    /// Shows `order` on its page from now on, and remembers it for the tab.
    pub fn show(&self, order: Order) {
        let remembered = Remembered { order_no: order.order_no.clone(), phone: order.contact.phone.clone() };
        if let (Some(storage), Ok(text)) = (session_storage(), serde_json::to_string(&remembered)) {
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
        self.0.set(Some(order));
    }

    /// The order shown, if it is `order_no`.
    pub fn shown(&self, order_no: &str) -> Option<Order> {
        self.0.get().filter(|o| o.order_no.eq_ignore_ascii_case(order_no))
    }

    /// The same, without subscribing to changes.
    pub fn shown_untracked(&self, order_no: &str) -> Option<Order> {
        self.0.get_untracked().filter(|o| o.order_no.eq_ignore_ascii_case(order_no))
    }

    /// The phone of `order_no`, if this tab placed or looked it up.
    pub fn remembered_phone(order_no: &str) -> Option<String> {
        let text = session_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        let remembered: Remembered = serde_json::from_str(&text).ok()?;
        remembered.order_no.eq_ignore_ascii_case(order_no).then_some(remembered.phone)
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}
