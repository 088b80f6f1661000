//! Plain bound inputs: a labelled text box and a checkbox, each tied to one
//! signal. Functions, not generic components, so every use shares one copy of
//! the rendering code (what a page with many such fields weighs, see
//! BENCHMARKS.md).

use leptos::prelude::*;

/// What a text box holds: free text, a secret, or several lines.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Password,
    Lines,
}

/// A labelled text box. `help`, when given, is a hint under it that the
/// box is described by (`ID-help`).
pub fn text_box(
    id: &'static str,
    label: &'static str,
    help: Option<&'static str>,
    kind: Kind,
    value: RwSignal<String>,
) -> impl IntoView {
    let help_id = help.map(|_| format!("{id}-help"));
    let set = move |ev: leptos::ev::Event| value.set(event_target_value(&ev));
    let input = if kind == Kind::Lines {
        view! {
            <textarea id=id class="hex-input" spellcheck="false" aria-describedby=help_id.clone()
                prop:value=move || value.get() on:input=set></textarea>
        }
        .into_any()
    } else {
        let kind = if kind == Kind::Password {
            "password"
        } else {
            "text"
        };
        view! {
            <input id=id class="text" type=kind autocomplete="off" spellcheck="false" aria-describedby=help_id.clone()
                prop:value=move || value.get() on:input=set />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {help.map(|h| view! { <p id=help_id class="hint">{h}</p> })}
        </div>
    }
}

/// A checkbox with its label; `help`, when given, is the hint under it.
pub fn check_box(
    id: &'static str,
    label: &'static str,
    help: Option<&'static str>,
    value: RwSignal<bool>,
) -> impl IntoView {
    let help_id = help.map(|_| format!("{id}-help"));
    view! {
        <label class="check">
            <input type="checkbox" id=id aria-describedby=help_id.clone()
                prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev)) />
            " " {label}
        </label>
        {help.map(|h| view! { <p id=help_id class="hint">{h}</p> })}
    }
}
