//! The topics this session received, as a tree with counts, retained
//! messages marked, and a filter that highlights what it would match.

use leptos::prelude::*;
use mqtt_lab_core::format::number;
use mqtt_lab_core::live_session::LiveSession;
use mqtt_lab_core::mqtt::topic;

#[component]
pub fn TopicsView(session: RwSignal<LiveSession>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let filter_error = move || {
        let f = filter.get();
        let f = f.trim();
        (!f.is_empty()).then(|| {
            topic::check_filter(f)
                .err()
                .map(|why| format!("This filter {why}."))
        })?
    };
    let rows = move || session.with(|s| s.tree.rows(&filter.get()));
    let matched = move || rows().iter().filter(|r| r.matched).count();
    view! {
        <section aria-labelledby="live-topics-h">
            <h2 id="live-topics-h">"Topics received"</h2>
            <div class="field" class:invalid=move || filter_error().is_some()>
                <label for="live-filter">"Highlight the topics a subscription filter matches"</label>
                <input id="live-filter" class="text" type="text" autocomplete="off" spellcheck="false" placeholder="sensors/+/temperature"
                    aria-describedby="live-filter-help"
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
                <p id="live-filter-help" class="hint" aria-live="polite">{move || filter_error().unwrap_or_else(|| {
                    if filter.get().trim().is_empty() {
                        "+ stands for one level, # for the rest; a filter that starts with a wildcard does not match $ topics (§4.7.2).".to_string()
                    } else {
                        format!("It matches {} of the topics below.", matched())
                    }
                })}</p>
            </div>
            <ul class="topic-tree">
                <For each=rows key=|r| (r.path.clone(), r.own, r.total, r.retained, r.matched) let:r>
                    <li class="topic-row" class:matched=r.matched style=format!("--depth: {}", r.depth)>
                        <code>{if r.level.is_empty() { "(empty level)".to_string() } else { r.level.clone() }}</code>
                        " "
                        <span class="topic-count">{if r.is_topic && r.own != r.total {
                            format!("{} here, {} in all", number(r.own as f64, 0), number(r.total as f64, 0))
                        } else {
                            format!("{} messages", number(r.total as f64, 0))
                        }}</span>
                        {r.retained.then(|| view! { <span class="tag">"retained"</span> })}
                        {r.matched.then(|| view! { <span class="tag match">"matches"</span> })}
                    </li>
                </For>
            </ul>
            {move || session.with(|s| (s.tree.unshown > 0).then(|| view! {
                <p class="hint">{format!("{} messages to further topics not shown: the tree keeps {} topics.", number(s.tree.unshown as f64, 0), mqtt_lab_core::topic_tree::MAX_TOPICS)}</p>
            }))}
        </section>
    }
}
