//! A generated code snippet with a copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CodeSnippet(
    title: &'static str,
    /// Language name for the label ("Python", "mosquitto.conf", "Arduino").
    lang: &'static str,
    #[prop(into)] code: Signal<String>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let copy = move |_| {
        let text = code.get_untracked();
        spawn_local(async move {
            let promise = window().navigator().clipboard().write_text(&text);
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            status.set(if copied {
                "Copied to the clipboard.".to_string()
            } else {
                "Could not copy: select the code and press Ctrl+C.".to_string()
            });
        });
    };
    view! {
        <figure class="snippet">
            <figcaption class="snippet-head">
                <span>{title} <span class="lang">" · " {lang}</span></span>
                <button type="button" class="copy" on:click=copy aria-label=format!("Copy {title}")>
                    "Copy"
                </button>
            </figcaption>
            <pre tabindex="0"><code>{move || code.get()}</code></pre>
            <p class="copy-status" role="status">{move || status.get()}</p>
        </figure>
    }
}
