use super::{use_admin, AdminGate};
use crate::api::{self, FetchError};
use crate::components::load_error::LoadError;
use crate::components::product_detail::ProductDetailView;
use crate::messages::{failure, field_error};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shop_core::admin::{ProductChange, ProductPatch, VariantPatch};
use shop_core::catalogue::Variant;
use shop_core::error::ErrorCode;
use shop_core::format_fen;
use shop_core::money::parse_yuan;

/// Any product, draft or not, rendered by the very components shoppers
/// get, in a phone-width frame or full width; with publishing, price and
/// stock changes, and the product's recent history.
#[component]
pub fn AdminPreviewPage() -> impl IntoView {
    view! { <AdminGate><Preview/></AdminGate> }
}

#[component]
fn Preview() -> impl IntoView {
    let session = use_admin();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug")).unwrap_or_default());
    let detail = LocalResource::new(move || {
        let (token, slug) = (session.token(), slug.get());
        async move { api::admin::product(&token, &slug).await }
    });
    let phone_frame = RwSignal::new(true);
    let message = RwSignal::new(None::<String>);
    let apply = Callback::new(move |patch: ProductPatch| {
        let (token, slug) = (session.token(), slug.get_untracked());
        spawn_local(async move {
            match api::admin::patch_product(&token, &slug, &patch).await {
                Ok(_) => {
                    message.set(Some("已保存，顾客页面即时生效。".into()));
                    detail.refetch();
                }
                Err(error) => {
                    session.check(&error);
                    message.set(Some(patch_error(&error)));
                }
            }
        });
    });

    view! {
        <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let published = d.published;
                        view! {
                            <div class="preview-toolbar">
                                {if published {
                                    view! { <span class="badge">"已上架 · 顾客可见"</span> }.into_any()
                                } else {
                                    view! { <span class="badge draft">"预览/草稿 · 顾客不可见"</span> }.into_any()
                                }}
                                <div role="group" aria-label="预览宽度">
                                    <button type="button" class="chip" aria-pressed=move || phone_frame.get().to_string()
                                        on:click=move |_| phone_frame.set(true)>"手机宽度"</button>
                                    <button type="button" class="chip" aria-pressed=move || (!phone_frame.get()).to_string()
                                        on:click=move |_| phone_frame.set(false)>"整页"</button>
                                </div>
                                <button type="button" class="button"
                                    on:click=move |_| apply.run(ProductPatch { published: Some(!published), ..Default::default() })>
                                    {if published { "下架" } else { "上架" }}
                                </button>
                            </div>
                            <p class="notice" role="status">{move || message.get()}</p>
                            <div class="preview-frame" class:phone=move || phone_frame.get()>
                                <ProductDetailView product=d.product.clone()/>
                            </div>
                            <VariantEditor variants=d.product.variants apply/>
                            <History changes=d.history/>
                        }.into_any()
                    }
                    Err(FetchError::NotFound) => view! { <p>"没有这个商品。"</p> }.into_any(),
                    Err(error) => {
                        session.check(&error);
                        view! { <LoadError error on_retry=move |_| detail.refetch()/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn patch_error(error: &FetchError) -> String {
    match error.code() {
        Some(ErrorCode::OutOfStock { sku, available }) => {
            ["库存不足，", sku, " 现有 ", &available.to_string(), " 件"].concat()
        }
        Some(ErrorCode::Validation { fields }) => fields
            .iter()
            .map(|(path, rule)| [path.as_str(), "：", &field_error(*rule)].concat())
            .collect::<Vec<_>>()
            .join("；"),
        _ => ["保存失败：", &failure(error)].concat(),
    }
}

/// Price and stock per variant. Stock is changed by a delta (restock +20,
/// write off −3) so it composes with orders placed meanwhile.
#[component]
fn VariantEditor(variants: Vec<Variant>, apply: Callback<ProductPatch>) -> impl IntoView {
    view! {
        <section aria-labelledby="variants-title">
            <h2 id="variants-title">"价格与库存"</h2>
            {variants.into_iter().map(|v| {
                let price = RwSignal::new(String::new());
                let delta = RwSignal::new(String::new());
                let problem = RwSignal::new(None::<&'static str>);
                let sku = v.sku.clone();
                let save = move |_| {
                    let price_fen = match price.get_untracked().trim() {
                        "" => None,
                        text => match parse_yuan(text) {
                            Some(fen) if fen > 0 => Some(fen),
                            _ => return problem.set(Some("价格格式如 68.00")),
                        },
                    };
                    let stock_delta = match delta.get_untracked().trim() {
                        "" => None,
                        text => match text.trim_start_matches('+').parse::<i64>() {
                            Ok(n) if n != 0 => Some(n),
                            _ => return problem.set(Some("库存调整是非零整数，如 20 或 -3")),
                        },
                    };
                    if price_fen.is_none() && stock_delta.is_none() {
                        return problem.set(Some("请填写新价格或库存调整"));
                    }
                    problem.set(None);
                    apply.run(ProductPatch { variants: vec![VariantPatch { sku: sku.clone(), price_fen, stock_delta }], ..Default::default() });
                };
                let id = |what: &str| [v.sku.as_str(), "-", what].concat();
                view! {
                    <fieldset class="variant-editor">
                        <legend>{v.label} " · " {v.sku.clone()}</legend>
                        <p class="muted">"现价 " {format_fen(v.price_fen)} "，库存 " {v.stock}</p>
                        <div class="field">
                            <label for=id("price")>"新价格（元）"</label>
                            <input id=id("price") inputmode="decimal" prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for=id("delta")>"库存调整（+补货 / −核销）"</label>
                            <input id=id("delta") prop:value=move || delta.get() on:input=move |ev| delta.set(event_target_value(&ev))/>
                        </div>
                        <p class="field-error" aria-live="polite">{move || problem.get()}</p>
                        <button type="button" class="button secondary" on:click=save>"保存"</button>
                    </fieldset>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn History(changes: Vec<ProductChange>) -> impl IntoView {
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">"修改记录"</h2>
            {if changes.is_empty() {
                view! { <p class="muted">"还没有修改。"</p> }.into_any()
            } else {
                view! {
                    <ul class="history">
                        {changes.into_iter().map(|c| view! {
                            <li>{c.changed_at} " " <strong>{c.field}</strong> "：" {c.old_value} " → " {c.new_value} <span class="muted">" (" {c.remote_addr} ")"</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
