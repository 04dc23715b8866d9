use crate::i18n::texts;
use leptos::prelude::*;

/// − value + buttons. Going below 1 asks the parent (`on_change(0)`), which
/// decides what zero means (the cart removes the line, with an undo).
#[component]
pub fn QuantityStepper(
    #[prop(into)] value: Signal<i64>,
    #[prop(into)] max: Signal<i64>,
    #[prop(into)] on_change: Callback<i64>,
    /// What is being counted, for screen readers ("津景蜜园百花蜜 数量").
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let t = texts();
    view! {
        <div class="stepper" role="group" aria-label=label>
            <button type="button" aria-label=t.decrease on:click=move |_| on_change.run(value.get_untracked() - 1)>"−"</button>
            <output aria-live="polite">{move || value.get()}</output>
            <button type="button" aria-label=t.increase disabled=move || { value.get() >= max.get() }
                on:click=move |_| on_change.run(value.get_untracked() + 1)>"+"</button>
        </div>
    }
}
