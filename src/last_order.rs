//! The order this tab just placed or looked up, so its page (and its
//! certificate) can show it without asking for the phone number again.

use leptos::prelude::*;
use shop_core::order::Order;

#[derive(Clone, Copy)]
pub struct LastOrder(pub RwSignal<Option<Order>>);

impl LastOrder {
    /// Provides an empty one as context (the shop shell does, once).
    pub fn provide() {
        provide_context(LastOrder(RwSignal::new(None)));
    }

    /// The last order from context.
    pub fn use_signal() -> RwSignal<Option<Order>> {
        expect_context::<LastOrder>().0
    }
}
