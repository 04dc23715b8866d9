//! Real components mounted in headless Chromium (wasm-bindgen-test).
//! Run by scripts/test.sh: cargo test --target wasm32-unknown-unknown.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use shop_core::catalogue::{Image, Origin, ProductDetail, ProductSummary, Variant};
use storefront::cart::Cart;
use storefront::components::product_card::ProductGrid;
use storefront::components::product_detail::ProductDetailView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn image() -> Image {
    Image { src: "/images/wildflower-honey.svg".into(), width: 400, height: 400, alt: "一瓶百花蜜".into() }
}

/// A fresh element in the page for one test to mount into.
fn host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// Lets Leptos run the effects a click scheduled.
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback(&resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn product_grid_shows_each_product_with_price_link_and_sized_image() {
    let host = host();
    let products = vec![
        ProductSummary {
            slug: "jinjing-wildflower-honey".into(),
            name: "津景蜜园百花蜜".into(),
            subtitle: "五佛乡蜜蜂养殖合作社".into(),
            category: "honey".into(),
            origin: "景泰县·五佛乡".into(),
            price_fen: 6800,
            image: image(),
            in_stock: true,
        },
        ProductSummary {
            slug: "maiji-cherry".into(),
            name: "麦积大樱桃".into(),
            subtitle: "五月鲜摘".into(),
            category: "fresh-fruit".into(),
            origin: "麦积区·甘泉镇".into(),
            price_fen: 8800,
            image: image(),
            in_stock: false,
        },
    ];
    let _mounted = leptos::mount::mount_to(host.clone(), move || view! { <ProductGrid products/> });

    let cards = host.query_selector_all(".product-card").unwrap();
    assert_eq!(cards.length(), 2);
    let first: HtmlElement = cards.get(0).unwrap().unchecked_into();
    let text = first.text_content().unwrap();
    assert!(text.contains("津景蜜园百花蜜"), "{text}");
    assert!(text.contains("¥68.00"), "{text}");
    assert!(!text.contains("已售罄"), "{text}");
    let link = first.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), "/products/jinjing-wildflower-honey");
    let img = first.query_selector("img").unwrap().unwrap();
    assert_eq!(img.get_attribute("width").unwrap(), "400");
    assert_eq!(img.get_attribute("alt").unwrap(), "一瓶百花蜜");

    let second = cards.get(1).unwrap().text_content().unwrap();
    assert!(second.contains("已售罄"), "sold-out products say so: {second}");
}

#[wasm_bindgen_test]
async fn product_detail_updates_price_and_stock_when_a_variant_is_chosen() {
    let host = host();
    let product = ProductDetail {
        slug: "jingtai-red-goji".into(),
        name: "景泰红枸杞".into(),
        subtitle: "头茬果".into(),
        category: "goji-dates".into(),
        category_name: "枸杞红枣".into(),
        origin: Origin {
            region: "甘肃省白银市".into(), county: "景泰县".into(), township: "草窝滩镇".into()
        },
        producer: "景泰县枸杞种植专业合作社".into(),
        producer_slug: "jingtai-goji-coop".into(),
        description: "颗粒饱满".into(),
        story: "黄河水上了旱塬".into(),
        net_weight: "250克/袋".into(),
        shelf_life: "18个月".into(),
        storage: "阴凉干燥处".into(),
        certifications: vec!["绿色食品".into()],
        images: vec![image()],
        variants: vec![
            Variant { sku: "A".into(), label: "250克".into(), price_fen: 3990, stock: 0 },
            Variant { sku: "B".into(), label: "500克".into(), price_fen: 6990, stock: 12 },
            Variant { sku: "C".into(), label: "礼盒".into(), price_fen: 14900, stock: 3 },
        ],
        adoption: None,
    };
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        Cart::provide();
        view! { <ProductDetailView product/> }
    });

    let price = || host.query_selector(".price.large").unwrap().unwrap().text_content().unwrap();
    let stock = || host.query_selector(".stock").unwrap().unwrap().text_content().unwrap();
    // The first variant is sold out, so the page opens on the first one in stock.
    assert_eq!(price(), "¥69.90");
    assert_eq!(stock(), "库存 12 件");
    assert!(host.text_content().unwrap().contains("甘肃省白银市景泰县草窝滩镇"));
    assert_eq!(document().title(), "景泰红枸杞 · 西青区扶贫网店");

    let buttons = host.query_selector_all(".variant").unwrap();
    let gift: HtmlElement = buttons.get(2).unwrap().unchecked_into();
    gift.click();
    next_tick().await;
    assert_eq!(price(), "¥149.00");
    assert_eq!(stock(), "库存 3 件");
    assert_eq!(gift.get_attribute("aria-pressed").unwrap(), "true");

    // Two gift boxes into the cart: saved where a reload will find them.
    let button = |label: &str| -> HtmlElement {
        let all = host.query_selector_all("button").unwrap();
        (0..all.length())
            .map(|i| all.get(i).unwrap().unchecked_into::<HtmlElement>())
            .find(|b| {
                b.text_content().unwrap().trim() == label || b.get_attribute("aria-label").as_deref() == Some(label)
            })
            .unwrap_or_else(|| panic!("no button {label}"))
    };
    button("增加").click();
    next_tick().await;
    button("加入购物车").click();
    next_tick().await;
    let saved = window().local_storage().unwrap().unwrap().get_item("xq-shop.cart").unwrap().unwrap();
    assert!(saved.contains(r#""sku":"C""#) && saved.contains(r#""quantity":2"#), "{saved}");
    assert!(host.text_content().unwrap().contains("已加入购物车"));

    let sold_out: HtmlElement = buttons.get(0).unwrap().unchecked_into();
    sold_out.click();
    next_tick().await;
    assert_eq!(stock(), "已售罄，补货后可购买");
    assert!(button("加入购物车").has_attribute("disabled"), "sold-out variants cannot be added");
}

fn saved(detail: &str) -> (shop_core::order::Contact, shop_core::order::Address) {
    let contact = shop_core::order::Contact { name: "王小蜜".into(), phone: "13800138000".into() };
    (contact, shop_core::order::Address { detail: detail.into(), ..Default::default() })
}

#[wasm_bindgen_test]
fn the_address_book_keeps_the_last_five_used_first_with_the_default_mark() {
    use storefront::address_book::{preferred, remember};
    let mut book = Vec::new();
    for detail in ["1号", "2号", "3号", "4号", "5号", "6号"] {
        let (contact, address) = saved(detail);
        book = remember(book, None, contact, address);
    }
    let details: Vec<&str> = book.iter().map(|s| &*s.address.detail).collect();
    assert_eq!(details, ["6号", "5号", "4号", "3号", "2号"]);
    assert!(book.iter().all(|s| !s.default), "the first one, the default, fell off the end");
    book[2].default = true;
    let (contact, address) = saved("4号 改");
    let book = remember(book, Some(2), contact, address);
    assert_eq!(book[0].address.detail, "4号 改", "an edited entry moves up in its own place");
    assert!(book[0].default && book.len() == 5);
    assert_eq!(preferred(&book), Some(0));
}

#[wasm_bindgen_test]
fn the_address_book_survives_a_reload_and_ignores_what_it_cannot_read() {
    use storefront::address_book::{load, remember, save};
    let storage = window().local_storage().unwrap().unwrap();
    storage.set_item("xq-shop.addresses", "{not json").unwrap();
    assert!(load().is_empty());
    let (contact, address) = saved("1号");
    save(&remember(Vec::new(), None, contact, address));
    let book = load();
    assert_eq!(book.len(), 1);
    assert!(book[0].default, "the first address is the default");
    storage.set_item("xq-shop.addresses", r#"{"version":99,"addresses":[]}"#).unwrap();
    assert!(load().is_empty(), "another version is dropped");
}
