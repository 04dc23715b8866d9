use crate::api;
use crate::cart::{use_cart, CartLine};
use crate::components::quantity::QuantityStepper;
use crate::entry::link_rel;
use crate::i18n::texts;
use crate::messages::field_error;
use crate::title::set_page_title;
use leptos::prelude::*;
use shop_core::adoption::{self, AdoptionChoice, AdoptionPlan, MAX_HIVE_NAME};
use shop_core::catalogue::ProductDetail;
use shop_core::format_fen;
use shop_core::validate::MAX_QUANTITY;

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
    let adoptable = product.adoption.is_some();
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
    // Said next to the button that was tapped: in the bottom bar, or under an adoption's form.
    let added_note = move || {
        view! {
            <p class="added" role="status">
                {move || added.get().then(|| view! { {t.added_to_cart} <a href="/cart" rel=link_rel("/cart")>{t.go_to_cart}</a> })}
            </p>
        }
    };

    view! {
        <article class="product-detail">
            <div class="product-images">
                // The first image is the page's largest paint: fetched first.
                {product.images.into_iter().enumerate().map(|(i, img)| view! {
                    <img src=img.src alt=img.alt width=img.width.to_string() height=img.height.to_string() decoding="async"
                        fetchpriority=(i == 0).then_some("high")/>
                }).collect_view()}
            </div>
            <div class="product-info">
                <p class="breadcrumb"><a href=["/products?category=", &product.category].concat() rel=link_rel("/products")>{product.category_name}</a></p>
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
                    Some(plan) => view! { <AdoptionForm plan slug=product.slug.clone() add_to_cart/> {added_note()} }.into_any(),
                    None => view! {
                        <QuantityStepper value=quantity max=Signal::derive(move || stock().min(MAX_QUANTITY)) label=t.purchase_quantity
                            on_change=move |n: i64| quantity.set(n.max(1))/>
                    }.into_any(),
                }}
            </div>

            <section class="specs" aria-labelledby="specs-title">
                <h2 id="specs-title">{t.product_facts}</h2>
                <dl>
                    <dt>{t.origin}</dt><dd>{origin}</dd>
                    <dt>{t.producer}</dt><dd><a href=["/producers/", &product.producer_slug].concat() rel=link_rel("/producers/")>{product.producer}</a></dd>
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

            // Last in the page, so it can stick to the bottom of the screen
            // the whole way down. (An adoption is bought from its form.)
            {(!adoptable).then(|| view! {
                <div class="bottom-bar buy-bar">
                    {added_note()}
                    <span class="price">{move || current().map(|v| format_fen(v.price_fen))}</span>
                    <button type="button" class="button" disabled=move || { stock() <= 0 }
                        on:click=move |_| add_to_cart.run(None)>
                        {t.add_to_cart}
                    </button>
                </div>
            })}
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
    let error = move || touched.get().then(|| adoption::hive_name(&name.get()).err()).flatten().map(field_error);
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
                <input id="hive-name" maxlength=MAX_HIVE_NAME.to_string() placeholder=t.hive_name_placeholder autocomplete="off"
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
