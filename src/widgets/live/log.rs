//! The message log: a conversation of the newest messages, received and
//! sent, oldest first with the time of each, as keyed rows that are added
//! and removed, never rebuilt. New rows are shown a few per animation frame
//! (trickle.rs), and the rows are grid rows that the browser skips while
//! off screen (main.css), so a flood never builds and lays out the whole
//! table in one long task: input waits for a few rows, not for two hundred.

use super::trickle::Trickle;
use leptos::prelude::*;
use mqtt_lab_core::format::number;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::{LogEntry, LOG_MAX};

/// The log's state: rows, messages waiting to be shown, and how many were not shown.
#[derive(Clone, Copy)]
pub struct MessageLog {
    pub trickle: Trickle<LogEntry>,
    pub paused: RwSignal<bool>,
}

impl MessageLog {
    pub fn new() -> Self {
        Self {
            trickle: Trickle::new(LOG_MAX),
            paused: RwSignal::new(false),
        }
    }

    /// Adds a batch of messages; they are shown over the next frames.
    pub fn add(self, batch: Vec<LogEntry>) {
        if self.paused.get_untracked() {
            self.trickle.count(batch.len() as u64);
        } else {
            self.trickle.push(batch);
        }
    }
}

fn render_payload(p: &[u8], mode: &str) -> String {
    match mode {
        "hex" => core_live::hex(p),
        "json" => std::str::from_utf8(p)
            .ok()
            .and_then(|s| js_sys::JSON::parse(s).ok())
            .and_then(|v| {
                js_sys::JSON::stringify_with_replacer_and_space(
                    &v,
                    &wasm_bindgen::JsValue::NULL,
                    &2.into(),
                )
                .ok()
            })
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| format!("(not JSON) {}", String::from_utf8_lossy(p))),
        _ => String::from_utf8_lossy(p).into_owned(),
    }
}

#[component]
pub fn MessageLogView(log: MessageLog) -> impl IntoView {
    let display = RwSignal::new("text");
    let MessageLog { trickle, paused } = log;
    let Trickle { rows, dropped, .. } = trickle;
    view! {
        <div>
            <h2 id="live-messages-h">"Messages"</h2>
            <div class="log-controls">
                <label for="live-display">"Show payloads as "</label>
                <select id="live-display" on:change=move |ev| display.set(match event_target_value(&ev).as_str() { "json" => "json", "hex" => "hex", _ => "text" })>
                    <option value="text">"text"</option>
                    <option value="json">"JSON"</option>
                    <option value="hex">"hex"</option>
                </select>
                <button type="button" class="small secondary" on:click=move |_| paused.update(|p| *p = !*p)>{move || if paused.get() { "Resume" } else { "Pause" }}</button>
                <button type="button" class="small secondary" on:click=move |_| trickle.clear()>"Clear"</button>
                <span class="dropped">{move || (dropped.get() > 0).then(|| format!("{} older or paused messages not shown", number(dropped.get() as f64, 0)))}</span>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Message log">
                // Laid out as grid rows (main.css), so the table roles are spelled out.
                <table class="log-table" role="table">
                    <thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader" class="left">"Time"</th><th scope="col" role="columnheader" class="left">"Way"</th><th scope="col" role="columnheader" class="left">"Topic"</th><th scope="col" role="columnheader">"QoS"</th><th scope="col" role="columnheader">"Retain"</th><th scope="col" role="columnheader">"Dup"</th><th scope="col" role="columnheader" class="left">"Payload"</th><th scope="col" role="columnheader" class="left">"Properties (MQTT 5)"</th></tr></thead>
                    <tbody role="rowgroup">
                        <For
                            each=move || rows.get()
                            key=move |m| (m.sent, m.seq, display.get())
                            let:m
                        >
                            // Few nodes per row: a flood replaces all of them ten times a second.
                            <tr role="row" class=if m.sent { "sent" } else { "received" }>
                                <td role="cell" class="left time">{clock(m.at_ms)}</td>
                                <td role="cell" class="left way">{if m.sent { "sent" } else { "received" }}</td>
                                <td role="cell" class="left topic">{m.topic.clone()}</td>
                                <td role="cell" class="qos">{m.qos}</td>
                                <td role="cell" class="retain">{if m.retain { "yes" } else { "" }}</td>
                                <td role="cell" class="dup">{if m.dup { "yes" } else { "" }}</td>
                                <td role="cell" class="left payload">{
                                    let mut text = render_payload(&m.payload, display.get_untracked());
                                    if m.size > m.payload.len() {
                                        text.push_str(&format!(" … ({} bytes in all)", number(m.size as f64, 0)));
                                    }
                                    text
                                }</td>
                                <td role="cell" class="left props">{
                                    m.props.iter().map(|(k, v)| view! { <div><span class="prop-name">{*k}</span>" "<code>{v.clone()}</code></div> }).collect_view()
                                }</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// The local time of day of a page-clock stamp, to the millisecond.
fn clock(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        d.get_milliseconds()
    )
}
