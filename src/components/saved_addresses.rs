//! 常用地址: the address book at the top of the checkout. The entry in use is
//! marked; another can be used (it fills the form, where it can be edited:
//! the order saves the edit in its place), made the default, or removed.

use crate::address_book::{self, SavedAddress};
use crate::i18n::texts;
use leptos::prelude::*;

#[component]
pub fn SavedAddresses(
    book: RwSignal<Vec<SavedAddress>>,
    /// The entry the form was filled from, if any.
    chosen: RwSignal<Option<usize>>,
    on_use: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    let change = move |edit: &dyn Fn(&mut Vec<SavedAddress>)| {
        book.update(|b| edit(b));
        book.with_untracked(|b| address_book::save(b));
    };
    let remove = move |i: usize| {
        change(&|b| {
            b.remove(i);
        });
        chosen.update(|c| {
            *c = match *c {
                Some(c) if c == i => None,
                Some(c) if c > i => Some(c - 1),
                other => other,
            }
        });
    };
    let make_default = move |i: usize| change(&|b| b.iter_mut().enumerate().for_each(|(j, s)| s.default = j == i));
    view! {
        <Show when=move || book.with(|b| !b.is_empty())>
            <section class="saved-addresses" aria-labelledby="saved-addresses-title">
                <h2 id="saved-addresses-title">{t.saved_addresses}</h2>
                <ul>
                    {move || book.get().into_iter().enumerate().map(|(i, saved)| {
                        let place = saved.address.one_line();
                        let in_use = move || chosen.get() == Some(i);
                        view! {
                            <li class="saved-address" class:in-use=in_use>
                                <p><strong>{saved.contact.name.clone()}</strong>" "{saved.contact.phone.clone()}
                                    {saved.default.then(|| view! { " "<span class="badge-default">{t.default_address}</span> })}</p>
                                <p class="muted small">{place}</p>
                                <div class="saved-actions">
                                    <button type="button" class="link-button" aria-pressed=move || in_use().to_string()
                                        on:click=move |_| on_use(i)>{t.use_address}</button>
                                    {(!saved.default).then(|| view! {
                                        <button type="button" class="link-button" on:click=move |_| make_default(i)>{t.make_default}</button>
                                    })}
                                    <button type="button" class="link-button" on:click=move |_| remove(i)>{t.remove}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
