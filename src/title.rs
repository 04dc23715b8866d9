//! The page title, which WeChat shows in its own bar instead of the page's.

use crate::i18n::texts;
use leptos::prelude::document;

/// Sets `document.title` as "page · shop name" (or the shop name alone).
pub fn set_page_title(page: &str) {
    let shop_name = texts().shop_name;
    let title = if page.is_empty() { shop_name.to_owned() } else { [page, " · ", shop_name].concat() };
    document().set_title(&title);
}
