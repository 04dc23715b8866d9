//! The shopper's address book: the last five addresses an order went to,
//! kept in `localStorage` under a versioned key like the cart, one of them
//! the default the checkout starts from. Stored data is never trusted:
//! anything unreadable or from another version is dropped quietly. (A
//! server-side book comes with accounts.)

use serde::{Deserialize, Serialize};
use shop_core::order::{Address, Contact};

const STORAGE_KEY: &str = "xq-shop.addresses";
const VERSION: u32 = 1;
/// How many addresses the book keeps, most recently used first.
pub const KEPT: usize = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub contact: Contact,
    pub address: Address,
    #[serde(default)]
    pub default: bool,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    addresses: Vec<SavedAddress>,
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

pub fn load() -> Vec<SavedAddress> {
    let Some(storage) = storage() else { return Vec::new() };
    let Some(text) = storage.get_item(STORAGE_KEY).ok().flatten() else { return Vec::new() };
    match serde_json::from_str::<Stored>(&text) {
        Ok(stored) if stored.version == VERSION => stored.addresses.into_iter().take(KEPT).collect(),
        _ => {
            let _ = storage.remove_item(STORAGE_KEY);
            Vec::new()
        }
    }
}

pub fn save(addresses: &[SavedAddress]) {
    if let Some(storage) = storage() {
        let stored = Stored { version: VERSION, addresses: addresses.to_vec() };
        if let Ok(text) = serde_json::to_string(&stored) {
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
    }
}

/// The book after an order went to `used`: it moves to the top (replacing
/// `edited`, the entry the shopper started from, and any identical one),
/// keeping its default mark; the book keeps [`KEPT`].
pub fn remember(
    mut book: Vec<SavedAddress>,
    edited: Option<usize>,
    contact: Contact,
    address: Address,
) -> Vec<SavedAddress> {
    let same = |s: &SavedAddress| s.contact == contact && s.address == address;
    let was_default =
        edited.and_then(|i| book.get(i)).is_some_and(|s| s.default) || book.iter().any(|s| same(s) && s.default);
    if let Some(i) = edited.filter(|&i| i < book.len()) {
        book.remove(i);
    }
    book.retain(|s| !same(s));
    let first_ever = book.is_empty();
    book.insert(0, SavedAddress { contact, address, default: was_default || first_ever });
    book.truncate(KEPT);
    book
}

/// The entry the checkout starts from: the default, else the latest.
pub fn preferred(book: &[SavedAddress]) -> Option<usize> {
    book.iter().position(|s| s.default).or((!book.is_empty()).then_some(0))
}
