use crate::api::{self, ApiError};
use crate::app::{set_page_title, LastOrder};
use crate::cart::use_cart;
use crate::i18n::texts;
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
    let t = texts();
    set_page_title(t.checkout);
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
                status.set(Some(t.cart_quantity_wrong.to_owned()));
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
                            t.cart_lines_wrong.to_owned()
                        }
                        "validation" => {
                            server_errors.set(e.fields);
                            focus_first_error();
                            t.fix_and_resubmit.to_owned()
                        }
                        "out_of_stock" => {
                            quote.refetch();
                            (t.order_out_of_stock)(e.available.unwrap_or(0))
                        }
                        "hive_taken" => (t.hive_taken)(e.hive_no.unwrap_or(0)),
                        "price_changed" => {
                            quote.refetch();
                            (t.order_price_changed)(&format_fen(e.total_fen.unwrap_or(0)))
                        }
                        _ => t.order_failed.to_owned(),
                    }));
                }
                Err(_) => status.set(Some(t.order_maybe_not_sent.to_owned())),
            }
            submitting.set(false);
        });
    };

    view! {
        <h1>{t.confirm_order}</h1>
        <Show when=move || !cart.is_empty() fallback=|| view! {
            <div class="empty-cart"><p>{t.cart_empty}</p><a class="button" href="/products">{t.go_shopping}</a></div>
        }>
            <form class="checkout" novalidate on:submit=submit.clone()>
                <fieldset>
                    <legend>{t.consignee}</legend>
                    <TextField id="contact.name" label=t.consignee value=form.name error=error_for("contact.name") on_leave=touch
                        max=MAX_NAME autocomplete="name"/>
                    <TextField id="contact.phone" label=t.phone value=form.phone error=error_for("contact.phone") on_leave=touch
                        max=11 autocomplete="tel" input_type="tel" inputmode="numeric"/>
                </fieldset>
                <fieldset>
                    <legend>{t.address}</legend>
                    <div class="field">
                        <label for="address.province">{t.province}</label>
                        <select id="address.province" autocomplete="address-level1"
                            aria-invalid=move || error_for("address.province").get().is_some().to_string()
                            aria-describedby="address.province-error"
                            on:change=move |ev| { form.province.set(event_target_value(&ev)); touch("address.province"); }>
                            <option value="">{t.choose_province}</option>
                            {PROVINCES.iter().map(|p| view! { <option value=*p>{*p}</option> }).collect_view()}
                        </select>
                        <FieldError id="address.province" error=error_for("address.province")/>
                    </div>
                    <TextField id="address.city" label=t.city value=form.city error=error_for("address.city") on_leave=touch
                        max=MAX_PLACE autocomplete="address-level2"/>
                    <TextField id="address.district" label=t.district value=form.district error=error_for("address.district") on_leave=touch
                        max=MAX_PLACE autocomplete="address-level3"/>
                    <TextField id="address.detail" label=t.detail value=form.detail error=error_for("address.detail") on_leave=touch
                        max=MAX_DETAIL autocomplete="street-address" placeholder=t.detail_placeholder/>
                    <TextField id="address.postal_code" label=t.postal_code value=form.postal_code error=error_for("address.postal_code")
                        on_leave=touch max=6 autocomplete="postal-code" inputmode="numeric"/>
                </fieldset>
                <TextField id="note" label=t.note_optional value=form.note error=error_for("note") on_leave=touch max=MAX_NOTE
                    autocomplete="off"/>
                <fieldset class="invoice">
                    <legend>{t.invoice}</legend>
                    {[("", t.invoice_none), ("personal", t.invoice_personal), ("company", t.invoice_company)].into_iter().map(|(value, text)| view! {
                        <label class="radio">
                            <input type="radio" name="invoice" value=value checked=move || form.invoice.get() == value
                                on:change=move |_| form.invoice.set(value.to_owned())/>
                            {text}
                        </label>
                    }).collect_view()}
                    <Show when=move || !form.invoice.get().is_empty()>
                        <TextField id="invoice.title" label=t.invoice_title value=form.invoice_title error=error_for("invoice.title")
                            on_leave=touch max=60 autocomplete="organization"/>
                    </Show>
                    <Show when=move || form.invoice.get() == "company">
                        <TextField id="invoice.tax_id" label=t.tax_id value=form.tax_id error=error_for("invoice.tax_id")
                            on_leave=touch max=18 autocomplete="off"/>
                    </Show>
                </fieldset>

                <section class="summary" aria-labelledby="summary-title">
                    <h2 id="summary-title">{t.order_amount}</h2>
                    <Suspense fallback=|| view! { <p class="muted">{t.calculating_shipping}</p> }>
                        {move || Suspend::new(async move {
                            match quote.await {
                                Ok(q) => view! {
                                    <dl class="totals">
                                        <dt>{t.subtotal}</dt><dd>{format_fen(q.subtotal_fen)}</dd>
                                        <dt>{t.shipping}</dt><dd>{format_fen(q.shipping_fen)}</dd>
                                        <dt>{t.amount_due}</dt><dd class="price" id="checkout-total">{format_fen(q.total_fen)}</dd>
                                    </dl>
                                }.into_any(),
                                Err(_) => view! { <p class="muted">{t.shipping_unknown}</p> }.into_any(),
                            }
                        })}
                    </Suspense>
                </section>

                <p class="form-status" role="alert">{move || status.get()}</p>
                <div class="bottom-bar">
                    <span class="price">{move || quoted_total().map(format_fen)}</span>
                    <button type="submit" class="button" disabled=move || submitting.get() aria-busy=move || submitting.get().to_string()>
                        {move || if submitting.get() { t.submitting } else { t.submit_order }}
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
