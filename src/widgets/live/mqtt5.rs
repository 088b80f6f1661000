//! MQTT 5 on the live page: properties to publish with, and subscription
//! options, each with one line on what it changes.

use crate::components::{check_box, text_box, Kind};
use leptos::prelude::*;
use mqtt_lab_core::inspect;
use mqtt_lab_core::mqtt::Properties;

/// The publish form's MQTT 5 properties, as typed.
#[derive(Clone, Copy)]
pub struct PublishProps {
    user: RwSignal<String>,
    content_type: RwSignal<String>,
    expiry: RwSignal<String>,
    response_topic: RwSignal<String>,
    correlation: RwSignal<String>,
}

impl PublishProps {
    pub fn new() -> Self {
        Self {
            user: RwSignal::new(String::new()),
            content_type: RwSignal::new(String::new()),
            expiry: RwSignal::new(String::new()),
            response_topic: RwSignal::new(String::new()),
            correlation: RwSignal::new(String::new()),
        }
    }

    /// The properties, or why the form's text is refused.
    pub fn properties(self) -> Result<Properties, String> {
        inspect::publish_properties(
            &self.user.get_untracked(),
            &self.content_type.get_untracked(),
            &self.expiry.get_untracked(),
            &self.response_topic.get_untracked(),
            &self.correlation.get_untracked(),
        )
    }
}

#[component]
pub fn PublishPropsForm(props: PublishProps, #[prop(into)] v5: Signal<bool>) -> impl IntoView {
    view! {
        <details class="overrides">
            <summary>"MQTT 5 properties of the message"</summary>
            {move || (!v5.get()).then(|| view! { <p class="hint">"Connect with MQTT 5.0 to send these; 3.1.1 has no properties."</p> })}
            {text_box("pub-user", "User properties (one name=value a line)", Some("Your own metadata, passed to subscribers unchanged, in order."), Kind::Lines, props.user)}
            {text_box("pub-ct", "Content type", Some("A MIME type such as application/json; the broker does not look at it."), Kind::Text, props.content_type)}
            {text_box("pub-exp", "Message expiry (s)", Some("The broker drops the message if it cannot deliver it within this time; subscribers see the time left."), Kind::Text, props.expiry)}
            {text_box("pub-rt", "Response topic", Some("Request/response: where the receiver should publish its answer (no wildcards)."), Kind::Text, props.response_topic)}
            {text_box("pub-cd", "Correlation data", Some("Sent back with the answer so the requester can tell which request it answers."), Kind::Text, props.correlation)}
        </details>
    }
}

/// Subscription options (MQTT 5 §3.8.3.1).
#[derive(Clone, Copy)]
pub struct SubOptions {
    pub no_local: RwSignal<bool>,
    pub retain_as_published: RwSignal<bool>,
    pub retain_handling: RwSignal<u8>,
}

impl SubOptions {
    pub fn new() -> Self {
        Self {
            no_local: RwSignal::new(false),
            retain_as_published: RwSignal::new(false),
            retain_handling: RwSignal::new(0),
        }
    }
}

#[component]
pub fn SubOptionsForm(options: SubOptions, #[prop(into)] v5: Signal<bool>) -> impl IntoView {
    let o = options;
    view! {
        <fieldset class="sub-options">
            <legend>"Subscription options (MQTT 5)"</legend>
            {move || (!v5.get()).then(|| view! { <p class="hint">"3.1.1 has none of these: connect with 5.0 to try them."</p> })}
            {check_box("opt-nl", "No Local", Some("The broker does not send you your own messages. See it: subscribe with it, then publish to the same topic: nothing comes back."), o.no_local)}
            {check_box("opt-rap", "Retain As Published", Some("Live messages keep the RETAIN flag they were published with (otherwise 0): publish with Retain and watch the log's Retain column."), o.retain_as_published)}
            <div class="field">
                <label for="opt-rh">"Retain Handling"</label>
                <select id="opt-rh" aria-describedby="opt-rh-help" on:change=move |ev| o.retain_handling.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0" selected=move || o.retain_handling.get() == 0>"0: send retained messages at subscribe"</option>
                    <option value="1" selected=move || o.retain_handling.get() == 1>"1: only for a new subscription"</option>
                    <option value="2" selected=move || o.retain_handling.get() == 2>"2: never"</option>
                </select>
                <p id="opt-rh-help" class="hint">"Subscribe twice to a topic with a retained message: with 1 it arrives once, with 2 never."</p>
            </div>
        </fieldset>
    }
}
