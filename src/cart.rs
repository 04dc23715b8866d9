//! The shopper's cart: one signal, provided as context, saved to
//! `localStorage` under a versioned key and kept in step across tabs.
//!
//! Stored data is never trusted: anything unreadable, from another version,
//! or out of range is dropped quietly. Prices here are only what the shopper
//! last saw; the cart and checkout pages ask the server (`/api/quote`) for
//! the real ones and say so when they changed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_core::adoption::AdoptionChoice;
use shop_core::order::{OrderItem, MAX_LINES};
use shop_core::validate::MAX_QUANTITY;

const STORAGE_KEY: &str = "xq-shop.cart";
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub sku: String,
    pub slug: String,
    pub name: String,
    pub label: String,
    pub image: String,
    /// The price shown when the line was added.
    pub unit_price_fen: i64,
    pub quantity: i64,
    /// Stock when last seen, so the stepper cannot go past it.
    pub stock: i64,
    /// For a hive adoption: the name and hive chosen (the quantity stays 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionChoice>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    lines: Vec<CartLine>,
}

#[derive(Clone, Copy)]
pub struct Cart {
    lines: RwSignal<Vec<CartLine>>,
}

/// The cart from context (provided once by the app shell).
pub fn use_cart() -> Cart {
    expect_context()
}

impl Cart {
    /// Loads the saved cart, provides it as context, and keeps storage in step.
    pub fn provide() -> Cart {
        let cart = Cart { lines: RwSignal::new(load()) };
        provide_context(cart);
        Effect::new(move |_| cart.lines.with(|lines| save(lines)));
        // Another tab changed the cart: take its version (a browser's only).
        #[cfg(not(feature = "ssr"))]
        {
            let listener = window_event_listener(leptos::ev::storage, move |event| {
                if event.key().as_deref() == Some(STORAGE_KEY) {
                    let fresh = load();
                    if cart.lines.with_untracked(|lines| *lines != fresh) {
                        cart.lines.set(fresh);
                    }
                }
            });
            on_cleanup(move || listener.remove());
        }
        cart
    }

    pub fn lines(&self) -> Vec<CartLine> {
        self.lines.get()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.with(Vec::is_empty)
    }

    /// Units in the cart, for the header badge.
    pub fn count(&self) -> i64 {
        self.lines.with(|lines| lines.iter().map(|l| l.quantity).sum())
    }

    /// What to send to the API.
    pub fn items(&self) -> Vec<OrderItem> {
        self.lines.with(|lines| {
            lines
                .iter()
                .map(|l| OrderItem { sku: l.sku.clone(), quantity: l.quantity, adoption: l.adoption.clone() })
                .collect()
        })
    }

    /// Adds `line` (or more of it, if it is already in the cart), capped at
    /// the stock and the per-order maximum. An adoption is one hive per
    /// order: adding it again replaces the earlier choice.
    pub fn add(&self, line: CartLine) {
        self.lines.update(|lines| match lines.iter().position(|l| l.sku == line.sku) {
            Some(i) if line.adoption.is_some() => lines[i] = line,
            Some(i) => {
                let existing = &mut lines[i];
                existing.quantity = cap(existing.quantity + line.quantity, line.stock);
                existing.stock = line.stock;
                existing.unit_price_fen = line.unit_price_fen;
            }
            None if lines.len() < MAX_LINES => {
                let quantity = cap(line.quantity, line.stock);
                lines.push(CartLine { quantity, ..line });
            }
            None => {}
        });
    }

    pub fn set_quantity(&self, sku: &str, quantity: i64) {
        self.lines.update(|lines| {
            if let Some(line) = lines.iter_mut().find(|l| l.sku == sku && l.adoption.is_none()) {
                line.quantity = cap(quantity, line.stock);
            }
        });
    }

    /// Removes a line, returning it and its position so it can be put back.
    pub fn remove(&self, sku: &str) -> Option<(usize, CartLine)> {
        let mut removed = None;
        self.lines.update(|lines| {
            if let Some(i) = lines.iter().position(|l| l.sku == sku) {
                removed = Some((i, lines.remove(i)));
            }
        });
        removed
    }

    /// Puts back a line removed by [`Cart::remove`] (the "undo").
    pub fn restore(&self, position: usize, line: CartLine) {
        self.lines.update(|lines| {
            if !lines.iter().any(|l| l.sku == line.sku) {
                lines.insert(position.min(lines.len()), line);
            }
        });
    }

    /// Takes the server's current stock for a line (only if it changed, so
    /// pages that react to the cart do not loop).
    pub fn update_stock(&self, sku: &str, stock: i64) {
        self.update_line(sku, |line| line.stock != stock, |line| line.stock = stock);
    }

    /// The shopper has seen that a price changed: remember the new one.
    pub fn accept_price(&self, sku: &str, unit_price_fen: i64) {
        self.update_line(
            sku,
            |line| line.unit_price_fen != unit_price_fen,
            |line| line.unit_price_fen = unit_price_fen,
        );
    }

    fn update_line(&self, sku: &str, differs: impl Fn(&CartLine) -> bool, change: impl FnOnce(&mut CartLine)) {
        let needed = self.lines.with_untracked(|lines| lines.iter().any(|l| l.sku == sku && differs(l)));
        if needed {
            self.lines.update(|lines| {
                if let Some(line) = lines.iter_mut().find(|l| l.sku == sku) {
                    change(line);
                }
            });
        }
    }

    pub fn clear(&self) {
        self.lines.set(Vec::new());
    }
}

fn cap(quantity: i64, stock: i64) -> i64 {
    quantity.min(stock).clamp(1, MAX_QUANTITY)
}

fn storage() -> Option<web_sys::Storage> {
    // The server renders every page with an empty cart: the badge's figure
    // arrives with the wasm (its width is reserved).
    if cfg!(feature = "ssr") {
        return None;
    }
    // WeChat's web view may refuse storage; the cart then lives in memory.
    window().local_storage().ok().flatten()
}

fn load() -> Vec<CartLine> {
    let Some(storage) = storage() else { return Vec::new() };
    let Some(text) = storage.get_item(STORAGE_KEY).ok().flatten() else { return Vec::new() };
    match serde_json::from_str::<Stored>(&text) {
        Ok(stored) if stored.version == VERSION => sanitize(stored.lines),
        // Corrupt, foreign or from another version: start afresh, quietly.
        _ => {
            let _ = storage.remove_item(STORAGE_KEY);
            Vec::new()
        }
    }
}

/// Keeps only lines that make sense: known shape, sane numbers, no duplicates.
fn sanitize(lines: Vec<CartLine>) -> Vec<CartLine> {
    let mut clean: Vec<CartLine> = Vec::new();
    for line in lines {
        let sane = !line.sku.is_empty()
            && (1..=MAX_QUANTITY).contains(&line.quantity)
            && (line.adoption.is_none() || line.quantity == 1)
            && line.unit_price_fen > 0
            && !clean.iter().any(|l| l.sku == line.sku);
        if sane && clean.len() < MAX_LINES {
            clean.push(line);
        }
    }
    clean
}

fn save(lines: &[CartLine]) {
    if let Some(storage) = storage() {
        let stored = Stored { version: VERSION, lines: lines.to_vec() };
        if let Ok(text) = serde_json::to_string(&stored) {
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
    }
}
