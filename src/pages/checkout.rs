use crate::address_book::{self, SavedAddress};
use crate::api::{self, FetchError};
use crate::cart::use_cart;
use crate::components::address_paste::AddressPaste;
use crate::components::region_picker::{RegionChoice, RegionField};
use crate::components::saved_addresses::SavedAddresses;
use crate::entry::link_rel;
use crate::i18n::texts;
use crate::last_order::LastOrder;
use crate::messages::{failure, field_error, with_request_id};
use crate::retry::release_when_allowed;
use crate::title::set_page_title;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::format_fen;
use shop_core::order::{
    self, Address, Contact, Invoice, InvoiceKind, OrderItem, OrderRequest, QuoteAddress, QuoteRequest, MAX_DETAIL,
    MAX_INVOICE_TITLE, MAX_NAME, MAX_NOTE, MAX_PLACE,
};
use shop_core::paste::PastedAddress;
use shop_core::regions::RegionTree;
use shop_core::validate::{FieldErrors, CREDIT_CODE_CHARS, PHONE_DIGITS, POSTAL_CODE_DIGITS};
use std::sync::Arc;

/// Everything the shopper types, one signal per field.
#[derive(Clone, Copy)]
struct CheckoutForm {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    region: RegionChoice,
    detail: RwSignal<String>,
    postal_code: RwSignal<String>,
    note: RwSignal<String>,
    /// `None`: no invoice.
    invoice: RwSignal<Option<InvoiceKind>>,
    invoice_title: RwSignal<String>,
    tax_id: RwSignal<String>,
}

impl CheckoutForm {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        CheckoutForm {
            name: s(),
            phone: s(),
            region: RegionChoice::new(),
            detail: s(),
            postal_code: s(),
            note: s(),
            invoice: RwSignal::new(None),
            invoice_title: s(),
            tax_id: s(),
        }
    }

    fn request(&self, items: Vec<OrderItem>, expected_total_fen: Option<i64>) -> OrderRequest {
        let optional = |s: RwSignal<String>| Some(s.get()).filter(|v| !v.trim().is_empty());
        OrderRequest {
            items,
            contact: Contact { name: self.name.get(), phone: self.phone.get() },
            address: Address {
                province: self.region.province.get(),
                city: self.region.city.get(),
                district: self.region.district.get(),
                district_code: self.region.district_code.get(),
                district_unlisted: self.region.district_unlisted.get(),
                detail: self.detail.get(),
                postal_code: optional(self.postal_code),
            },
            note: optional(self.note),
            invoice: self.invoice.get().map(|kind| Invoice {
                kind,
                title: self.invoice_title.get(),
                tax_id: (kind == InvoiceKind::Company).then(|| self.tax_id.get()),
            }),
            expected_total_fen,
        }
    }

    /// Fills the form from the address book.
    fn fill_saved(&self, saved: &SavedAddress) {
        let a = &saved.address;
        self.name.set(saved.contact.name.clone());
        self.phone.set(saved.contact.phone.clone());
        self.region.province.set(a.province.clone());
        self.region.city.set(a.city.clone());
        self.region.district.set(a.district.clone());
        self.region.district_code.set(a.district_code.clone());
        self.region.district_unlisted.set(a.district_unlisted);
        self.detail.set(a.detail.clone());
        self.postal_code.set(a.postal_code.clone().unwrap_or_default());
    }

    /// Fills what a paste held (and only that) and says which fields changed.
    fn fill_pasted(&self, pasted: PastedAddress, tree: &RegionTree) -> Vec<&'static str> {
        let mut filled = Vec::new();
        let mut set = |signal: RwSignal<String>, value: Option<String>, path: &'static str| {
            if let Some(value) = value {
                signal.set(value);
                filled.push(path);
            }
        };
        set(self.name, pasted.name, field::CONTACT_NAME);
        set(self.phone, pasted.phone, field::CONTACT_PHONE);
        set(self.detail, pasted.detail, field::ADDRESS_DETAIL);
        set(self.postal_code, pasted.postal_code, field::ADDRESS_POSTAL_CODE);
        if let Some(place) = pasted.district_code.and_then(|code| tree.by_code(code)) {
            self.region.set_place(place);
            filled.push(field::ADDRESS_DISTRICT);
        }
        filled
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
    let last_order = LastOrder::get();
    let form = CheckoutForm::new();

    // The region tree, fetched now that the address form is open.
    let regions = RwSignal::new(None::<Arc<RegionTree>>);
    let regions_failed = RwSignal::new(false);
    let load_regions = move || {
        regions_failed.set(false);
        spawn_local(async move {
            match api::regions().await {
                Ok(tree) => regions.set(Some(Arc::new(tree))),
                Err(_) => regions_failed.set(true),
            }
        });
    };
    load_regions();

    // The address book; the checkout starts from its default entry.
    let book = RwSignal::new(address_book::load());
    let from_book = RwSignal::new(None::<usize>);
    let use_saved = move |i: usize| {
        book.with_untracked(|b| b.get(i).map(|saved| form.fill_saved(saved)));
        from_book.set(Some(i));
    };
    if let Some(i) = book.with_untracked(|b| address_book::preferred(b)) {
        use_saved(i);
    }
    // Fields a paste just filled, highlighted for the shopper to check.
    let just_filled = RwSignal::new(Vec::<&'static str>::new());
    let on_pasted = move |pasted: PastedAddress| {
        if let Some(tree) = regions.get_untracked() {
            just_filled.set(form.fill_pasted(pasted, &tree));
            from_book.set(None);
        }
    };
    let filled = move |path: &'static str| Signal::derive(move || just_filled.with(|f| f.contains(&path)));

    let items = Memo::new(move |_| cart.items());
    let quote = LocalResource::new(move || {
        let items = items.get();
        let province = form.region.province.get();
        async move {
            // Emptied by the order just placed, before its page replaces this one.
            if items.is_empty() {
                return Ok(None);
            }
            let address = Some(QuoteAddress { province }).filter(|a| !a.province.is_empty());
            api::quote(&QuoteRequest { items, address }).await.map(Some)
        }
    });
    let quoted_total = move || quote.get().and_then(Result::ok).flatten().map(|q| q.total_fen);

    // Fields the shopper has left (their errors show from then on), whether
    // a submit was tried (all errors show), and the server's field errors.
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let submitted = RwSignal::new(false);
    let server_errors = RwSignal::new(FieldErrors::new());
    let client_errors = Memo::new(move |_| order::validate(&form.request(items.get(), None)));
    let error_for = move |path: &'static str| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&path));
            let client = client_errors.with(|e| e.get(path).copied()).filter(|_| shown);
            client.or_else(|| server_errors.with(|e| e.get(path).copied())).map(field_error)
        })
    };
    // Leaving a field shows its own errors from then on and retires the
    // server's verdict on it (the shopper has had a go at fixing it).
    let touch = move |path: &'static str| {
        touched.update(|t| {
            if !t.contains(&path) {
                t.push(path)
            }
        });
        server_errors.update(|e| {
            e.remove(path);
        });
    };

    let touch_region = move || {
        for path in
            [field::ADDRESS_PROVINCE, field::ADDRESS_CITY, field::ADDRESS_DISTRICT, field::ADDRESS_DISTRICT_CODE]
        {
            touch(path);
        }
    };
    // The region field shows the first verdict on any of its parts (the
    // district's own, when it is typed, shows at its text field).
    let region_error = Signal::derive(move || {
        let district = (!form.region.district_unlisted.get()).then_some(field::ADDRESS_DISTRICT);
        [Some(field::ADDRESS_PROVINCE), Some(field::ADDRESS_CITY), district, Some(field::ADDRESS_DISTRICT_CODE)]
            .into_iter()
            .flatten()
            .find_map(|path| error_for(path).get())
    });

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
        if !client_errors.with_untracked(FieldErrors::is_empty) {
            // Cart lines have no field on this page: say where to fix them.
            if client_errors.with_untracked(|e| e.keys().all(|path| field::is_item(path))) {
                status.set(Some(t.cart_quantity_wrong.to_owned()));
            }
            focus_first_error();
            return;
        }
        let request = form.request(items.get_untracked(), quoted_total());
        let body = serde_json::to_string(&request).unwrap_or_default();
        let key = attempt.with_value(|a| a.as_ref().filter(|a| a.body == body).map(|a| a.key.clone()));
        let key = key.unwrap_or_else(api::new_idempotency_key);
        attempt.set_value(Some(Attempt { body, key: key.clone() }));
        submitting.set(true);
        status.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let placed = api::place_order(&request, &key).await;
            match &placed {
                Ok(order) => {
                    let url = ["/orders/", &order.order_no].concat();
                    let remembered = address_book::remember(
                        book.get_untracked(),
                        from_book.get_untracked(),
                        order.contact.clone(),
                        order.address.clone(),
                    );
                    address_book::save(&remembered);
                    last_order.show(order.clone());
                    cart.clear();
                    // Replace: Back from the confirmation must not land on a spent checkout.
                    navigate(&url, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(error) => status.set(Some(refusal_message(error, quote, server_errors))),
            }
            release_when_allowed(submitting, placed.as_ref().err());
        });
    };

    view! {
        <h1>{t.confirm_order}</h1>
        <Show when=move || !cart.is_empty() fallback=|| view! {
            <div class="empty-cart"><p>{t.cart_empty}</p><a class="button" href="/products" rel=link_rel("/products")>{t.go_shopping}</a></div>
        }>
            <form class="checkout" novalidate on:submit=submit.clone()>
                <SavedAddresses book chosen=from_book on_use=use_saved/>
                <AddressPaste tree=regions.into() on_fill=on_pasted/>
                <fieldset>
                    <legend>{t.consignee}</legend>
                    <TextField id=field::CONTACT_NAME label=t.consignee value=form.name error=error_for(field::CONTACT_NAME)
                        on_leave=touch max=MAX_NAME autocomplete="name" highlighted=filled(field::CONTACT_NAME)/>
                    <TextField id=field::CONTACT_PHONE label=t.phone value=form.phone error=error_for(field::CONTACT_PHONE)
                        on_leave=touch max=PHONE_DIGITS autocomplete="tel" input_type="tel" inputmode="numeric"
                        highlighted=filled(field::CONTACT_PHONE)/>
                </fieldset>
                <fieldset>
                    <legend>{t.address}</legend>
                    <RegionField id=field::ADDRESS_PROVINCE choice=form.region tree=regions.into() failed=regions_failed.into()
                        on_retry=load_regions error=region_error on_leave=touch_region
                        highlighted=filled(field::ADDRESS_DISTRICT)/>
                    <Show when=move || form.region.district_unlisted.get()>
                        <TextField id=field::ADDRESS_DISTRICT label=t.district value=form.region.district
                            error=error_for(field::ADDRESS_DISTRICT) on_leave=touch max=MAX_PLACE autocomplete="address-level3"
                            placeholder=t.district_unlisted_hint/>
                    </Show>
                    <TextField id=field::ADDRESS_DETAIL label=t.detail value=form.detail error=error_for(field::ADDRESS_DETAIL)
                        on_leave=touch max=MAX_DETAIL autocomplete="street-address" placeholder=t.detail_placeholder
                        highlighted=filled(field::ADDRESS_DETAIL)/>
                    <TextField id=field::ADDRESS_POSTAL_CODE label=t.postal_code value=form.postal_code
                        error=error_for(field::ADDRESS_POSTAL_CODE) on_leave=touch max=POSTAL_CODE_DIGITS autocomplete="postal-code"
                        inputmode="numeric" highlighted=filled(field::ADDRESS_POSTAL_CODE)/>
                </fieldset>
                <TextField id=field::NOTE label=t.note_optional value=form.note error=error_for(field::NOTE) on_leave=touch
                    max=MAX_NOTE autocomplete="off"/>
                <fieldset class="invoice">
                    <legend>{t.invoice}</legend>
                    {[(None, t.invoice_none), (Some(InvoiceKind::Personal), t.invoice_personal), (Some(InvoiceKind::Company), t.invoice_company)]
                        .into_iter().map(|(kind, text)| view! {
                        <label class="radio">
                            <input type="radio" name="invoice" checked=move || form.invoice.get() == kind
                                on:change=move |_| form.invoice.set(kind)/>
                            {text}
                        </label>
                    }).collect_view()}
                    <Show when=move || form.invoice.get().is_some()>
                        <TextField id=field::INVOICE_TITLE label=t.invoice_title value=form.invoice_title
                            error=error_for(field::INVOICE_TITLE) on_leave=touch max=MAX_INVOICE_TITLE autocomplete="organization"/>
                    </Show>
                    <Show when=move || form.invoice.get() == Some(InvoiceKind::Company)>
                        <TextField id=field::INVOICE_TAX_ID label=t.tax_id value=form.tax_id error=error_for(field::INVOICE_TAX_ID)
                            on_leave=touch max=CREDIT_CODE_CHARS autocomplete="off"/>
                    </Show>
                </fieldset>

                <section class="summary" aria-labelledby="summary-title">
                    <h2 id="summary-title">{t.order_amount}</h2>
                    <Suspense fallback=|| view! { <p class="muted">{t.calculating_shipping}</p> }>
                        {move || Suspend::new(async move {
                            match quote.await {
                                Ok(Some(q)) => view! {
                                    <dl class="totals">
                                        <dt>{t.subtotal}</dt><dd>{format_fen(q.subtotal_fen)}</dd>
                                        <dt>{t.shipping}</dt><dd>{format_fen(q.shipping_fen)}</dd>
                                        <dt>{t.amount_due}</dt><dd class="price" id="checkout-total">{format_fen(q.total_fen)}</dd>
                                    </dl>
                                }.into_any(),
                                Ok(None) => ().into_any(),
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
    error: Signal<Option<String>>,
    on_leave: impl Fn(&'static str) + Copy + 'static,
    max: usize,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] highlighted: Option<Signal<bool>>,
) -> impl IntoView {
    let error_id = [id, "-error"].concat();
    view! {
        <div class="field" class:just-filled=move || highlighted.is_some_and(|h| h.get())>
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
fn FieldError(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
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

/// What the checkout says when placing the order failed, having done what
/// the failure calls for (a new quote, field errors shown at their fields).
fn refusal_message(
    error: &FetchError,
    quote: LocalResource<Result<Option<shop_core::order::Quote>, FetchError>>,
    server_errors: RwSignal<FieldErrors>,
) -> String {
    let t = texts();
    match (error, error.code()) {
        // No answer: it may or may not have arrived. The retry's key is the same.
        (FetchError::Network, _) => t.order_maybe_not_sent.to_owned(),
        // An answer too late or unreadable, or the database away: the order
        // may have been placed, and a retry with the same key returns it
        // rather than a second one.
        (FetchError::BadResponse { .. }, _) | (_, Some(ErrorCode::Timeout | ErrorCode::Unavailable)) => {
            with_request_id(t.order_submit_unsure, error)
        }
        (_, Some(ErrorCode::Validation { fields })) if fields.keys().any(|path| field::is_item(path)) => {
            quote.refetch();
            t.cart_lines_wrong.to_owned()
        }
        (_, Some(ErrorCode::Validation { fields })) => {
            server_errors.set(fields.clone());
            focus_first_error();
            t.fix_and_resubmit.to_owned()
        }
        (_, Some(ErrorCode::OutOfStock { available, .. })) => {
            quote.refetch();
            (t.order_out_of_stock)(*available)
        }
        (_, Some(ErrorCode::HiveTaken { hive_no })) => (t.hive_taken)(*hive_no),
        (_, Some(ErrorCode::PriceChanged { total_fen })) => {
            quote.refetch();
            (t.order_price_changed)(&format_fen(*total_fen))
        }
        (_, Some(ErrorCode::RateLimited { .. })) => failure(error),
        _ => with_request_id(t.order_failed, error),
    }
}
