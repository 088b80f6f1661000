//! The message log: the newest messages, as keyed rows that are added and
//! removed, never rebuilt, so a flood costs one small DOM change per batch.

use leptos::prelude::*;
use mqtt_lab_core::format::number;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::mqtt::Publish;

/// The log keeps this many messages; older ones are dropped and counted.
pub const LOG_MAX: usize = 200;
/// Bytes of a payload kept for display; the total length is always shown.
const PAYLOAD_SHOWN: usize = 4096;

#[derive(Clone, PartialEq)]
pub struct LogEntry {
    pub seq: u64,
    pub topic: String,
    pub qos: u8,
    pub retain: bool,
    pub dup: bool,
    /// At most [`PAYLOAD_SHOWN`] bytes.
    pub payload: Vec<u8>,
    pub size: usize,
    /// MQTT 5 properties for people (name, value).
    pub props: Vec<(&'static str, String)>,
}

impl LogEntry {
    pub fn new(seq: u64, p: &Publish) -> Self {
        Self {
            seq,
            topic: p.topic.clone(),
            qos: p.qos.as_u8(),
            retain: p.retain,
            dup: p.dup,
            payload: p.payload[..p.payload.len().min(PAYLOAD_SHOWN)].to_vec(),
            size: p.payload.len(),
            props: mqtt_lab_core::inspect::message_properties(p),
        }
    }
}

/// The log's state: rows, and how many were not shown.
#[derive(Clone, Copy)]
pub struct MessageLog {
    pub rows: RwSignal<Vec<LogEntry>>,
    pub dropped: RwSignal<u64>,
    pub paused: RwSignal<bool>,
}

impl MessageLog {
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            dropped: RwSignal::new(0),
            paused: RwSignal::new(false),
        }
    }

    /// Adds a batch of messages in one update.
    pub fn add(self, batch: Vec<LogEntry>) {
        if batch.is_empty() {
            return;
        }
        if self.paused.get_untracked() {
            self.dropped.update(|d| *d += batch.len() as u64);
            return;
        }
        let mut extra = 0;
        self.rows.update(|rows| {
            rows.extend(batch);
            if rows.len() > LOG_MAX {
                extra = rows.len() - LOG_MAX;
                rows.drain(..extra);
            }
        });
        if extra > 0 {
            self.dropped.update(|d| *d += extra as u64);
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
    let MessageLog {
        rows,
        dropped,
        paused,
    } = log;
    view! {
        <section aria-labelledby="live-messages-h">
            <h2 id="live-messages-h">"Messages"</h2>
            <div class="log-controls">
                <label for="live-display">"Show payloads as "</label>
                <select id="live-display" on:change=move |ev| display.set(match event_target_value(&ev).as_str() { "json" => "json", "hex" => "hex", _ => "text" })>
                    <option value="text">"text"</option>
                    <option value="json">"JSON"</option>
                    <option value="hex">"hex"</option>
                </select>
                <button type="button" class="small secondary" on:click=move |_| paused.update(|p| *p = !*p)>{move || if paused.get() { "Resume" } else { "Pause" }}</button>
                <button type="button" class="small secondary" on:click=move |_| { rows.set(Vec::new()); dropped.set(0); }>"Clear"</button>
                <span class="dropped">{move || (dropped.get() > 0).then(|| format!("{} older or paused messages not shown", number(dropped.get() as f64, 0)))}</span>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Message log">
                <table class="log-table">
                    <thead><tr><th scope="col" class="left">"Topic"</th><th scope="col">"QoS"</th><th scope="col">"Retain"</th><th scope="col">"Dup"</th><th scope="col" class="left">"Payload"</th><th scope="col" class="left">"Properties (MQTT 5)"</th></tr></thead>
                    <tbody>
                        <For
                            each=move || rows.get().into_iter().rev()
                            key=move |m| (m.seq, display.get())
                            let:m
                        >
                            <tr>
                                <td class="left"><code>{m.topic.clone()}</code></td>
                                <td>{m.qos}</td>
                                <td>{if m.retain { "yes" } else { "" }}</td>
                                <td>{if m.dup { "yes" } else { "" }}</td>
                                <td class="left"><pre class="payload">{
                                    let mut text = render_payload(&m.payload, display.get_untracked());
                                    if m.size > m.payload.len() {
                                        text.push_str(&format!(" … ({} bytes in all)", number(m.size as f64, 0)));
                                    }
                                    text
                                }</pre></td>
                                <td class="left props">{
                                    m.props.iter().map(|(k, v)| view! { <div><span class="prop-name">{*k}</span>" "<code>{v.clone()}</code></div> }).collect_view()
                                }</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
