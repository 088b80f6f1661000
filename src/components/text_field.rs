//! A labelled free-text input (search words, a code in decimal or hex), with
//! the refusal shown beside it. The text is kept exactly as typed.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The query parameter, also the id ("t-KEY").
    key: &'static str,
    label: &'static str,
    text: RwSignal<String>,
    /// Why the text is refused, if it is (none for free search text).
    #[prop(into, optional)]
    error: MaybeProp<String>,
    /// A hint under the label (what the field accepts).
    #[prop(optional, into)]
    placeholder: String,
) -> impl IntoView {
    let id = format!("t-{key}");
    let label_for = id.clone();
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=label_for>{label}</label>
            <input
                id=id
                class="text"
                type="text"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-describedby=described_by
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
