//! Static explanatory HTML (model, sources, callouts, reference tables).
//!
//! Written as one trusted constant string per block rather than `view!`
//! markup: the text is the same for every state, and a typed element tree
//! per paragraph costs about ten times the bytes in the WebAssembly bundle.
//! Only compile-time constants go in here, never user or broker data.
//!
//! Texts refer to the claims table with `[[id]]` markers
//! (`mqtt_lab_core::claims`); both components render them as links to the
//! source the claim was checked against.

use leptos::prelude::*;
use mqtt_lab_core::claims::{self, Segment};

#[component]
pub fn Prose(html: &'static str) -> impl IntoView {
    view! { <div class="prose" inner_html=claims::link_html(html)></div> }
}

/// A plain text (never HTML) whose claim markers become source links.
#[component]
pub fn Sourced(#[prop(into)] text: String) -> impl IntoView {
    claims::segments(&text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_string().into_any(),
            Segment::Claim(c) => view! {
                " "
                <a class="source" href=c.source.url() title=claims::title(c) target="_blank" rel="noopener">"[source]"</a>
            }
            .into_any(),
        })
        .collect_view()
}
