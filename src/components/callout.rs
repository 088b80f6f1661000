//! "The chapter says X; the correct value is Y", with the source.

use leptos::prelude::*;

#[component]
pub fn Callout(
    /// Short heading, e.g. "Correction: $SYS/broker/clients/maximum".
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <aside class="callout" aria-label=title>
            <p class="callout-title">{title}</p>
            <div class="callout-body">{children()}</div>
        </aside>
    }
}
