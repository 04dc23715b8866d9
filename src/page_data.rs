//! What a server-rendered page was made from, carried in the page so the
//! wasm's first render needs no request of its own: one
//! `<script type="application/json" data-api="/products/jingtai-red-goji">`
//! per read, keyed by the read's API path (`api::read`). A data block is
//! never executed, so the CSP needs no hash for it. `null` says "no such
//! thing" (the page is the 404).

/// The attribute naming a data block's API path.
pub const ATTRIBUTE: &str = "data-api";

/// The server's data block for `path`: `json` is the answer, `None` a 404.
pub fn block(path: &str, json: Option<&str>) -> String {
    // `<` only occurs inside JSON strings, where `\u003c` means the same; so
    // no `</script>` in a product's text can end the block early.
    let json = json.unwrap_or("null").replace('<', "\\u003c");
    let path = path.replace('&', "&amp;").replace('"', "&quot;");
    [r#"<script type="application/json" "#, ATTRIBUTE, r#"=""#, &path, r#"">"#, &json, "</script>"].concat()
}

/// What the server put in the page for one read.
pub enum Block {
    /// The answer, as JSON.
    Answer(String),
    /// There is no such thing: the page is the 404.
    NotFound,
}

/// In the browser: the server's block for `path`, taken once (asking again,
/// as a reload or a later visit does, goes to the API).
pub fn take(path: &str) -> Option<Block> {
    use wasm_bindgen::JsCast;
    let blocks = leptos::prelude::document().query_selector_all(&["script[", ATTRIBUTE, "]"].concat()).ok()?;
    let block = (0..blocks.length())
        .filter_map(|i| blocks.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|block| block.get_attribute(ATTRIBUTE).as_deref() == Some(path))?;
    block.remove();
    Some(match block.text_content().unwrap_or_default() {
        text if text == "null" => Block::NotFound,
        json => Block::Answer(json),
    })
}
