//! Results per the page contract: `<output name="KEY" data-value="V">text</output>`,
//! with a machine-readable `data-value` and a human text.

use leptos::prelude::*;

/// One labelled result.
#[component]
pub fn ResultOutput(
    label: &'static str,
    /// The contract key (`name` attribute).
    name: &'static str,
    /// Machine-readable value: `.` decimal point, no separators.
    #[prop(into)]
    value: Signal<String>,
    /// Human text: units, separators, rounding.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    let id = format!("r-{name}");
    view! {
        <div class="result">
            <span class="result-label" id=id.clone()>{label}</span>
            <output name=name data-value=move || value.get() aria-labelledby=id>
                {move || text.get()}
            </output>
        </div>
    }
}

/// A group of results, with a note when they stand for the last valid inputs.
#[component]
pub fn Results(
    /// True while some input is refused: results are those of the last valid inputs.
    #[prop(into)]
    stale: Signal<bool>,
    /// The region's name, where a page has more than one group ("Results").
    #[prop(optional)]
    label: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="results" aria-label=label.unwrap_or("Results") class:stale=move || stale.get()>
            {children()}
            <p class="stale-note" aria-live="polite">
                {move || {
                    stale.get().then_some("A field above needs fixing; these results are for the last valid values.")
                }}
            </p>
        </section>
    }
}
