//! What the server learns about a page while rendering it, besides its
//! markup: its title, whether it is the 404 page, and the answers its reads
//! got. Components record them (`title`, `pages::not_found`); `ssr` reads
//! them when the render is done.

use leptos::prelude::*;
use std::sync::{Arc, Mutex};

/// What rendering learnt about the page besides its markup.
#[derive(Default)]
pub struct Facts {
    pub title: Option<String>,
    pub not_found: bool,
    /// The page's data blocks (`page_data`), in the order its reads finished.
    pub data_blocks: Vec<String>,
}

/// [`Facts`], shared by the components that set them and the renderer.
#[derive(Clone, Default)]
pub struct PageFacts(Arc<Mutex<Facts>>);

impl PageFacts {
    /// Records a fact about the page being rendered (nothing outside a render).
    pub fn record(change: impl FnOnce(&mut Facts)) {
        if let Some(facts) = use_context::<PageFacts>() {
            facts.change(change);
        }
    }

    pub fn change(&self, change: impl FnOnce(&mut Facts)) {
        change(&mut self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
    }

    /// The facts recorded so far, leaving none.
    pub fn take(&self) -> Facts {
        let mut taken = Facts::default();
        self.change(|facts| std::mem::swap(facts, &mut taken));
        taken
    }
}
