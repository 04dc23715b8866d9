use crate::api::FetchError;
use crate::i18n::texts;
use crate::messages::failure;
use leptos::prelude::*;

/// What a page shows when its data did not arrive, with a way to try again
/// (and the request's id, when the server answered with a failure).
#[component]
pub fn LoadError(error: FetchError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let t = texts();
    view! {
        <div class="load-error" role="alert">
            <p>{failure(&error)}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>{t.reload}</button>
        </div>
    }
}
