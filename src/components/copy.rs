//! Copying text to the clipboard, and saying whether it worked (in a status
//! region, so that screen readers announce it).

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Copies `text`; `report` gets the sentence that says how it went.
pub fn copy(text: String, report: impl FnOnce(&'static str) + 'static) {
    spawn_local(async move {
        let promise = window().navigator().clipboard().write_text(&text);
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        report(if copied {
            "Copied to the clipboard."
        } else {
            "Could not copy: select the text and press Ctrl+C."
        });
    });
}

/// A click handler that copies `text` and reports the outcome in `status`.
pub fn copy_on_click(
    text: Signal<String>,
    status: RwSignal<String>,
) -> impl Fn(web_sys::MouseEvent) + Copy + 'static {
    move |_| {
        copy(text.get_untracked(), move |said| {
            status.set(said.to_string())
        })
    }
}
