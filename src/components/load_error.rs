use crate::api::ApiError;
use crate::i18n::texts;
use leptos::prelude::*;

/// What a page shows when its data did not arrive, with a way to try again.
#[component]
pub fn LoadError(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let t = texts();
    let message = match error {
        ApiError::Network => t.network_error,
        _ => t.server_error,
    };
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>{t.reload}</button>
        </div>
    }
}
