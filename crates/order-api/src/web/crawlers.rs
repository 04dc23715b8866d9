//! What search engines and browsers ask every site for: `robots.txt` (the
//! shop's pages may be listed; the API, the admin area and the order pages,
//! which are a shopper's own, may not), `sitemap.xml` (the home page, the
//! catalogue and every published product, producer and category) and
//! `favicon.ico` (from `dist/`, see `public/favicon.ico`).

use super::share_card::escape;
use crate::error::ApiResult;
use crate::{db, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;

pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> impl IntoResponse {
    let origin = origin(&state, &headers);
    let text = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /admin\nDisallow: /cart\nDisallow: /checkout\nDisallow: /orders\n\
         Sitemap: {origin}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text)
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    let origin = origin(&state, &headers);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    let listed = db::listed_paths(&state.db).await?;
    for path in ["/".to_owned(), "/products".to_owned()].iter().chain(&listed) {
        xml.push_str(&format!("<url><loc>{}</loc></url>", escape(&[&origin, path.as_str()].concat())));
    }
    xml.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml))
}

/// `PUBLIC_ORIGIN`, or else the address the request was sent to: a sitemap's
/// addresses must be absolute.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    state.config.public_origin.clone().unwrap_or_else(|| {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
        ["http://", host].concat()
    })
}
