//! A labelled number box paired with a range slider: type for precision,
//! slide to explore. The text the user typed is kept as typed (never
//! reformatted while they type); a refusal is shown beside the field, also
//! one that involves another field too (a cap below the first delay).
//!
//! Typed text counts once the student has finished typing: on Enter, on
//! leaving the box, or after a pause of [`TYPING_PAUSE`]. Until then the results
//! keep the last finished value, so typing 150 never computes with 15 on the
//! way. The slider counts at once.

use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::fields::{FieldError, NumberSpec};
use mqtt_lab_core::format;
use std::time::Duration;

/// How long the box waits after the last key before the text counts: longer
/// than the gap between two keys of someone typing a number (about 100-300 ms),
/// short enough that the result seems to follow.
const TYPING_PAUSE: Duration = Duration::from_millis(500);

/// A numeric input's state: its spec and the text in the box.
#[derive(Clone, Copy)]
pub struct NumberInput {
    pub spec: &'static NumberSpec,
    pub text: RwSignal<String>,
}

impl NumberInput {
    /// Creates the input from the URL (or the default) and owns its parameter.
    pub fn new(spec: &'static NumberSpec) -> Self {
        Self {
            spec,
            text: use_url().number(spec),
        }
    }

    /// An input that is not part of the page's URL (settings that must not be
    /// shared, or that a permalink does not need).
    pub fn local(spec: &'static NumberSpec) -> Self {
        Self {
            spec,
            text: RwSignal::new(spec.default_text()),
        }
    }

    /// The parsed value of the finished text, or why it is refused. Tracks
    /// the text.
    pub fn value(&self) -> Result<f64, FieldError> {
        self.spec.parse(&self.text.get())
    }
}

#[component]
pub fn NumberField(
    input: NumberInput,
    /// The model's refusal of a combination of fields (the cap below the
    /// first delay), shown here when it names this field.
    #[prop(optional, into)]
    cross: Option<Signal<Option<FieldError>>>,
) -> impl IntoView {
    let spec = input.spec;
    let id = format!("f-{}", spec.key);
    let label_for = id.clone();
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    // What is in the box; `input.text` takes it once it is finished, and
    // gives it back when something else (the slider, the address) sets it.
    let draft = RwSignal::new(input.text.get_untracked());
    Effect::watch(
        move || input.text.get(),
        move |text, _, _| draft.set(text.clone()),
        false,
    );
    let typed = StoredValue::new(0u32);
    let finish = move || {
        let text = draft.get_untracked();
        if input.text.with_untracked(|t| *t != text) {
            input.text.set(text);
        }
    };
    let on_typed = move |ev: leptos::ev::Event| {
        draft.set(event_target_value(&ev));
        typed.update_value(|n| *n = n.wrapping_add(1));
        let this = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() == this {
                    finish();
                }
            },
            TYPING_PAUSE,
        );
    };
    // A refusal shows while typing (a letter, 150 in a field up to 100);
    // the results wait for the finished text.
    let error = Memo::new(move |_| match spec.parse(&draft.get()) {
        Err(e) => Some(e.message),
        Ok(_) => cross
            .and_then(|c| c.get())
            .filter(|e| e.key == spec.key)
            .map(|e| e.message),
    });
    // The slider follows the last valid value so it never jumps to 0 on a typo.
    let slider_value = Memo::new(move |prev: Option<&f64>| match input.value() {
        Ok(v) => v.min(spec.slider_max),
        Err(_) => prev.copied().unwrap_or(spec.default),
    });
    let unit_suffix = if spec.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    let value_text = {
        let unit_suffix = unit_suffix.clone();
        move || format!("{}{}", format::number(slider_value.get(), 3), unit_suffix)
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=label_for>
                {spec.label}
                {(!spec.unit.is_empty()).then(|| view! { <span class="unit">" (" {spec.unit} ")"</span> })}
            </label>
            <div class="field-row">
                <input
                    id=id
                    class="number"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=described_by
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    prop:value=move || draft.get()
                    on:input=on_typed
                    on:change=move |_| finish()
                />
                <input
                    type="range"
                    tabindex="0"
                    aria-label=format!("{} slider", spec.label)
                    min=format::plain(spec.min)
                    max=format::plain(spec.slider_max)
                    step=format::plain(spec.step)
                    prop:value=move || format::plain(slider_value.get())
                    aria-valuetext=value_text
                    on:input=move |ev| input.text.set(event_target_value(&ev))
                />
            </div>
            <p id=error_id class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}
