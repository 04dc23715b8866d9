use crate::api::{self, FetchError};
use crate::cart::{use_cart, CartLine};
use crate::components::load_error::LoadError;
use crate::components::quantity::QuantityStepper;
use crate::entry::link_rel;
use crate::i18n::texts;
use crate::title::set_page_title;
use leptos::prelude::*;
use shop_core::format_fen;
use shop_core::order::{LineProblem, Quote, QuoteLine, QuoteRequest};

/// The cart, priced by the server: what is in it, what changed since it
/// was added (price, stock, products taken off sale), and the total.
#[component]
pub fn CartPage() -> impl IntoView {
    let t = texts();
    set_page_title(t.cart);
    let cart = use_cart();
    // A memo, so only a change of SKUs or quantities asks for a new quote.
    let items = Memo::new(move |_| cart.items());
    let quote = LocalResource::new(move || {
        let items = items.get();
        async move {
            if items.is_empty() {
                return Ok(None);
            }
            api::quote(&QuoteRequest { items, address: None }).await.map(Some)
        }
    });
    // The line removed last, so the shopper can take it back.
    let removed = RwSignal::new(None::<(usize, CartLine)>);

    view! {
        <h1>{t.cart}</h1>
        {move || removed.get().map(|(position, line)| view! {
            <p class="notice" role="status">
                {(t.removed)(&line.name)} " "
                <button type="button" class="link-button" on:click=move |_| {
                    cart.restore(position, line.clone());
                    removed.set(None);
                }>{t.undo}</button>
            </p>
        })}
        <Show when=move || !cart.is_empty() fallback=|| view! {
            <div class="empty-cart">
                <p>{t.cart_empty}</p>
                <a class="button" href="/products" rel=link_rel("/products")>{t.go_shopping}</a>
            </div>
        }>
            <ul class="cart-lines">
                <For each=move || cart.lines() key=|l| (l.sku.clone(), l.quantity, l.unit_price_fen, l.stock) let:line>
                    <CartLineRow line quote removed/>
                </For>
            </ul>
            <Suspense fallback=|| view! { <p class="muted">{t.checking_prices}</p> }>
                {move || Suspend::new(async move {
                    match quote.await {
                        Ok(Some(q)) => view! { <CartSummary quote=q/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <LoadError error on_retry=move |_| quote.refetch()/> }.into_any(),
                    }
                })}
            </Suspense>
        </Show>
    }
}

#[component]
fn CartLineRow(
    line: CartLine,
    quote: LocalResource<Result<Option<Quote>, FetchError>>,
    /// Where a removed line goes, for the page's undo.
    removed: RwSignal<Option<(usize, CartLine)>>,
) -> impl IntoView {
    let t = texts();
    let cart = use_cart();
    let sku = StoredValue::new(line.sku.clone());
    let remove = move || removed.set(sku.with_value(|s| cart.remove(s)));
    // What the server says about this line now, once the quote arrives.
    let server_line = move || -> Option<QuoteLine> {
        quote
            .get()
            .and_then(|q| q.ok().flatten())
            .and_then(|q| sku.with_value(|s| q.lines.into_iter().find(|l| &l.line.sku == s)))
    };
    let seen_price = line.unit_price_fen;
    let notice = move || {
        let l = server_line()?;
        Some(match l.problem {
            Some(LineProblem::UnknownSku) => t.line_unavailable.to_owned(),
            Some(LineProblem::OutOfStock) if l.available == 0 => t.line_sold_out.to_owned(),
            Some(LineProblem::OutOfStock) => (t.line_only_left)(l.available),
            None => return None,
        })
    };
    let new_price = move || {
        server_line()
            .filter(|l| l.problem.is_none() && l.line.unit_price_fen != seen_price)
            .map(|l| l.line.unit_price_fen)
    };
    let quantity = line.quantity;
    let stock = line.stock;
    let href = ["/products/", &line.slug].concat();
    let label = (t.quantity_of)(&line.name);
    view! {
        <li class="cart-line">
            <img src=line.image alt="" width="72" height="72"/>
            <div class="cart-line-info">
                <a rel=link_rel(&href) href=href>{line.name.clone()}</a>
                <p class="muted">{line.label}</p>
                {line.adoption.map(|a| view! {
                    <p class="muted">{(t.cart_hive)(&a.hive_name, a.hive_no)}</p>
                })}
                <p class="price">{format_fen(line.unit_price_fen)}</p>
                {move || notice().map(|text| view! { <p class="line-notice" role="status">{text}</p> })}
                {move || new_price().map(|price| view! {
                    <p class="line-notice" role="status">
                        {(t.price_changed)(&format_fen(seen_price), &format_fen(price))} " "
                        <button type="button" class="link-button" on:click=move |_| sku.with_value(|s| cart.accept_price(s, price))>{t.got_it}</button>
                    </p>
                })}
            </div>
            <div class="cart-line-actions">
                <QuantityStepper value=Signal::derive(move || quantity) max=Signal::derive(move || stock) label
                    on_change=move |n: i64| if n < 1 { remove() } else { sku.with_value(|s| cart.set_quantity(s, n)) }/>
                <button type="button" class="link-button" on:click=move |_| remove()>{t.remove}</button>
            </div>
        </li>
    }
}

#[component]
fn CartSummary(quote: Quote) -> impl IntoView {
    let t = texts();
    let cart = use_cart();
    // Take the server's stock into the cart, so the stepper stops there.
    for line in quote.lines.iter().filter(|l| l.problem != Some(LineProblem::UnknownSku)) {
        cart.update_stock(&line.line.sku, line.available);
    }
    let blocked = quote.lines.iter().any(|l| l.problem.is_some());
    view! {
        <dl class="totals">
            <dt>{t.subtotal}</dt><dd>{format_fen(quote.subtotal_fen)}</dd>
            <dt>{t.shipping_estimated}</dt><dd>{if quote.shipping_fen == 0 { t.free_shipping.to_owned() } else { format_fen(quote.shipping_fen) }}</dd>
            <dt>{t.total}</dt><dd class="price">{format_fen(quote.total_fen)}</dd>
        </dl>
        <p class="muted small">{t.shipping_rule}</p>
        <div class="bottom-bar">
            <span class="price">{format_fen(quote.total_fen)}</span>
            {if blocked {
                view! { <span class="button disabled" aria-disabled="true">{t.fix_problems_first}</span> }.into_any()
            } else {
                view! { <a class="button" href="/checkout">{t.go_checkout}</a> }.into_any()
            }}
        </div>
    }
}
