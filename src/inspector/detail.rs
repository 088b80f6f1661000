//! One packet opened: its fields as a table (fixed header, variable header,
//! each MQTT 5 property, payload) beside its bytes in hex. Choosing a field
//! highlights its bytes; each field links to the section of the
//! specification that defines it, in the version the session speaks. A
//! packet that breaks a rule shows the fields read before it, the byte
//! where it broke, and the rule.

use leptos::prelude::*;
use mqtt_lab_core::inspect::spec_url;
use mqtt_lab_core::mqtt::coding::Field;
use mqtt_lab_core::mqtt::{DecodeError, Protocol};
use mqtt_lab_core::spec_anchors;

/// Bytes shown in the hex view at most; a longer packet says how many more.
const HEX_SHOWN: usize = 2048;

#[derive(Clone, PartialEq)]
pub struct Opened {
    pub protocol: Protocol,
    pub title: String,
    pub raw: Vec<u8>,
    pub fields: Vec<Field>,
    pub error: Option<DecodeError>,
}

impl Opened {
    pub fn decode(protocol: Protocol, title: String, raw: Vec<u8>) -> Self {
        let (fields, error) = mqtt_lab_core::inspect::fields(protocol, &raw);
        Self {
            protocol,
            title,
            raw,
            fields,
            error,
        }
    }
}

fn version_name(p: Protocol) -> &'static str {
    match p {
        Protocol::V311 => "MQTT 3.1.1",
        Protocol::V5 => "MQTT 5.0",
    }
}

/// The bytes as lines of 16 with their offset, the chosen range and the
/// byte where a rule broke marked. Only hex digits: nothing to escape.
fn hex_markup(bytes: &[u8], range: Option<(usize, usize)>, error_at: Option<usize>) -> String {
    use std::fmt::Write;
    let mut m = String::with_capacity(bytes.len() * 24);
    for (line, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(
            m,
            r#"<div class="hex-line"><span class="offset">{:04x}</span>"#,
            line * 16
        );
        for (i, b) in chunk.iter().enumerate() {
            let at = line * 16 + i;
            let sel = range.is_some_and(|(s, e)| at >= s && at < e);
            let class = match (sel, error_at == Some(at)) {
                (true, true) => "byte sel err",
                (true, false) => "byte sel",
                (false, true) => "byte err",
                _ => "byte",
            };
            let _ = write!(m, r#"<span class="{class}">{b:02x}</span>"#);
        }
        m.push_str("</div>");
    }
    m
}

/// The fields as table rows (markup, escaped): name as a button carrying
/// its bytes, value, byte range, and the link to its section.
fn fields_markup(o: &Opened) -> String {
    use mqtt_lab_core::format::html_escape as escape;
    use std::fmt::Write;
    let p = o.protocol;
    let mut m = String::new();
    for f in &o.fields {
        let (start, end) = (f.start, f.end);
        let bytes = if end > start + 1 {
            format!("{start}–{}", end - 1)
        } else {
            format!("{start}")
        };
        let link = if f.section.is_empty() {
            String::new()
        } else {
            let at = spec_anchors::anchor(p, f.section)
                .map(|a| format!("#{a}"))
                .unwrap_or_default();
            format!(
                r#"<a href="{}{at}" target="_blank" rel="noopener" title="Section {} of {}">§{}</a>"#,
                spec_url(p),
                f.section,
                version_name(p),
                f.section
            )
        };
        let _ = write!(
            m,
            r#"<tr><th scope="row" class="left indent" style="--depth: {}"><button type="button" class="link-button" aria-pressed="false" data-start="{start}" data-end="{end}">{}</button></th><td class="left field-value"><code>{}</code></td><td>{bytes}</td><td>{link}</td></tr>"#,
            f.depth,
            escape(f.name),
            escape(&f.value)
        );
    }
    m
}

#[component]
pub fn PacketDetail(#[prop(into)] packet: Signal<Option<Opened>>) -> impl IntoView {
    // The byte range of the chosen field (end exclusive).
    let range = RwSignal::new(None::<(usize, usize)>);
    Effect::new(move |_| {
        packet.track();
        range.set(None);
    });
    let body = NodeRef::<leptos::html::Tbody>::new();
    // One click handler for the fields: a field's button carries its bytes.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-start]").ok().flatten());
        let bytes = button.and_then(|b| {
            let at = |k: &str| b.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
            Some((at("data-start")?, at("data-end")?))
        });
        if let Some((start, end)) = bytes {
            range.set(Some((start, end.max(start + 1))));
        }
    };
    // The chosen field's row is marked where the markup already stands.
    Effect::new(move |_| {
        let chosen = range.get();
        let Some(tbody) = body.get() else { return };
        let Ok(buttons) = tbody.query_selector_all("button[data-start]") else {
            return;
        };
        for i in 0..buttons.length() {
            use wasm_bindgen::JsCast;
            let Some(b) = buttons
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let at = |k: &str| b.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
            let on = matches!((at("data-start"), at("data-end"), chosen), (Some(s), Some(e), Some((cs, ce))) if s == cs && e.max(s + 1) == ce);
            let _ = b.set_attribute("aria-pressed", if on { "true" } else { "false" });
            if let Some(tr) = b.closest("tr").ok().flatten() {
                let _ = tr.class_list().toggle_with_force("chosen", on);
            }
        }
    });
    move || {
        packet.get().map(|o| {
            let p = o.protocol;
            let error_at = o.error.as_ref().map(|e| e.offset);
            let rows = fields_markup(&o);
            let shown = o.raw.len().min(HEX_SHOWN);
            let raw = o.raw.clone();
            // Markup, not a view per byte: up to 2,048 bytes, redrawn whole
            // when the chosen field changes.
            let hex = move || hex_markup(&raw[..shown], range.get(), error_at);
            let more = (o.raw.len() > shown).then(|| format!("… {} more bytes not shown", o.raw.len() - shown));
            view! {
                <section class="packet-detail" aria-label=format!("Fields of {}", o.title)>
                    <h3>{o.title.clone()}</h3>
                    {o.error.as_ref().map(|e| view! {
                        <p class="problem" role="alert">{format!("{e}. The highlighted byte {} is where it breaks; the fields above it were read.", e.offset)}</p>
                    })}
                    <p class="hint">{format!("{} bytes, {}. Choose a field to highlight its bytes; § links open the {} standard.", o.raw.len(), version_name(p), version_name(p))}</p>
                    <div class="detail-grid">
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Fields">
                            <table class="fields-table">
                                <thead><tr><th scope="col" class="left">"Field"</th><th scope="col" class="left">"Value"</th><th scope="col">"Bytes"</th><th scope="col">"Spec"</th></tr></thead>
                                <tbody inner_html=rows node_ref=body on:click=on_click></tbody>
                            </table>
                        </div>
                        <div class="hex-view" role="region" tabindex="0" aria-label=format!("The packet's {} bytes in hex, the chosen field's highlighted", o.raw.len())>
                            <div inner_html=hex></div>
                            {more.map(|m| view! { <p class="hint">{m}</p> })}
                        </div>
                    </div>
                </section>
            }
        })
    }
}
