//! A choice between named options: radio buttons in a fieldset, keyboard
//! operable by the browser's own arrow-key handling.

use leptos::prelude::*;
use mqtt_lab_core::fields::ChoiceSpec;

#[component]
pub fn Choice(
    spec: &'static ChoiceSpec,
    /// The selected slug.
    selected: RwSignal<&'static str>,
) -> impl IntoView {
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
}
