//! The shop staff's area at `/admin`: never linked from shopper pages, and
//! useless without the admin token, which lives only in this tab's
//! `sessionStorage` (gone when the tab closes).

pub mod adoptions;
pub mod orders;
pub mod preview;
pub mod products;

use crate::api::FetchError;
use leptos::prelude::*;
use shop_core::error::ErrorCode;

const TOKEN_KEY: &str = "xq-shop.admin-token";

#[derive(Clone, Copy)]
pub struct AdminSession {
    token: RwSignal<Option<String>>,
    /// Why the last token was refused, said on the sign-in form.
    refused: RwSignal<Option<String>>,
}

impl AdminSession {
    fn provide() -> AdminSession {
        let saved = session_storage().and_then(|s| s.get_item(TOKEN_KEY).ok().flatten()).filter(|t| !t.is_empty());
        let session = AdminSession { token: RwSignal::new(saved), refused: RwSignal::new(None) };
        provide_context(session);
        session
    }

    pub fn token(&self) -> String {
        self.token.get().unwrap_or_default()
    }

    fn sign_in(&self, token: String) {
        if let Some(s) = session_storage() {
            let _ = s.set_item(TOKEN_KEY, &token);
        }
        self.refused.set(None);
        self.token.set(Some(token));
    }

    pub fn sign_out(&self) {
        if let Some(s) = session_storage() {
            let _ = s.remove_item(TOKEN_KEY);
        }
        self.token.set(None);
    }

    /// A refused token ends the session, so the sign-in form comes back
    /// and says why.
    pub fn check(&self, error: &FetchError) {
        let reason = match error.code() {
            Some(ErrorCode::Unauthorized) => "口令不对，请重新输入。".to_owned(),
            Some(ErrorCode::RateLimited { .. }) => {
                let minutes = error.rate_limited_for().unwrap_or(60).div_ceil(60).to_string();
                ["错误次数太多，这个地址暂时不能登录，请 ", &minutes, " 分钟后再试。"].concat()
            }
            _ => return,
        };
        self.sign_out();
        self.refused.set(Some(reason));
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

pub fn use_admin() -> AdminSession {
    expect_context()
}

/// Shows its children to a signed-in admin, the sign-in form to anyone else.
#[component]
pub fn AdminGate(children: ChildrenFn) -> impl IntoView {
    let session = use_context::<AdminSession>().unwrap_or_else(AdminSession::provide);
    crate::title::set_page_title("管理后台");
    view! {
        <div class="admin">
            <Show when=move || session.token.get().is_some() fallback=move || view! { <SignIn session/> }>
                <nav class="admin-nav" aria-label="管理">
                    <a href="/admin">"商品"</a>
                    <a href="/admin/orders">"订单"</a>
                    <a href="/admin/adoptions">"认养"</a>
                    <button type="button" class="link-button" on:click=move |_| session.sign_out()>"退出登录"</button>
                </nav>
                {children()}
            </Show>
        </div>
    }
}

#[component]
fn SignIn(session: AdminSession) -> impl IntoView {
    let token = RwSignal::new(String::new());
    view! {
        <h1>"管理后台登录"</h1>
        <form class="lookup" on:submit=move |ev| {
            ev.prevent_default();
            let t = token.get_untracked().trim().to_owned();
            if !t.is_empty() { session.sign_in(t); }
        }>
            <div class="field">
                <label for="admin-token">"管理口令"</label>
                <input id="admin-token" type="password" autocomplete="current-password" aria-describedby="admin-token-error"
                    aria-invalid=move || session.refused.with(|r| r.as_ref().map(|_| "true"))
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                <p id="admin-token-error" class="field-error" role="alert">{move || session.refused.get()}</p>
            </div>
            <p class="muted small">"口令来自服务器的 ADMIN_TOKEN，或首次启动时生成的 data/admin-token 文件。只保存在本标签页，关闭即失效。"</p>
            <button type="submit" class="button">"登录"</button>
        </form>
    }
}
