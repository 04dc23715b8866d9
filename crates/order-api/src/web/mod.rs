//! Serves the built storefront beside the API, so one process on one port is
//! the whole shop: files from `dist/` (then from the hashed files earlier
//! builds left in `ASSETS_DIR`), and `index.html` for every client-side
//! route (the SPA fallback), with its head filled in per request: the API
//! base, and for product and category pages the share card (`og:` tags),
//! since link crawlers run no script.

use crate::db;
use crate::error::ApiResult;
use crate::security::InlineCode;
use crate::AppState;
use axum::extract::{Query, Request, State};
use axum::Extension;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use tower_http::services::ServeDir;

pub fn storefront(state: AppState) -> Router {
    let app_html = any(app_html).with_state(state.clone());
    // Pages still open from an earlier build ask for its hashed files, which
    // the new dist/ no longer has: scripts/build-storefront.sh keeps them.
    let earlier_builds = files_in(&state.config.assets_dir).fallback(app_html.clone());
    let files = files_in(&state.config.static_dir).fallback(earlier_builds);
    Router::new()
        // Not the raw files: every index.html gets its head filled in.
        .route("/index.html", app_html.clone())
        .route("/admin/index.html", app_html)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

/// The files under `dir`, with their precompressed `.br`/`.gz` twins for
/// browsers that accept them. Never a directory's `index.html`: HTML always
/// goes through `app_html`, which fills in its head.
fn files_in(dir: &Path) -> ServeDir {
    ServeDir::new(dir).append_index_html_on_directories(false).precompressed_br().precompressed_gzip()
}

/// Client-side routes (`/products/jingtai-red-goji`) get the app's HTML:
/// the admin area's under `/admin`, the shop's elsewhere. A missing *file*
/// (`/old-bundle.wasm`) is a plain 404: answering it with HTML would make
/// the browser fail on a MIME mismatch instead.
async fn app_html(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    let last_segment = path.rsplit('/').next().unwrap_or("");
    if last_segment.contains('.') && last_segment != "index.html" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let is_admin = path == "/admin" || path.starts_with("/admin/");
    let file = state.config.static_dir.join(if is_admin { "admin/index.html" } else { "index.html" });
    let Ok(html) = tokio::fs::read_to_string(file).await else {
        return (StatusCode::NOT_FOUND, "storefront not built: run scripts/run.sh").into_response();
    };
    let preview = if is_admin {
        None
    } else {
        share_preview(&state, &uri).await.unwrap_or_else(|e| {
            tracing::warn!(error = ?e, path, "no share card: catalogue lookup failed");
            None
        })
    };
    let api_base = state.config.public_api_base.as_deref().unwrap_or("");
    let html = fill_head(&html, preview.as_ref(), api_base);
    let inline = Extension(inline_code(&html));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], inline, html).into_response()
}

/// What a pasted link's card shows for one page.
struct SharePreview {
    title: String,
    description: String,
    /// Open Graph type: `product` or `website`.
    kind: &'static str,
    /// An absolute image URL: crawlers do not resolve relative ones, so
    /// without `PUBLIC_ORIGIN` the card has no image.
    image: Option<String>,
}

#[derive(Deserialize)]
struct CatalogueQuery {
    category: Option<String>,
}

/// The card for a product (`/products/{slug}`) or a category
/// (`/products?category={slug}`); `None` for other pages, unknown slugs and
/// drafts, which keep `index.html`'s shop-wide card.
async fn share_preview(state: &AppState, uri: &Uri) -> ApiResult<Option<SharePreview>> {
    let path = uri.path();
    if let Some(slug) = path.strip_prefix("/products/").filter(|slug| !slug.is_empty() && !slug.contains('/')) {
        let Some(product) = db::published_product(&state.db, slug).await? else { return Ok(None) };
        let image = match (&state.config.public_origin, product.images.first()) {
            (Some(origin), Some(image)) if image.src.starts_with('/') => Some(format!("{origin}{}", image.src)),
            _ => None,
        };
        return Ok(Some(SharePreview { title: product.name, description: product.subtitle, kind: "product", image }));
    }
    let category = Query::<CatalogueQuery>::try_from_uri(uri).ok().and_then(|q| q.0.category);
    if let (true, Some(slug)) = (path == "/products", category) {
        let categories = db::categories(&state.db).await?;
        return Ok(categories.into_iter().find(|c| c.slug == slug).map(|c| SharePreview {
            title: c.name,
            description: c.blurb,
            kind: "website",
            image: None,
        }));
    }
    Ok(None)
}

/// `html` with the tags the server owns written afresh: always the API base
/// (`<meta name="xq-api-base">`); with a share preview also `<title>`, the
/// description and every `og:` tag. The new tags go where the first old one
/// stood; `index.html` must carry the API base tag for it to be filled in.
fn fill_head(html: &str, preview: Option<&SharePreview>, api_base: &str) -> String {
    let owned = |tag: &StartTag| {
        let name = tag.attribute("name").unwrap_or("");
        let property = tag.attribute("property").unwrap_or("");
        name == "xq-api-base" || (preview.is_some() && (name == "description" || property.starts_with("og:")))
    };
    let mut replaced: Vec<Range<usize>> = start_tags(html, "meta").filter(owned).map(|tag| tag.range).collect();
    let mut new_tags = String::new();
    if let Some(preview) = preview {
        let title = start_tags(html, "title").next().and_then(|tag| element_with_text(html, tag, "title"));
        let shop_name = title.as_ref().map_or("", |(_, text)| *text);
        replaced.extend(title.map(|(range, _)| range));
        new_tags = preview.tags(shop_name);
    }
    new_tags.push_str(&format!(r#"<meta name="xq-api-base" content="{}">"#, escape(api_base)));
    replaced.sort_by_key(|range| range.start);

    let mut filled = String::with_capacity(html.len() + new_tags.len());
    let mut copied_up_to = 0;
    for (i, range) in replaced.iter().enumerate() {
        filled.push_str(&html[copied_up_to..range.start]);
        if i == 0 {
            filled.push_str(&new_tags);
        }
        copied_up_to = range.end;
    }
    filled.push_str(&html[copied_up_to..]);
    filled
}

impl SharePreview {
    /// The page's tags; the shop name is `index.html`'s own title, as raw
    /// text from the file (it is ours and already valid HTML).
    fn tags(&self, shop_name: &str) -> String {
        let (title, description) = (escape(&self.title), escape(&self.description));
        let mut tags = format!(
            r#"<title>{title} · {shop_name}</title><meta name="description" content="{description}">"#
        );
        tags.push_str(&format!(r#"<meta property="og:type" content="{}">"#, self.kind));
        tags.push_str(&format!(r#"<meta property="og:title" content="{title}">"#));
        tags.push_str(&format!(r#"<meta property="og:description" content="{description}">"#));
        if let Some(image) = &self.image {
            tags.push_str(&format!(r#"<meta property="og:image" content="{}">"#, escape(image)));
        }
        tags
    }
}

/// Text made safe for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The inline scripts and styles of the HTML as sent, for the CSP.
fn inline_code(html: &str) -> InlineCode {
    let mut inline = InlineCode::default();
    for tag in start_tags(html, "script").filter(|tag| tag.attribute("src").is_none()) {
        if let Some((_, text)) = element_with_text(html, tag, "script") {
            inline.allow_script(text);
        }
    }
    for tag in start_tags(html, "style") {
        if let Some((_, text)) = element_with_text(html, tag, "style") {
            inline.allow_style(text);
        }
    }
    inline
}

/// A start tag in the HTML Trunk writes (minified, so attribute values may
/// be unquoted): where it is, and its attributes.
struct StartTag<'a> {
    range: Range<usize>,
    attributes: Vec<(&'a str, &'a str)>,
}

impl StartTag<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| *value)
    }
}

/// Every `<name …>` start tag in `html`, in order (Trunk writes tag names in
/// lowercase). Values are returned as written, entities not decoded: the
/// server only compares them with plain names like `description`.
fn start_tags<'a>(html: &'a str, name: &str) -> impl Iterator<Item = StartTag<'a>> + 'a {
    let opening = format!("<{name}");
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let start = from + html[from..].find(&opening)?;
        let after_name = start + opening.len();
        from = after_name;
        // `<meta` must not match `<metadata`.
        if !html[after_name..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
            continue;
        }
        let (attributes, length) = parse_attributes(&html[after_name..])?;
        from = after_name + length;
        return Some(StartTag { range: start..from, attributes });
    })
}

/// The attributes after a tag's name up to its `>`, and the length of that
/// text including the `>`. `None` if the tag never closes.
fn parse_attributes(tag: &str) -> Option<(Vec<(&str, &str)>, usize)> {
    let bytes = tag.as_bytes();
    let skip = |mut i: usize, unwanted: fn(u8) -> bool| {
        while i < bytes.len() && unwanted(bytes[i]) {
            i += 1;
        }
        i
    };
    let mut attributes = Vec::new();
    let mut i = 0;
    loop {
        i = skip(i, |b| b.is_ascii_whitespace() || b == b'/');
        if *bytes.get(i)? == b'>' {
            return Some((attributes, i + 1));
        }
        let name_start = i;
        i = skip(i, |b| !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')));
        let name = &tag[name_start..i];
        i = skip(i, |b| b.is_ascii_whitespace());
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i = skip(i + 1, |b| b.is_ascii_whitespace());
            match *bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let end = i + 1 + tag[i + 1..].find(quote as char)?;
                    value = &tag[i + 1..end];
                    i = end + 1;
                }
                _ => {
                    let value_start = i;
                    i = skip(i, |b| !(b.is_ascii_whitespace() || b == b'>'));
                    value = &tag[value_start..i];
                }
            }
        }
        attributes.push((name, value));
    }
}

/// For an element whose text cannot contain tags (`title`, `script`,
/// `style`): the range from its start tag through its end tag, and its text.
fn element_with_text<'a>(html: &'a str, start: StartTag, name: &str) -> Option<(Range<usize>, &'a str)> {
    let text_start = start.range.end;
    let text_end = text_start + html[text_start..].find(&format!("</{name}"))?;
    let end = text_end + html[text_end..].find('>')? + 1;
    Some((start.range.start..end, &html[text_start..text_end]))
}

/// HTML must be revalidated on every load (WeChat's X5 caches it hard), so
/// that after a deploy phones fetch the new hashed bundle names; hashed
/// assets never change and are cached for a year; other files for an hour;
/// failures not at all.
async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let policy = if is_html {
        "no-cache"
    } else if !res.status().is_success() {
        "no-store"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// Trunk names bundle files `name-<16 hex digits>[_bg].ext`.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed_asset("/storefront-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/images/jingtai-red-goji.svg"));
        assert!(!is_hashed_asset("/products/wufo-jujube"));
    }

    #[test]
    fn reads_minified_and_quoted_attributes() {
        let html = r#"<meta content=天津西青区 name=description><meta name="xq-api-base" content><metadata x>"#;
        let tags: Vec<_> = start_tags(html, "meta").collect();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].attribute("name"), Some("description"));
        assert_eq!(tags[0].attribute("content"), Some("天津西青区"));
        assert_eq!(tags[1].attribute("content"), Some(""));
        assert_eq!(&html[tags[1].range.clone()], r#"<meta name="xq-api-base" content>"#);
    }

    #[test]
    fn replaces_the_owned_tags_in_place() {
        let html = "<meta charset=utf-8><title>西青区扶贫网店</title><meta content=shop name=description>\
                    <meta content=website property=og:type><meta content name=xq-api-base><style>a{}</style>";
        let preview = SharePreview { title: "枸杞".into(), description: "宁夏".into(), kind: "product", image: None };
        assert_eq!(
            fill_head(html, Some(&preview), "http://127.0.0.1:9000"),
            "<meta charset=utf-8><title>枸杞 · 西青区扶贫网店</title><meta name=\"description\" content=\"宁夏\">\
             <meta property=\"og:type\" content=\"product\"><meta property=\"og:title\" content=\"枸杞\">\
             <meta property=\"og:description\" content=\"宁夏\">\
             <meta name=\"xq-api-base\" content=\"http://127.0.0.1:9000\"><style>a{}</style>"
        );
        // Without a preview only the API base changes.
        assert_eq!(
            fill_head(html, None, ""),
            html.replace("<meta content name=xq-api-base>", r#"<meta name="xq-api-base" content="">"#)
        );
    }
}
