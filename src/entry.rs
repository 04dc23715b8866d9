//! Which app this page runs in (see `shop_core::entry`), and the `rel` a
//! link needs: one into another app gets `rel="external"`, so the router
//! lets the browser load that app's page instead of rendering a 404 here.

use leptos::prelude::*;
use shop_core::entry::Entry;

#[derive(Clone, Copy)]
struct Current(Entry);

pub fn provide(entry: Entry) {
    provide_context(Current(entry));
}

pub fn link_rel(href: &str) -> Option<&'static str> {
    let here = use_context::<Current>().map(|c| c.0);
    (here != Some(Entry::of(href))).then_some("external")
}
