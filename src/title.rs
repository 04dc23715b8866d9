//! The page title, which WeChat shows in its own bar instead of the page's.

use crate::i18n::texts;

/// Sets the title as "page · shop name" (or the shop name alone): in the
/// browser `document.title`; on the server the `<title>` of the page it sends.
pub fn set_page_title(page: &str) {
    let shop_name = texts().shop_name;
    let title = if page.is_empty() { shop_name.to_owned() } else { [page, " · ", shop_name].concat() };
    #[cfg(feature = "ssr")]
    crate::page_facts::PageFacts::record(|facts| facts.title = Some(title));
    #[cfg(not(feature = "ssr"))]
    leptos::prelude::document().set_title(&title);
}
