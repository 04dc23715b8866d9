use crate::api::{self, ApiError};
use crate::app::{set_page_title, LastOrder};
use crate::cart::use_cart;
use crate::messages::field_error;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shop_core::format_fen;
use shop_core::order::{
    self, Address, Contact, Invoice, InvoiceKind, OrderItem, OrderRequest, QuoteAddress, QuoteRequest, MAX_DETAIL, MAX_NAME,
    MAX_NOTE, MAX_PLACE,
};
use shop_core::regions::PROVINCES;
use std::collections::BTreeMap;

/// Everything the shopper types, one signal per field.
#[derive(Clone, Copy)]
struct CheckoutForm {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    province: RwSignal<String>,
    city: RwSignal<String>,
    district: RwSignal<String>,
    detail: RwSignal<String>,
    postal_code: RwSignal<String>,
    note: RwSignal<String>,
    /// "", "personal" or "company".
    invoice: RwSignal<String>,
    invoice_title: RwSignal<String>,
    tax_id: RwSignal<String>,
}

impl CheckoutForm {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        CheckoutForm {
            name: s(),
            phone: s(),
            province: s(),
            city: s(),
            district: s(),
            detail: s(),
            postal_code: s(),
            note: s(),
            invoice: s(),
            invoice_title: s(),
            tax_id: s(),
        }
    }

    fn request(&self, items: Vec<OrderItem>, expected_total_fen: Option<i64>) -> OrderRequest {
        let optional = |s: RwSignal<String>| Some(s.get()).filter(|v| !v.trim().is_empty());
        let kind = match self.invoice.get().as_str() {
            "personal" => Some(InvoiceKind::Personal),
            "company" => Some(InvoiceKind::Company),
            _ => None,
        };
        OrderRequest {
            items,
            contact: Contact { name: self.name.get(), phone: self.phone.get() },
            address: Address {
                province: self.province.get(),
                city: self.city.get(),
                district: self.district.get(),
                detail: self.detail.get(),
                postal_code: optional(self.postal_code),
            },
            note: optional(self.note),
            invoice: kind.map(|kind| Invoice {
                kind,
                title: self.invoice_title.get(),
                tax_id: (kind == InvoiceKind::Company).then(|| self.tax_id.get()),
            }),
            expected_total_fen,
        }
    }
}

/// One checkout attempt's Idempotency-Key: reused as long as the request is
/// the same (a retry, a double tap), new once the shopper changes anything.
struct Attempt {
    body: String,
    key: String,
}

/// The checkout, on one page: contact, address, note, invoice, the server's
/// total, and a submit that is safe to tap twice or retry.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    set_page_title("结算");
    let cart = use_cart();
    let last_order = expect_context::<LastOrder>().0;
    let form = CheckoutForm::new();

    let items = Memo::new(move |_| cart.items());
    let quote = LocalResource::new(move || {
        let items = items.get();
        let province = form.province.get();
        async move {
            let address = Some(QuoteAddress { province }).filter(|a| !a.province.is_empty());
            api::quote(&QuoteRequest { items, address }).await
        }
    });
    let quoted_total = move || quote.get().and_then(Result::ok).map(|q| q.total_fen);

    // Fields the shopper has left (their errors show from then on), whether
    // a submit was tried (all errors show), and the server's field errors.
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let submitted = RwSignal::new(false);
    let server_errors = RwSignal::new(BTreeMap::<String, String>::new());
    let client_errors = Memo::new(move |_| {
        order::validate(&form.request(items.get(), None)).into_iter().map(|(k, v)| (k, v.code())).collect::<BTreeMap<_, _>>()
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let client = client_errors.with(|e| e.get(field).copied()).filter(|_| shown);
            client.map(field_error).or_else(|| server_errors.with(|e| e.get(field).map(|code| field_error(code))))
        })
    };
    // Leaving a field shows its own errors from then on and retires the
    // server's verdict on it (the shopper has had a go at fixing it).
    let touch = move |field: &'static str| {
        touched.update(|t| if !t.contains(&field) { t.push(field) });
        server_errors.update(|e| { e.remove(field); });
    };

    let status = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);
    let attempt = StoredValue::new(None::<Attempt>);
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        submitted.set(true);
        if !client_errors.with_untracked(BTreeMap::is_empty) {
            // Cart lines have no field on this page: say where to fix them.
            if client_errors.with_untracked(|e| e.keys().all(|k| k.starts_with("items"))) {
                status.set(Some("购物车中有商品数量有误，请返回购物车查看。".to_owned()));
            }
            focus_first_error();
            return;
        }
        let request = form.request(items.get_untracked(), quoted_total());
        let body = serde_json::to_string(&request).unwrap_or_default();
        let key = attempt.with_value(|a| a.as_ref().filter(|a| a.body == body).map(|a| a.key.clone()));
        let key = key.unwrap_or_else(new_idempotency_key);
        attempt.set_value(Some(Attempt { body, key: key.clone() }));
        submitting.set(true);
        status.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::place_order(&request, &key).await {
                Ok(placed) => {
                    let url = ["/orders/", &placed.order_no].concat();
                    last_order.set(Some(placed));
                    cart.clear();
                    // Replace: Back from the confirmation must not land on a spent checkout.
                    navigate(&url, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(ApiError::Refused(e)) => {
                    status.set(Some(match e.code.as_str() {
                        "validation" if e.fields.keys().any(|k| k.starts_with("items")) => {
                            quote.refetch();
                            "购物车中有商品已下架或数量有误，请返回购物车查看。".to_owned()
                        }
                        "validation" => {
                            server_errors.set(e.fields);
                            focus_first_error();
                            "请按提示修改后再提交。".to_owned()
                        }
                        "out_of_stock" => {
                            quote.refetch();
                            ["有商品库存不足（仅剩 ", &e.available.unwrap_or(0).to_string(), " 件），请返回购物车调整数量。"].concat()
                        }
                        "hive_taken" => {
                            ["您选的 No.", &e.hive_no.unwrap_or(0).to_string(), " 蜂箱刚被别人认养了，请回到认养页另选一个。"].concat()
                        }
                        "price_changed" => {
                            quote.refetch();
                            ["价格有变动，最新应付 ", &format_fen(e.total_fen.unwrap_or(0)), "，请确认后再次提交。"].concat()
                        }
                        _ => "订单没有提交成功，请稍后重试。".to_owned(),
                    }));
                }
                Err(_) => status.set(Some("网络中断，订单可能没有提交。请点击重试，不会重复下单。".to_owned())),
            }
            submitting.set(false);
        });
    };

    view! {
        <h1>"确认订单"</h1>
        <Show when=move || !cart.is_empty() fallback=|| view! {
            <div class="empty-cart"><p>"购物车是空的。"</p><a class="button" href="/products">"去挑选好物"</a></div>
        }>
            <form class="checkout" novalidate on:submit=submit.clone()>
                <fieldset>
                    <legend>"收货人"</legend>
                    <TextField id="contact.name" label="收货人" value=form.name error=error_for("contact.name") on_leave=touch
                        max=MAX_NAME autocomplete="name"/>
                    <TextField id="contact.phone" label="手机号" value=form.phone error=error_for("contact.phone") on_leave=touch
                        max=11 autocomplete="tel" input_type="tel" inputmode="numeric"/>
                </fieldset>
                <fieldset>
                    <legend>"收货地址"</legend>
                    <div class="field">
                        <label for="address.province">"省份"</label>
                        <select id="address.province" autocomplete="address-level1"
                            aria-invalid=move || error_for("address.province").get().is_some().to_string()
                            aria-describedby="address.province-error"
                            on:change=move |ev| { form.province.set(event_target_value(&ev)); touch("address.province"); }>
                            <option value="">"请选择省份"</option>
                            {PROVINCES.iter().map(|p| view! { <option value=*p>{*p}</option> }).collect_view()}
                        </select>
                        <FieldError id="address.province" error=error_for("address.province")/>
                    </div>
                    <TextField id="address.city" label="城市" value=form.city error=error_for("address.city") on_leave=touch
                        max=MAX_PLACE autocomplete="address-level2"/>
                    <TextField id="address.district" label="区/县" value=form.district error=error_for("address.district") on_leave=touch
                        max=MAX_PLACE autocomplete="address-level3"/>
                    <TextField id="address.detail" label="详细地址" value=form.detail error=error_for("address.detail") on_leave=touch
                        max=MAX_DETAIL autocomplete="street-address" placeholder="街道、小区、楼栋、门牌号"/>
                    <TextField id="address.postal_code" label="邮政编码（选填）" value=form.postal_code error=error_for("address.postal_code")
                        on_leave=touch max=6 autocomplete="postal-code" inputmode="numeric"/>
                </fieldset>
                <TextField id="note" label="备注（选填）" value=form.note error=error_for("note") on_leave=touch max=MAX_NOTE
                    autocomplete="off"/>
                <fieldset class="invoice">
                    <legend>"发票"</legend>
                    {[("", "不需要"), ("personal", "个人"), ("company", "单位")].into_iter().map(|(value, text)| view! {
                        <label class="radio">
                            <input type="radio" name="invoice" value=value checked=move || form.invoice.get() == value
                                on:change=move |_| form.invoice.set(value.to_owned())/>
                            {text}
                        </label>
                    }).collect_view()}
                    <Show when=move || !form.invoice.get().is_empty()>
                        <TextField id="invoice.title" label="发票抬头" value=form.invoice_title error=error_for("invoice.title")
                            on_leave=touch max=60 autocomplete="organization"/>
                    </Show>
                    <Show when=move || form.invoice.get() == "company">
                        <TextField id="invoice.tax_id" label="统一社会信用代码" value=form.tax_id error=error_for("invoice.tax_id")
                            on_leave=touch max=18 autocomplete="off"/>
                    </Show>
                </fieldset>

                <section class="summary" aria-labelledby="summary-title">
                    <h2 id="summary-title">"订单金额"</h2>
                    <Suspense fallback=|| view! { <p class="muted">"正在计算运费…"</p> }>
                        {move || Suspend::new(async move {
                            match quote.await {
                                Ok(q) => view! {
                                    <dl class="totals">
                                        <dt>"商品合计"</dt><dd>{format_fen(q.subtotal_fen)}</dd>
                                        <dt>"运费"</dt><dd>{format_fen(q.shipping_fen)}</dd>
                                        <dt>"应付"</dt><dd class="price" id="checkout-total">{format_fen(q.total_fen)}</dd>
                                    </dl>
                                }.into_any(),
                                Err(_) => view! { <p class="muted">"暂时无法计算运费，提交时以商店计算为准。"</p> }.into_any(),
                            }
                        })}
                    </Suspense>
                </section>

                <p class="form-status" role="alert">{move || status.get()}</p>
                <div class="bottom-bar">
                    <span class="price">{move || quoted_total().map(format_fen)}</span>
                    <button type="submit" class="button" disabled=move || submitting.get() aria-busy=move || submitting.get().to_string()>
                        {move || if submitting.get() { "正在提交…" } else { "提交订单" }}
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// A labelled text input with its error beneath it, tied together for
/// screen readers (`aria-describedby`, `aria-invalid`).
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<&'static str>>,
    on_leave: impl Fn(&'static str) + Copy + 'static,
    max: usize,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let error_id = [id, "-error"].concat();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=input_type autocomplete=autocomplete inputmode=inputmode placeholder=placeholder
                maxlength=max.to_string()
                prop:value=move || value.get()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| on_leave(id)/>
            <FieldError id error/>
        </div>
    }
}

#[component]
fn FieldError(id: &'static str, error: Signal<Option<&'static str>>) -> impl IntoView {
    view! { <p class="field-error" id=[id, "-error"].concat() aria-live="polite">{move || error.get()}</p> }
}

/// Moves focus to the first field marked invalid, once the DOM shows it.
fn focus_first_error() {
    request_animation_frame(|| {
        if let Some(field) = document().query_selector("[aria-invalid=\"true\"]").ok().flatten() {
            use wasm_bindgen::JsCast;
            if let Some(field) = field.dyn_ref::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    });
}

/// 128 random bits from the browser's CSPRNG, as hex.
fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect()
}
