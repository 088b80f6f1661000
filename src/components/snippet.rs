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
            // One block per line (copy takes the text itself, not the page's).
            <pre tabindex="0"><code>{move || code.with(|c| c.lines().map(line).collect_view())}</code></pre>
            <p class="copy-status" role="status">{move || status.get()}</p>
        </figure>
    }
}

/// One line of a snippet as a block, so that a line too long for the card
/// wraps instead of running off its edge, its continuation indented two
/// columns past the line's own indentation (`--indent`, main.css). A blank
/// line holds a space: an empty block would have no height.
fn line(text: &str) -> impl IntoView {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let style = (indent > 0).then(|| format!("--indent:{}ch", indent + 2));
    let text = if text.is_empty() { " " } else { text };
    view! { <span class="line" style=style>{text.to_string()}</span> }
}
