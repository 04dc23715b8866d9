//! The interface's words, one catalogue per language: `zh.rs` (the default)
//! and `en.rs`. Each is a `Texts` value with one field per string, so a
//! string missing from either catalogue does not compile.
//!
//! Product, producer and category content is the shop's own (Chinese, from
//! the API) and is shown as written; so are province names, which the
//! server checks as they are. Prices stay `¥68.00` in both languages.
//!
//! The chosen language is a signal in context ([`Language`]), saved in a
//! cookie the server reads too (`?lang=en` chooses it from a link). The app
//! shell re-renders the page when it changes, so components read their texts
//! once, at the top: `let t = texts();`.

mod en;
mod zh;

use leptos::prelude::*;

/// The cookie that holds the choice: the server renders the first screen in
/// it, so it is the one place the choice lives.
pub const COOKIE: &str = "xq-lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Zh => &zh::ZH,
            Lang::En => &en::EN,
        }
    }

    /// The language tag for `<html lang>` and `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The tag in the cookie and in `?lang=`.
    pub fn short_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language a request asks for: `?lang=en` or `?lang=zh` in its
    /// query, else the cookie in its `Cookie` header, else Chinese. Both
    /// sides decide with this: the server from the request, the browser
    /// from `location.search` and `document.cookie`.
    pub fn requested(query: &str, cookies: &str) -> Option<Lang> {
        let query = query.trim_start_matches('?').split('&').filter_map(|pair| pair.strip_prefix("lang="));
        let cookie = cookies.split(';').filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='));
        query.chain(cookie).find_map(Lang::from_tag)
    }

    fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "en" => Some(Lang::En),
            "zh" | "zh-CN" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The shopper's language, provided as context by the shop (not by the
/// admin area, which stays in Chinese).
#[derive(Clone, Copy)]
pub struct Language(RwSignal<Lang>);

impl Language {
    /// Provides the chosen language as context and, in the browser, keeps
    /// the cookie and `<html lang>` in step with it.
    pub fn provide() {
        let language = Language(RwSignal::new(chosen()));
        provide_context(language);
        // Effects run in the browser only.
        Effect::new(move |_| {
            let lang = language.get();
            remember(lang);
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("lang", lang.tag());
            }
        });
    }

    pub fn get(&self) -> Lang {
        self.0.get()
    }

    pub fn set(&self, lang: Lang) {
        self.0.set(lang);
    }
}

/// The language to render in: on the server the one the request asked for
/// (the renderer provides it); in the browser the same rule, or a choice an
/// earlier version saved in `localStorage`.
fn chosen() -> Lang {
    #[cfg(feature = "ssr")]
    return use_context::<Lang>().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        // Where earlier versions kept the choice, read once and then removed.
        const OLD_STORAGE_KEY: &str = "xq-shop.lang";
        let search = window().location().search().unwrap_or_default();
        let cookies = document().dyn_into::<web_sys::HtmlDocument>().ok().and_then(|d| d.cookie().ok());
        Lang::requested(&search, cookies.as_deref().unwrap_or("")).unwrap_or_else(|| {
            let storage = window().local_storage().ok().flatten();
            let old = storage.as_ref().and_then(|s| s.get_item(OLD_STORAGE_KEY).ok().flatten());
            if let Some(storage) = &storage {
                let _ = storage.remove_item(OLD_STORAGE_KEY);
            }
            old.as_deref().and_then(Lang::from_tag).unwrap_or_default()
        })
    }
}

/// Saves the choice in the cookie, for a year, for every page of the shop.
fn remember(lang: Lang) {
    use wasm_bindgen::JsCast;
    let cookie = [COOKIE, "=", lang.short_tag(), "; path=/; max-age=31536000; samesite=lax"].concat();
    if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = document.set_cookie(&cookie);
    }
}

/// Two digits, for times: `7` → `07`.
fn two_digits(n: u32) -> String {
    [char::from(b'0' + (n / 10 % 10) as u8), char::from(b'0' + (n % 10) as u8)].iter().collect()
}

/// The current language's texts (Chinese where no language is provided:
/// the admin area, component tests). Inside a reactive closure this
/// subscribes to the language.
pub fn texts() -> &'static Texts {
    use_context::<Language>().map_or(Lang::Zh, |language| language.get()).texts()
}

/// Subscribes the calling closure to the language, for the shell that
/// re-renders the page in a new one.
pub fn track_language() {
    if let Some(Language(lang)) = use_context::<Language>() {
        lang.track();
    }
}

/// Every string of the shop's interface. Functions are strings with
/// figures or names in them, where the languages order words differently.
pub struct Texts {
    /// This language's name in itself, for the switch ("中文", "English").
    pub language_name: &'static str,
    pub shop_name: &'static str,

    // Header
    pub skip_to_content: &'static str,
    pub main_nav: &'static str,
    pub all_products: &'static str,
    pub find_order: &'static str,
    pub cart: &'static str,
    pub cart_count: fn(i64) -> String,

    // Shared pieces
    pub loading: &'static str,
    pub network_error: &'static str,
    pub server_error: &'static str,
    /// The failed request's id, for the shopper to quote.
    pub request_id: fn(&str) -> String,
    /// A `429`: how many seconds until the next try.
    pub too_many_attempts: fn(u64) -> String,
    pub reload: &'static str,
    pub sold_out: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub quantity_of: fn(&str) -> String,
    pub go_shopping: &'static str,
    pub cart_empty: &'static str,
    pub subtotal: &'static str,
    pub shipping: &'static str,
    pub amount_due: &'static str,
    pub phone: &'static str,
    pub term: &'static str,
    pub term_range: fn(&str, &str) -> String,
    pub guaranteed_yield: &'static str,
    /// Joins the harvest dates of an adoption plan.
    pub list_separator: &'static str,

    // Home
    pub banner_title: &'static str,
    pub banner_text: &'static str,
    pub browse_all: &'static str,
    pub categories_title: &'static str,
    pub loading_categories: &'static str,
    pub featured_title: &'static str,

    // Impact panel
    pub impact_title: &'static str,
    pub impact_counting: &'static str,
    pub impact_none_yet: &'static str,
    pub impact_free_hives: fn(i64) -> String,
    pub impact_county: fn(&str, i64) -> String,
    pub impact_adopted_hives: fn(i64) -> String,
    pub impact_hives_free: fn(i64) -> String,
    pub impact_note: fn(i64) -> String,
    pub impact_unavailable: &'static str,

    // Catalogue
    pub search_products: &'static str,
    pub search_placeholder: &'static str,
    pub sort: &'static str,
    pub sort_featured: &'static str,
    pub sort_price_asc: &'static str,
    pub sort_price_desc: &'static str,
    pub sort_newest: &'static str,
    pub filter_by_category: &'static str,
    pub all_categories: &'static str,
    pub no_results: &'static str,
    pub result_count: fn(i64) -> String,
    pub pages: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,

    // Product
    pub variants: &'static str,
    pub variant_sold_out: &'static str,
    pub in_stock: fn(i64) -> String,
    pub sold_out_until_restock: &'static str,
    pub purchase_quantity: &'static str,
    pub add_to_cart: &'static str,
    pub added_to_cart: &'static str,
    pub go_to_cart: &'static str,
    pub product_facts: &'static str,
    pub origin: &'static str,
    pub producer: &'static str,
    pub net_weight: &'static str,
    pub shelf_life: &'static str,
    pub storage: &'static str,
    pub description: &'static str,
    pub story: &'static str,

    // Hive adoption (product page)
    pub adoption_title: &'static str,
    pub yield_all_yours: &'static str,
    pub harvests_sent: &'static str,
    pub hive_keeper: &'static str,
    pub hive_name_label: &'static str,
    pub hive_name_placeholder: &'static str,
    pub checking_free_hives: &'static str,
    pub choose_hive: fn(i64) -> String,
    pub next_free_hive: &'static str,
    pub all_hives_adopted: &'static str,
    pub adopt_hive: &'static str,

    // Producer
    pub producer_province: &'static str,
    pub on_sale: &'static str,

    // Cart
    pub removed: fn(&str) -> String,
    pub undo: &'static str,
    pub checking_prices: &'static str,
    pub line_unavailable: &'static str,
    pub line_sold_out: &'static str,
    pub line_only_left: fn(i64) -> String,
    pub cart_hive: fn(&str, Option<i64>) -> String,
    pub price_changed: fn(&str, &str) -> String,
    pub got_it: &'static str,
    pub remove: &'static str,
    pub shipping_estimated: &'static str,
    pub free_shipping: &'static str,
    pub total: &'static str,
    pub shipping_rule: &'static str,
    pub fix_problems_first: &'static str,
    pub go_checkout: &'static str,

    // Checkout
    pub checkout: &'static str,
    pub confirm_order: &'static str,
    pub consignee: &'static str,
    pub address: &'static str,
    pub district: &'static str,
    pub detail: &'static str,
    pub detail_placeholder: &'static str,
    pub region: &'static str,
    pub choose_region: &'static str,
    pub please_choose: &'static str,
    pub region_search: &'static str,
    pub region_search_placeholder: &'static str,
    pub no_region_match: &'static str,
    pub region_loading: &'static str,
    pub region_failed: &'static str,
    pub district_not_listed: &'static str,
    pub district_unlisted_hint: &'static str,
    pub district_to_check: &'static str,
    pub close: &'static str,
    pub smart_fill: &'static str,
    pub smart_fill_placeholder: &'static str,
    pub smart_fill_button: &'static str,
    pub smart_fill_done: &'static str,
    pub saved_addresses: &'static str,
    pub use_address: &'static str,
    pub make_default: &'static str,
    pub default_address: &'static str,
    pub error_unknown_city: &'static str,
    pub error_unknown_district: &'static str,
    pub error_code_mismatch: &'static str,
    pub smart_fill_missing: fn(&str) -> String,
    pub postal_code: &'static str,
    pub note_optional: &'static str,
    pub invoice: &'static str,
    pub invoice_none: &'static str,
    pub invoice_personal: &'static str,
    pub invoice_company: &'static str,
    pub invoice_title: &'static str,
    pub tax_id: &'static str,
    pub order_amount: &'static str,
    pub calculating_shipping: &'static str,
    pub shipping_unknown: &'static str,
    pub submitting: &'static str,
    pub submit_order: &'static str,
    pub cart_quantity_wrong: &'static str,
    pub cart_lines_wrong: &'static str,
    pub fix_and_resubmit: &'static str,
    pub order_out_of_stock: fn(i64) -> String,
    pub hive_taken: fn(i64) -> String,
    pub order_price_changed: fn(&str) -> String,
    pub order_failed: &'static str,
    pub order_maybe_not_sent: &'static str,
    /// The server was too slow to answer: the order may have been placed.
    pub order_submit_unsure: &'static str,

    // Order page and lookup
    pub order_placed: &'static str,
    pub order_details: &'static str,
    pub next_steps_status: &'static str,
    pub next_steps_contact: &'static str,
    pub next_steps_keep_number: &'static str,
    pub continue_shopping: &'static str,
    pub enter_order_no: &'static str,
    pub enter_order_phone: &'static str,
    pub order_not_found: &'static str,
    pub order_no: &'static str,
    pub order_no_placeholder: &'static str,
    pub look_up: &'static str,

    // Paying an order
    pub pay_now: &'static str,
    pub pay_again: &'static str,
    pub opening_payment: &'static str,
    /// The deadline, on the shop's clock (month, day, hour, minute), and
    /// the hours and minutes left until it.
    pub pay_by: fn(u32, u32, u32, u32, i64, i64) -> String,
    pub checking_payment: &'static str,
    pub payment_cancelled: &'static str,
    pub payment_failed: &'static str,
    pub payment_not_confirmed: &'static str,
    pub scan_to_pay: &'static str,
    pub open_in_wechat: &'static str,
    pub qr_alt: &'static str,
    pub payment_unavailable: &'static str,
    pub payment_expired: &'static str,
    pub paid_thanks: &'static str,
    pub paid_by_wechat: &'static str,
    pub paid_by_transfer: &'static str,
    pub refunds_title: &'static str,
    /// A refund: amount, then what is happening to it.
    pub refund_line: fn(&str, &str) -> String,
    pub refund_pending: &'static str,
    pub refund_processing: &'static str,
    pub refund_succeeded: &'static str,
    pub refund_failed: &'static str,
    pub refund_manual: &'static str,

    // An order (confirmation, lookup, admin)
    pub order_heading: &'static str,
    pub order_status: &'static str,
    pub tracking_no: &'static str,
    pub cancelled_unpaid: &'static str,
    pub cancelled_by_shop: &'static str,
    pub adopted_hive: fn(i64, &str) -> String,
    pub view_certificate: &'static str,
    pub certificate_once_paid: &'static str,
    pub delivery_details: &'static str,
    pub note: &'static str,
    pub ordered_at: &'static str,
    /// A moment on the shop's clock: year, month, day, hour, minute.
    pub moment: fn(i64, u32, u32, u32, u32) -> String,

    // Order statuses
    pub status_pending_payment: &'static str,
    pub status_paid: &'static str,
    pub status_shipped: &'static str,
    pub status_completed: &'static str,
    pub status_cancelled: &'static str,

    // Adoption certificate
    pub certificate: &'static str,
    pub back_to_order: &'static str,
    pub certificate_after_payment: fn(&str) -> String,
    pub certificate_kicker: &'static str,
    pub certificate_title: &'static str,
    pub certificate_hive: fn(i64, &str) -> String,
    pub certifies: &'static str,
    pub certifies_adoption: fn(&str, i64) -> String,
    pub yield_of_honey: &'static str,
    pub planned_harvests: &'static str,
    pub delivered: &'static str,
    pub not_delivered_yet: &'static str,
    pub delivery_tracking: fn(&str) -> String,
    pub certificate_thanks: &'static str,

    // 404
    pub page_not_found: &'static str,
    pub page_not_found_text: &'static str,
    pub see_all_products: &'static str,

    // Field errors (`shop_core::validate::FieldError`), see `messages.rs`
    pub error_required: &'static str,
    pub error_too_long: &'static str,
    pub error_invalid_phone: &'static str,
    pub error_invalid_postal_code: &'static str,
    pub error_invalid_quantity: fn(i64) -> String,
    pub error_invalid_credit_code: &'static str,
    pub error_unknown_province: &'static str,
    pub error_duplicate: &'static str,
    pub error_unknown_sku: &'static str,
    pub error_inappropriate: &'static str,
    pub error_hive_taken: &'static str,
    pub error_invalid: &'static str,
    pub error_other: &'static str,
}
