//! 智能填写: a text area above the address form. A pasted block (王小蜜
//! 138-0013-8000 天津市西青区杨柳青镇柳口路1号) is read by shop-core's parser
//! against the region tree and handed to the form, which fills and
//! highlights the fields for the shopper to check; what it could not find
//! is said beneath.

use crate::i18n::texts;
use leptos::prelude::*;
use shop_core::field;
use shop_core::paste::{self, PastedAddress};
use shop_core::regions::RegionTree;
use std::sync::Arc;

#[component]
pub fn AddressPaste(
    tree: Signal<Option<Arc<RegionTree>>>,
    on_fill: impl Fn(PastedAddress) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<String>);
    let read = move || {
        let Some(tree) = tree.get_untracked() else {
            outcome.set(Some(t.region_loading.to_owned()));
            return;
        };
        let pasted = paste::parse(&text.get_untracked(), &tree);
        let missing: Vec<&str> = pasted.missing().into_iter().map(field_name).collect();
        outcome.set(Some(if missing.is_empty() {
            t.smart_fill_done.to_owned()
        } else {
            (t.smart_fill_missing)(&missing.join("、"))
        }));
        on_fill(pasted);
    };
    view! {
        <div class="field smart-fill">
            <label for="smart-fill">{t.smart_fill}</label>
            <textarea id="smart-fill" rows="2" placeholder=t.smart_fill_placeholder
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                // The pasted text is in the box once the event has run its course.
                on:paste=move |_| { request_animation_frame(read); }></textarea>
            <div class="smart-fill-row">
                <p class="muted" role="status">{move || outcome.get()}</p>
                <button type="button" class="button secondary" on:click=move |_| read()>{t.smart_fill_button}</button>
            </div>
        </div>
    }
}

fn field_name(path: &str) -> &'static str {
    let t = texts();
    match path {
        field::CONTACT_NAME => t.consignee,
        field::CONTACT_PHONE => t.phone,
        field::ADDRESS_DETAIL => t.detail,
        _ => t.region,
    }
}
