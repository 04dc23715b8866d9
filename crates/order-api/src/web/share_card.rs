//! Share cards: what chat apps show for a pasted link. Their crawlers run
//! no script, so the server writes a product's or category's own `<title>`,
//! description and `og:` tags into the page it returns.

use crate::db;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::Query;
use axum::http::Uri;
use serde::Deserialize;

/// What a pasted link's card shows for one page.
pub struct ShareCard {
    pub title: String,
    pub description: String,
    /// Open Graph type: `product` or `website`.
    pub kind: &'static str,
    /// An absolute image URL: crawlers do not resolve relative ones, so
    /// without `PUBLIC_ORIGIN` the card has no image.
    pub image: Option<String>,
}

#[derive(Deserialize)]
struct CatalogueQuery {
    category: Option<String>,
}

/// The card for a product (`/products/{slug}`) or a category
/// (`/products?category={slug}`); `None` for other pages, unknown slugs and
/// drafts, which keep `index.html`'s shop-wide card.
pub async fn for_page(state: &AppState, uri: &Uri) -> ApiResult<Option<ShareCard>> {
    let path = uri.path();
    if let Some(slug) = path.strip_prefix("/products/").filter(|slug| !slug.is_empty() && !slug.contains('/')) {
        let Some(product) = db::published_product(&state.db, slug).await? else { return Ok(None) };
        let image = match (&state.config.public_origin, product.images.first()) {
            (Some(origin), Some(image)) if image.src.starts_with('/') => Some(format!("{origin}{}", image.src)),
            _ => None,
        };
        return Ok(Some(ShareCard { title: product.name, description: product.subtitle, kind: "product", image }));
    }
    let category = Query::<CatalogueQuery>::try_from_uri(uri).ok().and_then(|q| q.0.category);
    if let (true, Some(slug)) = (path == "/products", category) {
        let categories = db::categories(&state.db).await?;
        return Ok(categories.into_iter().find(|c| c.slug == slug).map(|c| ShareCard {
            title: c.name,
            description: c.blurb,
            kind: "website",
            image: None,
        }));
    }
    Ok(None)
}

impl ShareCard {
    /// The page's head tags in place of the shop-wide card; `shop_name` is
    /// `index.html`'s own title, as raw text from the file (it is ours and
    /// already valid HTML).
    pub fn tags(&self, shop_name: &str) -> String {
        let (title, description) = (escape(&self.title), escape(&self.description));
        let mut tags =
            format!(r#"<title>{title} · {shop_name}</title><meta name="description" content="{description}">"#);
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
pub fn escape(text: &str) -> String {
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
