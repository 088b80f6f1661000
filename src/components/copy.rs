//! Copying text to the clipboard, with a status line that says whether it
//! worked (a polite status region, so screen readers announce it).

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A click handler that copies `text` and reports the outcome in `status`.
pub fn copy_on_click(
    text: Signal<String>,
    status: RwSignal<String>,
) -> impl Fn(web_sys::MouseEvent) + Copy + 'static {
    move |_| {
        let text = text.get_untracked();
        spawn_local(async move {
            let promise = window().navigator().clipboard().write_text(&text);
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            status.set(if copied {
                "Copied to the clipboard.".to_string()
            } else {
                "Could not copy: select the text and press Ctrl+C.".to_string()
            });
        });
    }
}
