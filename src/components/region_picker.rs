//! The 所在地区 field: a button showing the chosen 省 市 区县 that opens a
//! bottom sheet with tabs 省 | 市 | 区县 (each choice becomes its tab's label,
//! the next tab reads 请选择) and a search box (景泰 finds 甘肃省 白银市
//! 景泰县). The names come from the region tree, never typed; a district
//! missing from the data is typed after 找不到我的区县, for staff to check.

use crate::i18n::texts;
use leptos::prelude::*;
use shop_core::regions::{Place, RegionTree};
use std::sync::Arc;

/// The chosen region, as the checkout sends it.
#[derive(Clone, Copy)]
pub struct RegionChoice {
    pub province: RwSignal<String>,
    pub city: RwSignal<String>,
    pub district: RwSignal<String>,
    pub district_code: RwSignal<Option<String>>,
    /// The shopper typed the district: the data does not have it.
    pub district_unlisted: RwSignal<bool>,
}

impl RegionChoice {
    pub fn new() -> Self {
        RegionChoice {
            province: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            district: RwSignal::new(String::new()),
            district_code: RwSignal::new(None),
            district_unlisted: RwSignal::new(false),
        }
    }

    pub fn set_place(&self, place: Place<'_>) {
        self.province.set(place.province.name.clone());
        self.city.set(place.city.name.clone());
        self.district.set(place.district.name.clone());
        self.district_code.set(Some(place.district.code.to_string()));
        self.district_unlisted.set(false);
    }

    /// What the field shows: 天津市 西青区 (a municipality's city once).
    pub fn label(&self) -> String {
        let (province, city, district) = (self.province.get(), self.city.get(), self.district.get());
        let city = if city == province { String::new() } else { city };
        [province, city, district].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
    }
}

impl Default for RegionChoice {
    fn default() -> Self {
        Self::new()
    }
}

/// The field and its sheet. `tree` is `None` until the region file arrives
/// (or when it failed: then `failed` is set and the sheet offers a retry).
#[component]
pub fn RegionField(
    id: &'static str,
    choice: RegionChoice,
    tree: Signal<Option<Arc<RegionTree>>>,
    failed: Signal<bool>,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
    error: Signal<Option<String>>,
    on_leave: impl Fn() + Copy + Send + Sync + 'static,
    #[prop(optional)] highlighted: Option<Signal<bool>>,
) -> impl IntoView {
    let t = texts();
    let open = RwSignal::new(false);
    let error_id = [id, "-error"].concat();
    let close = move || {
        open.set(false);
        on_leave();
        // Back to the field, for keyboard and screen-reader users.
        if let Some(field) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            if let Some(field) = field.dyn_ref::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    };
    view! {
        <div class="field" class:just-filled=move || highlighted.is_some_and(|h| h.get())>
            <span class="label" id=[id, "-label"].concat()>{t.region}</span>
            <button type="button" id=id class="region-field" aria-haspopup="dialog"
                aria-labelledby=[id, "-label ", id].concat()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
                on:click=move |_| open.set(true)>
                {move || {
                    let label = choice.label();
                    if label.is_empty() { view! { <span class="muted">{t.choose_region}</span> }.into_any() } else { label.into_any() }
                }}
            </button>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
        <Show when=move || open.get()>
            <RegionSheet choice tree failed on_retry close/>
        </Show>
    }
}

/// Which tab the sheet shows.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Province,
    City,
    District,
}

#[component]
fn RegionSheet(
    choice: RegionChoice,
    tree: Signal<Option<Arc<RegionTree>>>,
    failed: Signal<bool>,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    // Start where the shopper left off: the district tab of the chosen city.
    let province = RwSignal::new(Some(choice.province.get_untracked()).filter(|p| !p.is_empty()));
    let city = RwSignal::new(Some(choice.city.get_untracked()).filter(|c| !c.is_empty()));
    let level = RwSignal::new(match (province.get_untracked().is_some(), city.get_untracked().is_some()) {
        (true, true) => Level::District,
        (true, false) => Level::City,
        _ => Level::Province,
    });
    let query = RwSignal::new(String::new());
    // Into the sheet, for keyboard and screen-reader users.
    let search = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = search.get() {
            let _ = input.focus();
        }
    });

    let pick_district = move |place: Place<'_>| {
        choice.set_place(place);
        close();
    };
    let unlisted = move || {
        if let (Some(p), Some(c)) = (province.get_untracked(), city.get_untracked()) {
            choice.province.set(p);
            choice.city.set(c);
            choice.district.set(String::new());
            choice.district_code.set(None);
            choice.district_unlisted.set(true);
        }
        close();
    };
    let tab = move |this: Level, label: Signal<String>| {
        view! {
            <button type="button" role="tab" class="tab" aria-selected=move || (level.get() == this).to_string()
                on:click=move |_| level.set(this)>{label}</button>
        }
    };
    let chosen_or_prompt = move |name: RwSignal<Option<String>>| {
        Signal::derive(move || name.get().unwrap_or_else(|| t.please_choose.to_owned()))
    };

    let options = move || {
        let tree = tree.get()?;
        let q = query.get();
        if !q.trim().is_empty() {
            let found = tree.search(&q, 30);
            if found.is_empty() {
                return Some(view! { <p class="muted">{t.no_region_match}</p> }.into_any());
            }
            let items = found
                .iter()
                .map(|place| {
                    let code = place.district.code;
                    let text = [&*place.province.name, " ", &place.city.name, " ", &place.district.name].concat();
                    let tree = tree.clone();
                    view! {
                        <li><button type="button" on:click=move |_| {
                            if let Some(place) = tree.by_code(code) { pick_district(place) }
                        }>{text}</button></li>
                    }
                })
                .collect_view();
            return Some(view! { <ul class="region-options">{items}</ul> }.into_any());
        }
        let chosen_province = province.get().and_then(|p| tree.province(&p));
        let chosen_city = chosen_province.zip(city.get()).and_then(|(p, c)| shop_core::regions::find(&p.cities, &c));
        let names: Vec<(String, Option<u32>)> = match (level.get(), chosen_province, chosen_city) {
            (Level::District, Some(_), Some(c)) => c.districts.iter().map(|d| (d.name.clone(), Some(d.code))).collect(),
            (Level::City | Level::District, Some(p), _) => p.cities.iter().map(|c| (c.name.clone(), None)).collect(),
            _ => tree.provinces.iter().map(|p| (p.name.clone(), None)).collect(),
        };
        let current = match level.get() {
            Level::Province => province.get(),
            Level::City => city.get(),
            Level::District => Some(choice.district.get()),
        };
        let at_district = level.get() == Level::District;
        let items = names
            .into_iter()
            .map(|(name, code)| {
                let selected = current.as_deref() == Some(&*name);
                let tree = tree.clone();
                let picked = name.clone();
                view! {
                    <li><button type="button" aria-current=selected.then_some("true") on:click=move |_| match (level.get_untracked(), code) {
                        (Level::District, Some(code)) => if let Some(place) = tree.by_code(code) { pick_district(place) },
                        (Level::City | Level::District, _) => { city.set(Some(picked.clone())); level.set(Level::District) }
                        _ => { province.set(Some(picked.clone())); city.set(None); level.set(Level::City) }
                    }>{name}</button></li>
                }
            })
            .collect_view();
        Some(view! {
            <ul class="region-options">{items}</ul>
            <Show when=move || at_district>
                <button type="button" class="link-button" on:click=move |_| unlisted()>{t.district_not_listed}</button>
            </Show>
        }.into_any())
    };

    view! {
        <div class="sheet-backdrop" on:click=move |_| close()></div>
        <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="region-sheet-title"
            on:keydown=move |ev| if ev.key() == "Escape" { close() }>
            <header class="sheet-header">
                <h2 id="region-sheet-title">{t.choose_region}</h2>
                <button type="button" class="sheet-close" aria-label=t.close on:click=move |_| close()>"×"</button>
            </header>
            <input type="search" class="region-search" aria-label=t.region_search node_ref=search
                placeholder=t.region_search_placeholder
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            <Show when=move || query.with(|q| q.trim().is_empty())>
                <div role="tablist" class="tabs">
                    {tab(Level::Province, chosen_or_prompt(province))}
                    <Show when=move || province.with(Option::is_some)>{tab(Level::City, chosen_or_prompt(city))}</Show>
                    <Show when=move || city.with(Option::is_some)>
                        {tab(Level::District, Signal::derive(move || {
                            let chosen_here = city.get().is_some_and(|c| c == choice.city.get());
                            Some(choice.district.get()).filter(|d| chosen_here && !d.is_empty())
                                .unwrap_or_else(|| t.please_choose.to_owned())
                        }))}
                    </Show>
                </div>
            </Show>
            <div class="sheet-body">
                {move || match options() {
                    Some(view) => view,
                    None if failed.get() => view! {
                        <p class="muted">{t.region_failed}" "<button type="button" class="link-button" on:click=move |_| on_retry()>{t.reload}</button></p>
                    }.into_any(),
                    None => view! { <p class="muted">{t.region_loading}</p> }.into_any(),
                }}
            </div>
        </div>
    }
}
