//! Static explanatory HTML (model, sources, callouts, reference tables).
//!
//! The texts live in content files (`content/<slug>.md`, see
//! `docs/content.md`), rendered to HTML at build time by the core's `build.rs`
//! into [`content`]: one module per widget, one constant per part. Trusted
//! constant HTML rather than `view!` markup: the text is the same for every
//! state, and a typed element tree per paragraph costs about ten times the
//! bytes in the WebAssembly bundle. Only compile-time constants, and values
//! the app computes, go in here, never user or broker data.
//!
//! Texts refer to the claims table with `[[id]]` markers
//! (`mqtt_lab_core::claims`), shown as links to the source the claim was
//! checked against: in a part, the build has made them links already; in a
//! plain text, [`Sourced`] makes them.

use leptos::prelude::*;
use mqtt_lab_core::claims::{self, content as render, Segment};
use mqtt_lab_core::fields::{parameters_html, Param};
use mqtt_lab_core::widgets::{Part, Parts};

pub use mqtt_lab_core::content;

/// A part of a content file (or a text filled from one): its claim markers
/// are source links already (the core's `build.rs`), so no page looks up the
/// claims table for it.
#[component]
pub fn Prose(#[prop(into)] html: String) -> impl IntoView {
    view! { <div class="prose" inner_html=html></div> }
}

/// A widget's one-line introduction: the short text `intro:` of its
/// content file, which cites no claim (a core test checks).
#[component]
pub fn Intro(html: &'static str) -> impl IntoView {
    view! { <p class="intro" inner_html=html></p> }
}

/// A part with its `{{parameters}}` filled from the widget's field specs.
pub fn with_parameters(html: &str, params: impl IntoIterator<Item = Param>) -> String {
    render::fill(html, &[("parameters", &parameters_html(params))])
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

/// Its children where the page shows `part`: everywhere on a widget's own
/// page; in a frame only the parts the author asked for (`parts=`, see
/// [`Parts`]), so that an embed is as small as the lesson needs.
#[component]
pub fn Optional(part: Part, children: Children) -> impl IntoView {
    use_context::<Parts>()
        .unwrap_or(Parts::PAGE)
        .shows(part)
        .then(children)
}
