use crate::api::ApiError;
use leptos::prelude::*;

/// What a page shows when its data did not arrive, with a way to try again.
#[component]
pub fn LoadError(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let message = match error {
        ApiError::Network => "网络不太顺畅，没能连上商店。请检查网络后重试。",
        _ => "商店暂时出了点问题，请稍后重试。",
    };
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>"重新加载"</button>
        </div>
    }
}
