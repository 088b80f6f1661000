//! A choice between named options: radio buttons in a fieldset, keyboard
//! operable by the browser's own arrow-key handling.

use leptos::prelude::*;
use mqtt_lab_core::fields::ChoiceSpec;

/// Up to this many options are radio buttons; more become a select.
const MAX_RADIOS: usize = 5;

#[component]
pub fn Choice(
    spec: &'static ChoiceSpec,
    /// The selected slug.
    selected: RwSignal<&'static str>,
) -> impl IntoView {
    if spec.options.len() > MAX_RADIOS {
        let id = format!("c-{}", spec.key);
        let label_for = id.clone();
        let options = spec
            .options
            .iter()
            .map(|(slug, label)| view! { <option value=*slug selected=move || selected.get() == *slug>{*label}</option> })
            .collect_view();
        return view! {
            <div class="field">
                <label for=label_for>{spec.label}</label>
                <select
                    id=id
                    on:change=move |ev| {
                        if let Ok(slug) = spec.parse(&event_target_value(&ev)) {
                            selected.set(slug);
                        }
                    }
                >
                    {options}
                </select>
            </div>
        }
        .into_any();
    }
    let options = spec
        .options
        .iter()
        .map(|(slug, label)| {
            let id = format!("c-{}-{}", spec.key, slug);
            let label_for = id.clone();
            view! {
                <label class="choice-option" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name=spec.key
                        value=*slug
                        prop:checked=move || selected.get() == *slug
                        on:change=move |_| selected.set(slug)
                    />
                    <span>{*label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choice">
            <legend>{spec.label}</legend>
            <div class="choice-options">{options}</div>
        </fieldset>
    }
    .into_any()
}
