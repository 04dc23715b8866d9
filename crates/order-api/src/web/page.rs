//! The app's `index.html` as a template: read and split once (again only
//! when the file changes), then filled per response.
//!
//! Trunk's release minifier strips comments and unquotes attributes, so the
//! places the server fills are elements that survive it, in this order in
//! the `<head>`: the shop-wide card (`<title>` up to the API base tag: the
//! description and `og:` tags), replaced on product and category pages; and
//! `<meta name="xq-api-base">`, written with `PUBLIC_API_BASE` on every page;
//! and in the `<body>`, everything before its first `<script>`: the
//! skeleton (`#boot`), replaced by the server-rendered page where there is
//! one. The inline scripts and styles are in the parts that never change, so
//! their CSP hashes are computed once, when the file is read.

use super::render::RenderedPage;
use super::share_card::{escape, ShareCard};
use crate::security::InlineCode;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// One page file, split at the places the server fills.
pub struct PageTemplate {
    /// Everything before the shop-wide card.
    before_card: String,
    /// The shop-wide card as the file has it (`<title>` … the `og:` tags).
    card: String,
    /// The text of the file's `<title>`: the shop's name.
    shop_name: String,
    /// From the API base tag to the skeleton.
    before_skeleton: String,
    /// The `<body>`'s content before its first script: `#boot`, the page's
    /// stand-in until the wasm mounts.
    skeleton: String,
    /// The skeleton's message for an engine that cannot run the app, kept
    /// (hidden) in a server-rendered page too.
    boot_failed: String,
    /// Everything after the skeleton.
    after_skeleton: String,
    /// The CSP hashes of the file's inline scripts and styles.
    pub inline: InlineCode,
}

const API_BASE_TAG: &str = "xq-api-base";

impl PageTemplate {
    pub fn parse(html: &str) -> Result<PageTemplate, String> {
        let api_base = find_outside_comments(html, API_BASE_TAG).ok_or("no <meta name=xq-api-base> tag")?;
        let api_base_start = html[..api_base].rfind('<').ok_or("xq-api-base outside a tag")?;
        let api_base_end = api_base + html[api_base..].find('>').ok_or("the xq-api-base tag never closes")? + 1;
        if !html[api_base_start..].starts_with("<meta") {
            return Err("xq-api-base names something other than a <meta>".into());
        }
        let title_start = find_outside_comments(html, "<title").ok_or("no <title>")?;
        let title_text = title_start + html[title_start..].find('>').ok_or("<title never closes")? + 1;
        let title_end = title_text + html[title_text..].find("</title>").ok_or("no </title>")?;
        if title_end > api_base_start {
            return Err("the <title> must come before <meta name=xq-api-base>".into());
        }
        // A page with no body or no script in it has an empty skeleton at its end.
        let (skeleton_start, skeleton_end) = skeleton(html, api_base_end).unwrap_or((html.len(), html.len()));
        let skeleton = &html[skeleton_start..skeleton_end];
        let boot_failed = skeleton.find("boot-failed").and_then(|at| {
            let start = skeleton[..at].rfind("<p")?;
            Some(&skeleton[start..at + skeleton[at..].find("</p>")? + 4])
        });
        Ok(PageTemplate {
            before_card: html[..title_start].to_owned(),
            card: html[title_start..api_base_start].to_owned(),
            shop_name: html[title_text..title_end].to_owned(),
            before_skeleton: html[api_base_end..skeleton_start].to_owned(),
            skeleton: skeleton.to_owned(),
            boot_failed: boot_failed.unwrap_or_default().to_owned(),
            after_skeleton: html[skeleton_end..].to_owned(),
            inline: inline_code(html),
        })
    }

    /// The page, with its head's card (`card`'s, else the shop-wide one
    /// under `title` if given), the API's address, and a server-rendered
    /// page in place of the skeleton if given (with `lang` on `<html>`).
    pub fn render(&self, head: Head, api_base: &str, body: Option<&RenderedPage>) -> String {
        let card = match head.card {
            Some(card) => card.tags(&self.shop_name),
            None => match head.title {
                Some(title) => {
                    let after_title = self.card.find("</title>").map_or("", |end| &self.card[end + "</title>".len()..]);
                    ["<title>", &escape(title), "</title>", after_title].concat()
                }
                None => self.card.clone(),
            },
        };
        let api_base = format!(r#"<meta name="{API_BASE_TAG}" content="{}">"#, escape(api_base));
        // The data blocks stay when the app replaces #boot: it reads them as it renders.
        let body =
            body.map(|page| [r#"<div id="boot">"#, &self.boot_failed, &page.markup, "</div>", &page.data].concat());
        let before_card = match head.lang {
            Some(lang) if lang != "zh-CN" => self.before_card.replacen("zh-CN", lang, 1),
            _ => self.before_card.clone(),
        };
        [
            &before_card,
            &card,
            &api_base,
            &self.before_skeleton,
            body.as_deref().unwrap_or(&self.skeleton),
            &self.after_skeleton,
        ]
        .concat()
    }
}

/// What a page's `<head>` says of it, beyond what the file has.
#[derive(Default)]
pub struct Head<'a> {
    /// A product's or category's share card.
    pub card: Option<&'a ShareCard>,
    /// The page's own title, for a page without a card.
    pub title: Option<&'a str>,
    /// The `<html lang>` of a server-rendered page.
    pub lang: Option<&'a str>,
}

/// Where the skeleton is: the `<body>`'s content before its first `<script`.
fn skeleton(html: &str, from: usize) -> Option<(usize, usize)> {
    let body = from + html[from..].find("<body")?;
    let start = body + html[body..].find('>')? + 1;
    Some((start, start + html[start..].find("<script")?))
}

/// Where `needle` first appears in `html` outside `<!-- … -->` (a release
/// build has none left; a development build keeps the ones that explain
/// the places).
fn find_outside_comments(html: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let found = from + html[from..].find(needle)?;
        match html[from..found].rfind("<!--").map(|i| from + i) {
            Some(comment) if html[comment..found].find("-->").is_none() => {
                from = comment + html[comment..].find("-->")? + 3;
            }
            _ => return Some(found),
        }
    }
}

/// The inline `<script>` (those without `src`) and `<style>` texts of `html`.
fn inline_code(html: &str) -> InlineCode {
    let mut inline = InlineCode::default();
    for (start_tag, text) in elements(html, "script") {
        let has_src =
            start_tag.split(|c: char| c.is_ascii_whitespace()).any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src {
            inline.allow_script(text);
        }
    }
    for (_, text) in elements(html, "style") {
        inline.allow_style(text);
    }
    inline
}

/// Each `<name …>text</name>` element of a kind whose text cannot hold
/// tags (`script`, `style`): its start tag (without `<` and `>`) and text.
fn elements<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let (open, close) = (format!("<{name}"), format!("</{name}"));
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let start = from + html[from..].find(&open)?;
        let after_name = start + open.len();
        from = after_name;
        // `<style` must not match `<stylesheet`.
        if !html[after_name..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>') {
            continue;
        }
        let text_start = after_name + html[after_name..].find('>')? + 1;
        let text_end = text_start + html[text_start..].find(&close)?;
        from = text_end;
        return Some((&html[start + 1..text_start - 1], &html[text_start..text_end]));
    })
}

/// A page file read into a template, and read again when it changes (a
/// deploy that replaces `dist/` in place).
pub struct PageFile {
    path: PathBuf,
    loaded: Mutex<Option<(SystemTime, Arc<PageTemplate>)>>,
}

impl PageFile {
    pub fn new(path: &Path) -> PageFile {
        PageFile { path: path.to_owned(), loaded: Mutex::new(None) }
    }

    /// The template, or why there is none (the file is missing or has no
    /// places to fill).
    pub async fn template(&self) -> Result<Arc<PageTemplate>, String> {
        let modified = tokio::fs::metadata(&self.path).await.and_then(|m| m.modified()).map_err(|e| e.to_string())?;
        if let Some((at, template)) = self.loaded.lock().expect("page lock").as_ref() {
            if *at == modified {
                return Ok(template.clone());
            }
        }
        let html = tokio::fs::read_to_string(&self.path).await.map_err(|e| e.to_string())?;
        let template = Arc::new(PageTemplate::parse(&html).map_err(|e| format!("{}: {e}", self.path.display()))?);
        *self.loaded.lock().expect("page lock") = Some((modified, template.clone()));
        Ok(template)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIFIED: &str =
        "<html lang=zh-CN><meta charset=utf-8><title>西青区扶贫网店</title><meta content=shop name=description>\
        <meta content=website property=og:type><meta content name=xq-api-base><style>a{}</style><body>\
        <div id=boot><main><p class=load-error hidden id=boot-failed>旧</p></main></div>\
        <script type=module>go()</script><script src=/x.js></script><stylesheet>";

    #[test]
    fn fills_the_card_and_the_api_base_in_place() {
        let page = PageTemplate::parse(MINIFIED).unwrap();
        let card = ShareCard { title: "枸杞".into(), description: "宁夏".into(), kind: "product", image: None };
        assert_eq!(
            page.render(Head { card: Some(&card), ..Head::default() }, "http://127.0.0.1:9000", None),
            "<html lang=zh-CN><meta charset=utf-8><title>枸杞 · 西青区扶贫网店</title><meta name=\"description\" content=\"宁夏\">\
             <meta property=\"og:type\" content=\"product\"><meta property=\"og:title\" content=\"枸杞\">\
             <meta property=\"og:description\" content=\"宁夏\">\
             <meta name=\"xq-api-base\" content=\"http://127.0.0.1:9000\"><style>a{}</style><body>\
             <div id=boot><main><p class=load-error hidden id=boot-failed>旧</p></main></div>\
             <script type=module>go()</script><script src=/x.js></script><stylesheet>"
        );
        // Without a card only the API base changes.
        assert_eq!(
            page.render(Head::default(), "", None),
            MINIFIED.replace("<meta content name=xq-api-base>", r#"<meta name="xq-api-base" content="">"#)
        );
    }

    #[test]
    fn a_rendered_page_replaces_the_skeleton_and_names_itself() {
        let page = PageTemplate::parse(MINIFIED).unwrap();
        let head = Head { title: Some("About <us>"), lang: Some("en"), ..Head::default() };
        let rendered = RenderedPage {
            markup: "<main>page</main>".into(),
            data: "<script type=\"application/json\">1</script>".into(),
            title: None,
            not_found: false,
        };
        assert_eq!(
            page.render(head, "", Some(&rendered)),
            "<html lang=en><meta charset=utf-8><title>About &lt;us&gt;</title><meta content=shop name=description>\
             <meta content=website property=og:type><meta name=\"xq-api-base\" content=\"\"><style>a{}</style><body>\
             <div id=\"boot\"><p class=load-error hidden id=boot-failed>旧</p><main>page</main></div>\
             <script type=\"application/json\">1</script>\
             <script type=module>go()</script><script src=/x.js></script><stylesheet>"
        );
    }

    #[test]
    fn hashes_only_inline_code() {
        let page = PageTemplate::parse(MINIFIED).unwrap();
        let mut expected = InlineCode::default();
        expected.allow_script("go()");
        expected.allow_style("a{}");
        assert_eq!(format!("{:?}", page.inline), format!("{expected:?}"));
    }

    #[test]
    fn places_named_in_comments_are_not_the_places() {
        let html = "<!-- from <title> to xq-api-base --><title>店</title><meta name=\"xq-api-base\" content=\"\"><body><p><script>";
        let page = PageTemplate::parse(html).unwrap();
        assert_eq!(page.render(Head::default(), "x", None), html.replace("content=\"\"", "content=\"x\""));
    }

    #[test]
    fn refuses_a_page_without_its_places() {
        assert!(PageTemplate::parse("<title>x</title>").is_err());
        assert!(PageTemplate::parse("<meta name=xq-api-base><title>x</title>").is_err());
    }
}
