use crate::api::{self, ApiError};
use crate::app::set_page_title;
use crate::cart::{use_cart, CartLine};
use crate::components::load_error::LoadError;
use crate::components::quantity::QuantityStepper;
use crate::i18n::texts;
use crate::messages::field_error;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shop_core::adoption::{self, AdoptionChoice, AdoptionPlan};
use shop_core::catalogue::ProductDetail;
use shop_core::format_fen;
use shop_core::validate::MAX_QUANTITY;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = LocalResource::new(move || {
        let slug = params.with(|p| p.get("slug").unwrap_or_default());
        async move { api::product(&slug).await }
    });
    view! {
        <Suspense fallback=|| view! { <div class="product-skeleton" aria-busy="true" aria-label=texts().loading></div> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(product) => view! { <ProductDetailView product/> }.into_any(),
                    Err(ApiError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(error) => view! { <LoadError error on_retry=move |_| product.refetch()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A product as shoppers see it: images, variant choice with its price and
/// stock, and the label facts (origin, producer, net content, shelf life,
/// storage) food buyers in China expect.
#[component]
pub fn ProductDetailView(product: ProductDetail) -> impl IntoView {
    let t = texts();
    set_page_title(&product.name);
    let variants = StoredValue::new(product.variants);
    // Start on the first variant that is in stock.
    let first_available = variants.with_value(|v| v.iter().position(|v| v.stock > 0).unwrap_or(0));
    let selected = RwSignal::new(first_available);
    let current = move || variants.with_value(|v| v.get(selected.get()).cloned());
    let origin = [product.origin.region.as_str(), &product.origin.county, &product.origin.township].concat();
    let cart = use_cart();
    let quantity = RwSignal::new(1_i64);
    let added = RwSignal::new(false);
    let stock = move || current().map_or(0, |v| v.stock);
    // What the cart needs to show the line without another request.
    let line_of = {
        let (slug, name) = (product.slug.clone(), product.name.clone());
        let image = product.images.first().map(|i| i.src.clone()).unwrap_or_default();
        move |adoption: Option<AdoptionChoice>| {
            current().map(|v| CartLine {
                sku: v.sku,
                slug: slug.clone(),
                name: name.clone(),
                label: v.label,
                image: image.clone(),
                unit_price_fen: v.price_fen,
                quantity: if adoption.is_some() { 1 } else { quantity.get_untracked() },
                stock: v.stock,
                adoption,
            })
        }
    };
    let add_to_cart = Callback::new(move |adoption: Option<AdoptionChoice>| {
        if let Some(line) = line_of(adoption) {
            cart.add(line);
            added.set(true);
        }
    });

    view! {
        <article class="product-detail">
            <div class="product-images">
                {product.images.into_iter().map(|img| view! {
                    <img src=img.src alt=img.alt width=img.width.to_string() height=img.height.to_string() decoding="async"/>
                }).collect_view()}
            </div>
            <div class="product-info">
                <p class="breadcrumb"><a href=["/products?category=", &product.category].concat()>{product.category_name}</a></p>
                <h1>{product.name}</h1>
                <p class="product-subtitle">{product.subtitle}</p>
                <ul class="labels">
                    {product.certifications.into_iter().map(|c| view! { <li class="badge">{c}</li> }).collect_view()}
                </ul>
                <p class="price large" aria-live="polite">{move || current().map(|v| format_fen(v.price_fen))}</p>

                <fieldset class="variants">
                    <legend>{t.variants}</legend>
                    {variants.with_value(|list| list.iter().enumerate().map(|(i, v)| {
                        let label = v.label.clone();
                        let sold_out = v.stock <= 0;
                        view! {
                            <button type="button" class="variant" aria-pressed=move || (selected.get() == i).to_string()
                                on:click=move |_| { selected.set(i); quantity.set(1); added.set(false); }>
                                {label}
                                {sold_out.then(|| view! { <span class="muted">{t.variant_sold_out}</span> })}
                            </button>
                        }
                    }).collect_view())}
                </fieldset>
                <p class="stock">{move || current().map(|v| if v.stock > 0 { (t.in_stock)(v.stock) } else { t.sold_out_until_restock.to_owned() })}</p>

                {match product.adoption {
                    Some(plan) => view! { <AdoptionForm plan slug=product.slug.clone() add_to_cart/> }.into_any(),
                    None => view! {
                        <div class="buy-bar">
                            <QuantityStepper value=quantity max=Signal::derive(move || stock().min(MAX_QUANTITY)) label=t.purchase_quantity
                                on_change=move |n: i64| quantity.set(n.max(1))/>
                            <button type="button" class="button" disabled=move || { stock() <= 0 }
                                on:click=move |_| add_to_cart.run(None)>
                                {t.add_to_cart}
                            </button>
                        </div>
                    }.into_any(),
                }}
                <p class="added" role="status">
                    {move || added.get().then(|| view! { {t.added_to_cart} <a href="/cart">{t.go_to_cart}</a> })}
                </p>
            </div>

            <section class="specs" aria-labelledby="specs-title">
                <h2 id="specs-title">{t.product_facts}</h2>
                <dl>
                    <dt>{t.origin}</dt><dd>{origin}</dd>
                    <dt>{t.producer}</dt><dd><a href=["/producers/", &product.producer_slug].concat()>{product.producer}</a></dd>
                    <dt>{t.net_weight}</dt><dd>{product.net_weight}</dd>
                    <dt>{t.shelf_life}</dt><dd>{product.shelf_life}</dd>
                    <dt>{t.storage}</dt><dd>{product.storage}</dd>
                </dl>
            </section>
            <section aria-labelledby="description-title">
                <h2 id="description-title">{t.description}</h2>
                <p>{product.description}</p>
            </section>
            <section class="story" aria-labelledby="story-title">
                <h2 id="story-title">{t.story}</h2>
                <p>{product.story}</p>
            </section>
        </article>
    }
}

/// Adopting a hive: what a season brings, a name for the hive, and which
/// hive (a free one of the shopper's choice, or the next free one).
#[component]
fn AdoptionForm(plan: AdoptionPlan, slug: String, add_to_cart: Callback<Option<AdoptionChoice>>) -> impl IntoView {
    let free = LocalResource::new(move || {
        let slug = slug.clone();
        async move { api::free_hives(&slug).await }
    });
    let name = RwSignal::new(String::new());
    let hive = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let t = texts();
    let error = move || touched.get().then(|| adoption::hive_name(&name.get()).err()).flatten().map(|e| field_error(e.code()));
    let adopt = move |_| {
        touched.set(true);
        if adoption::hive_name(&name.get_untracked()).is_ok() {
            let hive_no = hive.get_untracked().parse().ok();
            add_to_cart.run(Some(AdoptionChoice { hive_name: name.get_untracked().trim().to_owned(), hive_no }));
        }
    };
    view! {
        <section class="adoption" aria-labelledby="adoption-title">
            <h2 id="adoption-title">{t.adoption_title}</h2>
            <dl class="plan">
                <dt>{t.term}</dt><dd>{(t.term_range)(&plan.term_start, &plan.term_end)}</dd>
                <dt>{t.guaranteed_yield}</dt><dd>{plan.guaranteed_yield} {plan.yield_unit} {t.yield_all_yours}</dd>
                <dt>{t.harvests_sent}</dt><dd>{plan.harvests.join(t.list_separator)}</dd>
                <dt>{t.hive_keeper}</dt><dd>{plan.cooperative}</dd>
            </dl>
            <div class="field">
                <label for="hive-name">{t.hive_name_label}</label>
                <input id="hive-name" maxlength="12" placeholder=t.hive_name_placeholder autocomplete="off"
                    aria-invalid=move || error().is_some().to_string() aria-describedby="hive-name-error"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))
                    on:blur=move |_| touched.set(true)/>
                <p class="field-error" id="hive-name-error" aria-live="polite">{move || error()}</p>
            </div>
            <Suspense fallback=|| view! { <p class="muted">{t.checking_free_hives}</p> }>
                {move || Suspend::new(async move {
                    let numbers = free.await.map(|f| f.free).unwrap_or_default();
                    let count = numbers.len();
                    view! {
                        <div class="field">
                            <label for="hive-no">{(t.choose_hive)(count as i64)}</label>
                            <select id="hive-no" on:change=move |ev| hive.set(event_target_value(&ev))>
                                <option value="">{t.next_free_hive}</option>
                                {numbers.into_iter().map(|n| view! { <option value=n.to_string()>"No." {n}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="button" class="button" disabled={count == 0} on:click=adopt>
                            {if count == 0 { t.all_hives_adopted } else { t.adopt_hive }}
                        </button>
                    }
                })}
            </Suspense>
        </section>
    }
}
