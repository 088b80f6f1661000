//! Static explanatory HTML (model, sources, callouts, reference tables).
//!
//! Written as one trusted constant string per block rather than `view!`
//! markup: the text is the same for every state, and a typed element tree
//! per paragraph costs about ten times the bytes in the WebAssembly bundle.
//! Only compile-time constants go in here, never user or broker data.

use leptos::prelude::*;

#[component]
pub fn Prose(html: &'static str) -> impl IntoView {
    view! { <div class="prose" inner_html=html></div> }
}
