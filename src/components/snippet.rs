//! A generated code snippet with a copy button.

use super::copy_on_click;
use leptos::prelude::*;

#[component]
pub fn CodeSnippet(
    title: &'static str,
    /// Language name for the label ("Python", "mosquitto.conf", "Arduino").
    lang: &'static str,
    #[prop(into)] code: Signal<String>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    view! {
        <figure class="snippet">
            <figcaption class="snippet-head">
                <span>{title} <span class="lang">" · " {lang}</span></span>
                <button type="button" class="copy" on:click=copy_on_click(code, status) aria-label=format!("Copy {title}")>
                    "Copy"
                </button>
            </figcaption>
            <pre tabindex="0"><code>{move || code.get()}</code></pre>
            <p class="copy-status" role="status">{move || status.get()}</p>
        </figure>
    }
}
