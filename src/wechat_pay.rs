//! Paying inside WeChat's browser: `WeixinJSBridge.invoke(
//! 'getBrandWCPayRequest', params, callback)`, WeChat's own bridge (the
//! end-to-end tests put the simulator's stand-in in its place). Its answer
//! says what the shopper did, not what happened to the money: only the
//! server (a notification, or its query) can say the order is paid.

use js_sys::{Function, Promise, Reflect, JSON};
use leptos::prelude::*;
use shop_core::payment::{JsapiParams, PaymentMode};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How this browser pays (read from `<html data-browser>`, which
/// `src/wechat.js` writes from the User-Agent before the app starts).
pub fn mode_here() -> PaymentMode {
    let browser = document().document_element().and_then(|html| html.get_attribute("data-browser"));
    match browser.as_deref() {
        Some("wechat") => PaymentMode::Jsapi,
        Some("mobile") => PaymentMode::H5,
        // 企业微信 cannot pay with a 公众号's JSAPI; desktops scan a code.
        _ => PaymentMode::Native,
    }
}

/// What the shopper did in WeChat's payment sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetOutcome {
    /// They paid (or so WeChat's page says): ask the server.
    Done,
    Cancelled,
    Failed,
}

/// Opens WeChat's payment sheet, once its bridge is ready.
pub async fn open_sheet(params: &JsapiParams) -> SheetOutcome {
    let Some(argument) = serde_json::to_string(params).ok().and_then(|json| JSON::parse(&json).ok()) else {
        return SheetOutcome::Failed;
    };
    let answer = Promise::new(&mut |resolve, _reject| {
        let callback: JsValue = Closure::once_into_js(move |answer: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &answer);
        });
        let argument = argument.clone();
        let invoke = move || -> bool {
            let bridge = Reflect::get(&window(), &"WeixinJSBridge".into()).ok().filter(|b| b.is_object());
            let invoke =
                bridge.as_ref().and_then(|b| Reflect::get(b, &"invoke".into()).ok()?.dyn_into::<Function>().ok());
            match (bridge, invoke) {
                (Some(bridge), Some(invoke)) => {
                    invoke.call3(&bridge, &"getBrandWCPayRequest".into(), &argument, &callback).is_ok()
                }
                _ => false,
            }
        };
        if !invoke() {
            // The bridge arrives a moment after the page in older WeChat versions.
            let when_ready = Closure::once_into_js(move || {
                invoke();
            });
            let _ = document().add_event_listener_with_callback("WeixinJSBridgeReady", when_ready.unchecked_ref());
        }
    });
    let answer = JsFuture::from(answer).await.unwrap_or(JsValue::NULL);
    let message = Reflect::get(&answer, &"err_msg".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    if message.ends_with(":ok") {
        SheetOutcome::Done
    } else if message.ends_with(":cancel") {
        SheetOutcome::Cancelled
    } else {
        SheetOutcome::Failed
    }
}
