//! Honouring a `429`'s `Retry-After`: the button that sent the refused
//! request stays off until the server will take it again.

use crate::api::FetchError;
use leptos::prelude::*;
use std::time::Duration;

/// Turns `busy` off now, or, when `error` was a rate limit, once its wait is over.
pub fn release_when_allowed(busy: RwSignal<bool>, error: Option<&FetchError>) {
    match error.and_then(FetchError::rate_limited_for) {
        Some(secs) => set_timeout(move || busy.set(false), Duration::from_secs(secs)),
        None => busy.set(false),
    }
}
