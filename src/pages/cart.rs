use crate::api::{self, ApiError};
use crate::app::set_page_title;
use crate::cart::{use_cart, CartLine};
use crate::components::load_error::LoadError;
use crate::components::quantity::QuantityStepper;
use leptos::prelude::*;
use shop_core::format_fen;
use shop_core::order::{LineProblem, Quote, QuoteLine, QuoteRequest};

/// The cart, priced by the server: what is in it, what changed since it
/// was added (price, stock, products taken off sale), and the total.
#[component]
pub fn CartPage() -> impl IntoView {
    set_page_title("购物车");
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
        <h1>"购物车"</h1>
        {move || removed.get().map(|(position, line)| view! {
            <p class="notice" role="status">
                "已移除 " {line.name.clone()} " "
                <button type="button" class="link-button" on:click=move |_| {
                    cart.restore(position, line.clone());
                    removed.set(None);
                }>"撤销"</button>
            </p>
        })}
        <Show when=move || !cart.is_empty() fallback=|| view! {
            <div class="empty-cart">
                <p>"购物车还是空的。"</p>
                <a class="button" href="/products">"去挑选好物"</a>
            </div>
        }>
            <ul class="cart-lines">
                <For each=move || cart.lines() key=|l| (l.sku.clone(), l.quantity, l.unit_price_fen, l.stock) let:line>
                    <CartLineRow line quote removed/>
                </For>
            </ul>
            <Suspense fallback=|| view! { <p class="muted">"正在核对价格和库存…"</p> }>
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
    quote: LocalResource<Result<Option<Quote>, ApiError>>,
    /// Where a removed line goes, for the page's undo.
    removed: RwSignal<Option<(usize, CartLine)>>,
) -> impl IntoView {
    let cart = use_cart();
    let sku = StoredValue::new(line.sku.clone());
    let remove = move || removed.set(sku.with_value(|s| cart.remove(s)));
    // What the server says about this line now, once the quote arrives.
    let server_line = move || -> Option<QuoteLine> {
        quote.get().and_then(|q| q.ok().flatten()).and_then(|q| sku.with_value(|s| q.lines.into_iter().find(|l| &l.line.sku == s)))
    };
    let seen_price = line.unit_price_fen;
    let notice = move || {
        let l = server_line()?;
        Some(match l.problem {
            Some(LineProblem::UnknownSku) => "该商品已下架，请移除后再结算".to_owned(),
            Some(LineProblem::OutOfStock) if l.available == 0 => "已售罄，请移除后再结算".to_owned(),
            Some(LineProblem::OutOfStock) => ["库存仅剩 ", &l.available.to_string(), " 件，请减少数量"].concat(),
            None => return None,
        })
    };
    let new_price = move || {
        server_line().filter(|l| l.problem.is_none() && l.line.unit_price_fen != seen_price).map(|l| l.line.unit_price_fen)
    };
    let quantity = line.quantity;
    let stock = line.stock;
    let href = ["/products/", &line.slug].concat();
    let label = [line.name.as_str(), " 数量"].concat();
    view! {
        <li class="cart-line">
            <img src=line.image alt="" width="72" height="72"/>
            <div class="cart-line-info">
                <a href=href>{line.name.clone()}</a>
                <p class="muted">{line.label}</p>
                {line.adoption.map(|a| view! {
                    <p class="muted">"蜂箱名「" {a.hive_name} "」· " {a.hive_no.map_or_else(|| "自动分配蜂箱".to_owned(), |n| ["No.", &n.to_string()].concat())}</p>
                })}
                <p class="price">{format_fen(line.unit_price_fen)}</p>
                {move || notice().map(|text| view! { <p class="line-notice" role="status">{text}</p> })}
                {move || new_price().map(|price| view! {
                    <p class="line-notice" role="status">
                        "价格已从 " {format_fen(seen_price)} " 变为 " {format_fen(price)} " "
                        <button type="button" class="link-button" on:click=move |_| sku.with_value(|s| cart.accept_price(s, price))>"知道了"</button>
                    </p>
                })}
            </div>
            <div class="cart-line-actions">
                <QuantityStepper value=Signal::derive(move || quantity) max=Signal::derive(move || stock) label
                    on_change=move |n: i64| if n < 1 { remove() } else { sku.with_value(|s| cart.set_quantity(s, n)) }/>
                <button type="button" class="link-button" on:click=move |_| remove()>"移除"</button>
            </div>
        </li>
    }
}

#[component]
fn CartSummary(quote: Quote) -> impl IntoView {
    let cart = use_cart();
    // Take the server's stock into the cart, so the stepper stops there.
    for line in quote.lines.iter().filter(|l| l.problem != Some(LineProblem::UnknownSku)) {
        cart.update_stock(&line.line.sku, line.available);
    }
    let blocked = quote.lines.iter().any(|l| l.problem.is_some());
    view! {
        <dl class="totals">
            <dt>"商品合计"</dt><dd>{format_fen(quote.subtotal_fen)}</dd>
            <dt>"运费（预估）"</dt><dd>{if quote.shipping_fen == 0 { "包邮".to_owned() } else { format_fen(quote.shipping_fen) }}</dd>
            <dt>"合计"</dt><dd class="price">{format_fen(quote.total_fen)}</dd>
        </dl>
        <p class="muted small">"满 ¥99 包邮；新疆、西藏另加 ¥20。运费以结算页为准。"</p>
        <div class="bottom-bar">
            <span class="price">{format_fen(quote.total_fen)}</span>
            {if blocked {
                view! { <span class="button disabled" aria-disabled="true">"请先处理上面的提示"</span> }.into_any()
            } else {
                view! { <a class="button" href="/checkout">"去结算"</a> }.into_any()
            }}
        </div>
    }
}
