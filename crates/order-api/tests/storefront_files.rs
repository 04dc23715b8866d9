//! The API process also serves the built storefront: files with the right
//! types and caching, `index.html` for client-side routes with its head
//! filled in (share cards, the API base), precompressed bodies when the
//! browser accepts them, hashed files of earlier builds, and security
//! headers on everything.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::shop_configured;
use order_api::config::Config;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM: &str = "storefront-0123456789abcdef_bg.wasm";

/// Shaped like Trunk's minified output: unquoted attributes, the inline
/// module script that starts the wasm, the inlined stylesheet.
const INDEX_HTML: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>西青区扶贫网店</title>\
    <meta content=天津西青区的消费帮扶网店 name=description><meta content=website property=og:type>\
    <meta content=西青区扶贫网店 property=og:title><meta content=天津西青区的消费帮扶网店 property=og:description>\
    <meta content name=xq-api-base><script type=module>import init from '/storefront-0123456789abcdef.js';\
    await init();</script><style>body{color:#2f2419}</style><body><script>addEventListener('error',()=>{})</script>";

fn write_fake_dist(dist: &Path) {
    fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    fs::write(dist.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dist.join("storefront-0123456789abcdef.js"), "console.log('hi')").unwrap();
    fs::write(dist.join("storefront-0123456789abcdef.js.br"), b"brotli bytes").unwrap();
    fs::create_dir(dist.join("images")).unwrap();
    fs::create_dir(dist.join("admin")).unwrap();
    fs::write(
        dist.join("admin/index.html"),
        "<!DOCTYPE html><title>admin</title><meta name=\"xq-api-base\" content=\"\">",
    )
    .unwrap();
    fs::create_dir(dist.join("order-app")).unwrap();
    fs::write(
        dist.join("order-app/index.html"),
        "<!DOCTYPE html><title>order pages</title><meta name=\"xq-api-base\" content=\"\">",
    )
    .unwrap();
    fs::write(dist.join("order-app/order-app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dist.join("images/honey.svg"), "<svg/>").unwrap();
    fs::write(dist.join("favicon.ico"), b"\0\0\x01\0").unwrap();
}

async fn shop_with_fake_dist() -> common::TestShop {
    shop_with_fake_dist_and(|_| {}).await
}

/// A shop serving a fake dist/, with settings changed by `configure`.
async fn shop_with_fake_dist_and(configure: impl FnOnce(&mut Config)) -> common::TestShop {
    let dist = tempfile::tempdir().unwrap().keep();
    write_fake_dist(&dist);
    shop_configured(|config| {
        config.static_dir = dist;
        configure(config);
    })
    .await
}

#[tokio::test]
async fn client_routes_get_index_html_revalidated_every_time() {
    let shop = shop_with_fake_dist().await;
    for (path, status) in [
        ("/", StatusCode::OK),
        ("/index.html", StatusCode::OK),
        ("/products", StatusCode::OK),
        ("/products/jingtai-red-goji", StatusCode::OK),
        ("/any/deep/link", StatusCode::NOT_FOUND),
    ] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, status, "{path}");
        assert!(reply.header(header::CONTENT_TYPE).starts_with("text/html"), "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
        assert!(reply.text().contains("西青区扶贫网店</title>"), "{path}");
    }
}

#[tokio::test]
async fn the_cart_checkout_and_orders_get_the_order_pages_app_with_its_files() {
    let shop = shop_with_fake_dist().await;
    for path in [
        "/cart",
        "/checkout",
        "/orders",
        "/orders/XQ7K3M9P2R4T",
        "/orders/XQ7K3M9P2R4T/certificate",
        "/order-app/index.html",
    ] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.text().contains("<title>order pages</title>"), "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache", "{path}");
    }
    let wasm = shop.get("/order-app/order-app-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header(header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    for path in ["/cartoon", "/products/cart"] {
        assert!(shop.get(path).await.text().contains("西青区扶贫网店</title>"), "{path} is the shop's");
    }
}

#[tokio::test]
async fn the_admin_area_has_its_own_app() {
    let shop = shop_with_fake_dist().await;
    for path in ["/admin", "/admin/", "/admin/index.html", "/admin/orders", "/admin/products/honey-comb-gift"] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.text().contains("<title>admin</title>"), "{path}");
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-cache");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_wasm_has_its_type() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get(&format!("/{WASM}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(reply.header(header::CACHE_CONTROL), "public, max-age=31536000, immutable");

    let image = shop.get("/images/honey.svg").await;
    assert_eq!(image.header(header::CACHE_CONTROL), "public, max-age=3600");
}

#[tokio::test]
async fn precompressed_files_are_sent_to_browsers_that_accept_them() {
    let shop = shop_with_fake_dist().await;
    let request = Request::get("/storefront-0123456789abcdef.js")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.header(header::CONTENT_ENCODING), "br");
    assert_eq!(reply.body, b"brotli bytes");
}

#[tokio::test]
async fn missing_files_are_404_not_html() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/storefront-ffffffffffffffff_bg.wasm").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_storefront() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/api/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error_code(), "not_found");
}

#[tokio::test]
async fn api_responses_are_compressed() {
    let shop = shop_with_fake_dist().await;
    let request = Request::get("/api/products").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), "gzip");
}

// ---- Hashed files of earlier builds (ASSETS_DIR) ----

#[tokio::test]
async fn files_only_an_earlier_build_had_are_served_from_the_assets_dir() {
    let assets = tempfile::tempdir().unwrap().keep();
    let old_wasm = "storefront-fedcba9876543210_bg.wasm";
    fs::write(assets.join(old_wasm), b"\0asm\x01\0\0\0").unwrap();
    fs::write(assets.join(format!("{old_wasm}.br")), b"brotli bytes").unwrap();
    let shop = shop_with_fake_dist_and(|config| config.assets_dir = assets).await;

    let reply = shop.get(&format!("/{old_wasm}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(reply.header(header::CACHE_CONTROL), "public, max-age=31536000, immutable");

    let request =
        Request::get(format!("/{old_wasm}")).header(header::ACCEPT_ENCODING, "br").body(Body::empty()).unwrap();
    let reply = shop.send(request).await;
    assert_eq!(reply.header(header::CONTENT_ENCODING), "br");
    assert_eq!(reply.body, b"brotli bytes");
}

/// A fake Trunk build whose hashed files carry `hash`.
fn fake_build(hash: &str) -> PathBuf {
    let dist = tempfile::tempdir().unwrap().keep();
    fs::write(dist.join("index.html"), format!("<script type=module>import '/storefront-{hash}.js'</script>")).unwrap();
    fs::write(dist.join(format!("storefront-{hash}_bg.wasm")), hash).unwrap();
    fs::write(dist.join(format!("storefront-{hash}.js")), hash).unwrap();
    dist
}

/// Runs scripts/publish-assets.sh on `dist`, as scripts/build-storefront.sh does after each build.
fn publish(dist: &Path, assets: &Path, keep_builds: u32) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/publish-assets.sh");
    let status = Command::new(script)
        .arg(dist)
        .env("ASSETS_DIR", assets)
        .env("ASSETS_KEEP_BUILDS", keep_builds.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn after_a_new_build_the_previous_builds_wasm_is_still_served_until_pruned() {
    let assets = tempfile::tempdir().unwrap().keep();
    let builds = ["1111111111111111", "2222222222222222", "3333333333333333"].map(fake_build);
    publish(&builds[0], &assets, 2);
    publish(&builds[1], &assets, 2);
    let dist = builds[1].clone();
    let shop = shop_configured(|config| {
        config.static_dir = dist;
        config.assets_dir = assets.clone();
    })
    .await;
    let previous = shop.get("/storefront-1111111111111111_bg.wasm").await;
    assert_eq!(previous.status, StatusCode::OK);
    assert_eq!(previous.body, b"1111111111111111");
    assert_eq!(previous.header(header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    assert!(!assets.join("index.html").exists(), "index.html is never kept");

    // A third build with two kept: the first build's files go.
    publish(&builds[2], &assets, 2);
    assert!(!assets.join("storefront-1111111111111111_bg.wasm").exists());
    assert!(assets.join("storefront-2222222222222222_bg.wasm").exists());
    assert_eq!(shop.get("/storefront-1111111111111111_bg.wasm").await.status, StatusCode::NOT_FOUND);
}

// ---- The head of index.html: share cards and the API base ----

/// The `content` of the first `<meta>` with this name or property, in the
/// quoted form the server writes.
fn meta(html: &str, key: &str) -> Option<String> {
    let marker = format!("=\"{key}\" content=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

#[tokio::test]
async fn product_pages_carry_their_own_share_card() {
    let shop = shop_with_fake_dist_and(|config| config.public_origin = Some("https://shop.example.cn".into())).await;
    let html = shop.get("/products/goji-blossom-honey").await.text();
    assert!(html.contains("<title>枸杞花蜜 · 西青区扶贫网店</title>"), "{html}");
    assert_eq!(meta(&html, "og:title").as_deref(), Some("枸杞花蜜"));
    assert_eq!(meta(&html, "og:description").as_deref(), Some("枸杞花期限定 · 琥珀色浓郁蜜"));
    assert_eq!(meta(&html, "description").as_deref(), Some("枸杞花期限定 · 琥珀色浓郁蜜"));
    assert_eq!(meta(&html, "og:type").as_deref(), Some("product"));
    assert_eq!(meta(&html, "og:image").as_deref(), Some("https://shop.example.cn/images/goji-honey.svg"));
    // The shop-wide tags are replaced, not repeated.
    assert_eq!(html.matches("<title>").count(), 1);
    assert_eq!(html.matches("og:title").count(), 1);
    assert!(!html.contains("天津西青区的消费帮扶网店"));
}

#[tokio::test]
async fn category_pages_carry_their_own_share_card_and_others_the_shops() {
    let shop = shop_with_fake_dist().await;
    let html = shop.get("/products?category=honey&sort=price_asc").await.text();
    assert_eq!(meta(&html, "og:title").as_deref(), Some("蜂蜜"));
    assert_eq!(meta(&html, "og:description").as_deref(), Some("五佛乡津景蜜园的合作社蜂蜜"));
    assert_eq!(meta(&html, "og:image"), None, "no absolute image URL without PUBLIC_ORIGIN");

    // Other pages keep the shop-wide card under their own title.
    for (path, title) in [
        ("/", "西青区扶贫网店"),
        ("/products", "全部商品 · 西青区扶贫网店"),
        ("/products?category=no-such-thing", "全部商品 · 西青区扶贫网店"),
        ("/products/no-such-thing", "页面不存在 · 西青区扶贫网店"),
        ("/producers/wufo", "页面不存在 · 西青区扶贫网店"),
    ] {
        let html = shop.get(path).await.text();
        let head = format!("<title>{title}</title><meta content=天津西青区的消费帮扶网店");
        assert!(html.contains(&head), "{path}: {html}");
    }
    // Drafts stay secret, in the HTML too.
    let draft = shop.get("/products/honey-comb-gift").await.text();
    assert!(!draft.contains("原蜂巢蜜礼盒"));
}

#[tokio::test]
async fn names_with_markup_are_escaped_in_the_share_card() {
    let shop = shop_with_fake_dist().await;
    sqlx::query("UPDATE products SET name = $1, subtitle = $2 WHERE slug = 'goji-blossom-honey'")
        .bind(r#"枸杞"><script>alert(1)</script>"#)
        .bind("it's <b>&</b>")
        .execute(&shop.db)
        .await
        .unwrap();
    let html = shop.get("/products/goji-blossom-honey").await.text();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("<title>枸杞&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; · 西青区扶贫网店</title>"));
    assert_eq!(meta(&html, "og:title").as_deref(), Some("枸杞&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(meta(&html, "og:description").as_deref(), Some("it&#39;s &lt;b&gt;&amp;&lt;/b&gt;"));
}

#[tokio::test]
async fn the_api_base_is_filled_into_every_index_html() {
    let shop = shop_with_fake_dist().await;
    assert_eq!(meta(&shop.get("/").await.text(), "xq-api-base").as_deref(), Some(""));

    let shop = shop_with_fake_dist_and(|config| config.public_api_base = Some("http://127.0.0.1:9000".into())).await;
    for path in ["/", "/products/goji-blossom-honey", "/products?category=honey", "/admin", "/admin/orders"] {
        let reply = shop.get(path).await;
        let html = reply.text();
        assert_eq!(meta(&html, "xq-api-base").as_deref(), Some("http://127.0.0.1:9000"), "{path}");
        assert_eq!(html.matches("xq-api-base").count(), 1, "{path}");
        let csp = reply.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:9000;"), "{path}: {csp}");
    }
}

// ---- Security headers ----

/// The policy's directives by name.
fn directives(csp: &str) -> std::collections::HashMap<&str, &str> {
    csp.split(';').filter_map(|d| d.trim().split_once(' ')).collect()
}

#[tokio::test]
async fn html_allows_exactly_its_own_inline_script_and_style() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/products/goji-blossom-honey").await;
    let csp = reply.header(header::CONTENT_SECURITY_POLICY).to_owned();
    let directives = directives(&csp);
    // sha256 of the two inline scripts and the style of INDEX_HTML, as `openssl dgst -sha256 -binary | base64` gives them.
    assert_eq!(
        directives["script-src"],
        "'self' 'wasm-unsafe-eval' 'unsafe-eval' 'sha256-/46chyQ5TxMGjAT3s4b5VUL98T1hj5sgEkOG6SZkkIM=' 'sha256-ktzfph3Uksi06rGh2aP0CFOoC66pJ5FjBuXTF+AYU1I='"
    );
    assert_eq!(directives["style-src"], "'self' 'sha256-8X6p6LenvaAOeydfKVJC3qlWmbY4NaDPX7TSJIhztiM='");
    assert_eq!(directives["default-src"], "'self'");
    assert_eq!(directives["img-src"], "'self' data:");
    assert_eq!(directives["connect-src"], "'self'");
    assert_eq!(directives["frame-ancestors"], "'self'");
    assert_eq!(directives["base-uri"], "'none'");
    assert_eq!(directives["form-action"], "'self'");
    assert_eq!(directives["object-src"], "'none'");
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let shop = shop_with_fake_dist().await;
    for path in
        ["/", "/admin", "/api/products", "/api/nothing-here", &format!("/{WASM}"), "/images/honey.svg", "/healthz"]
    {
        let reply = shop.get(path).await;
        assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        assert_eq!(reply.header(header::REFERRER_POLICY), "strict-origin-when-cross-origin", "{path}");
        let csp = reply.header(header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{path}");
    }
    // Only documents with inline code get hashes.
    let api = shop.get("/api/products").await;
    assert!(!api.header(header::CONTENT_SECURITY_POLICY).contains("sha256-"));
}

#[tokio::test]
async fn crawlers_get_a_robots_txt_a_sitemap_of_published_pages_and_a_favicon() {
    let shop = shop_with_fake_dist_and(|config| config.public_origin = Some("https://shop.example.cn".into())).await;
    let robots = shop.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    let text = robots.text();
    for line in ["Disallow: /api/", "Disallow: /admin", "Disallow: /checkout", "Disallow: /orders"] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }
    assert!(text.contains("Sitemap: https://shop.example.cn/sitemap.xml"));

    let sitemap = shop.get("/sitemap.xml").await;
    assert_eq!(sitemap.status, StatusCode::OK);
    assert!(sitemap.header(header::CONTENT_TYPE).starts_with("application/xml"));
    let xml = sitemap.text();
    for loc in ["/", "/products", "/products/jingtai-red-goji", "/products?category=honey"] {
        assert!(
            xml.contains(&format!("<loc>https://shop.example.cn{}</loc>", loc.replace('&', "&amp;"))),
            "{loc} in {xml}"
        );
    }
    assert!(xml.contains("<loc>https://shop.example.cn/producers/"), "producers listed");
    assert!(!xml.contains("honey-comb-gift"), "drafts are not listed");

    let icon = shop.get("/favicon.ico").await;
    assert_eq!(icon.status, StatusCode::OK);
}

// ---- The shop's pages, rendered by the storefront's components ----

/// The data block the server put in the page for the API path `path`.
fn data_block<'a>(html: &'a str, path: &str) -> Option<&'a str> {
    let start_tag = format!(r#"<script type="application/json" data-api="{path}">"#);
    let start = html.find(&start_tag)? + start_tag.len();
    Some(&html[start..start + html[start..].find("</script>")?])
}

#[tokio::test]
async fn a_product_page_arrives_with_its_content_and_its_data() {
    let shop = shop_with_fake_dist().await;
    let reply = shop.get("/products/jinjing-wildflower-honey").await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<h1>津景蜜园百花蜜</h1>"), "{html}");
    assert!(html.contains(r#"<p aria-live="polite" class="price large">¥68.00</p>"#), "{html}");
    assert!(html.contains("500克 × 2瓶"), "every variant is on the page");
    assert!(html.contains(r#"<img src="/images/wildflower-honey.svg""#), "{html}");
    // What the wasm renders the same page from, so it asks for nothing.
    let data = data_block(&html, "/products/jinjing-wildflower-honey").expect("the product's data block");
    let product: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(product["variants"][0]["price_fen"], 6800);
    // The skeleton is gone; the message for engines that cannot run the app stays, hidden.
    assert!(!html.contains("<div id=boot>"));
    assert!(html.contains(r#"<div id="boot">"#));
}

#[tokio::test]
async fn unknown_products_producers_and_paths_are_the_404_page() {
    let shop = shop_with_fake_dist().await;
    for path in ["/products/no-such-thing", "/producers/no-such-coop", "/no/such/page", "/products/honey-comb-gift"] {
        let reply = shop.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let html = reply.text();
        assert!(html.contains("<h1>页面不存在</h1>"), "{path}: {html}");
        assert!(!html.contains("原蜂巢蜜礼盒"), "a draft stays secret: {path}");
    }
    // The browser learns the product is missing from the page, too.
    let html = shop.get("/products/no-such-thing").await.text();
    assert_eq!(data_block(&html, "/products/no-such-thing"), Some("null"));
}

#[tokio::test]
async fn the_catalogue_home_and_producer_pages_list_their_products() {
    let shop = shop_with_fake_dist().await;
    let honey = shop.get("/products?category=honey&sort=price_asc").await.text();
    assert!(honey.contains("津景蜜园百花蜜") && honey.contains("枸杞花蜜"), "{honey}");
    assert!(!honey.contains("景泰红枸杞"), "another category's product: {honey}");
    assert!(data_block(&honey, "/products?category=honey&amp;sort=price_asc").is_some());

    let home = shop.get("/").await.text();
    assert!(home.contains("<h1 id=\"banner-title\">景泰的好物，西青人的心意</h1>"), "{home}");
    assert!(home.contains("<strong>蜂蜜</strong>"), "category shortcuts: {home}");
    assert!(home.contains("<h3 class=\"product-name\">景泰红枸杞</h3>"), "featured products: {home}");

    let producer = shop.get("/producers/wufo-bee-coop").await.text();
    assert!(producer.contains("<h1>"), "{producer}");
    assert!(producer.contains("津景蜜园百花蜜"), "its products: {producer}");
}

#[tokio::test]
async fn the_language_comes_from_the_link_or_the_cookie() {
    let shop = shop_with_fake_dist().await;
    let english = shop.get("/products?lang=en").await.text();
    assert!(english.starts_with("<!doctype html><html lang=en>"), "{english}");
    assert!(english.contains("<title>All products · "), "{english}");

    let reply = shop
        .send(Request::get("/products").header(header::COOKIE, "a=b; xq-lang=en").body(Body::empty()).unwrap())
        .await;
    assert!(reply.text().contains("<title>All products · "));
    // `?lang=` wins over the cookie: a link says what it shows.
    let reply = shop
        .send(Request::get("/products?lang=zh").header(header::COOKIE, "xq-lang=en").body(Body::empty()).unwrap())
        .await;
    assert!(reply.text().contains("<title>全部商品 · "));
}

#[tokio::test]
async fn text_with_markup_cannot_break_out_of_the_page_or_its_data() {
    let shop = shop_with_fake_dist().await;
    sqlx::query("UPDATE products SET name = $1 WHERE slug = 'goji-blossom-honey'")
        .bind("枸杞</script><script>alert(1)</script>")
        .execute(&shop.db)
        .await
        .unwrap();
    let html = shop.get("/products/goji-blossom-honey").await.text();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("<h1>枸杞&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), "{html}");
    let data = data_block(&html, "/products/goji-blossom-honey").unwrap();
    let product: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(product["name"], "枸杞</script><script>alert(1)</script>");
}

#[test]
fn the_server_keys_data_blocks_by_the_paths_the_browser_asks() {
    use storefront::api::{read, CatalogueQuery};
    // encodeURIComponent's output, byte for byte.
    assert_eq!(read::product("枸杞 a/b?c"), "/products/%E6%9E%B8%E6%9D%9E%20a%2Fb%3Fc");
    assert_eq!(read::producer("wufo-bee_coop.1!~*'()"), "/producers/wufo-bee_coop.1!~*'()");
    let query =
        CatalogueQuery {
            category: Some("honey".into()), text: "蜂蜜 & 枸杞".into(), page: 2, ..Default::default()
        };
    assert_eq!(
        read::products(&query),
        "/products?category=honey&q=%E8%9C%82%E8%9C%9C%20%26%20%E6%9E%B8%E6%9D%9E&page=2"
    );
}
