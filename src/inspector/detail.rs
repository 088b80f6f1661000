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

#[component]
pub fn PacketDetail(#[prop(into)] packet: Signal<Option<Opened>>) -> impl IntoView {
    // The byte range of the chosen field (end exclusive).
    let range = RwSignal::new(None::<(usize, usize)>);
    Effect::new(move |_| {
        packet.track();
        range.set(None);
    });
    move || {
        packet.get().map(|o| {
            let p = o.protocol;
            let error_at = o.error.as_ref().map(|e| e.offset);
            let rows = o
                .fields
                .iter()
                .map(|f| {
                    let (start, end) = (f.start, f.end);
                    let indent = format!("--depth: {}", f.depth);
                    let section = f.section;
                    let bytes = if end > start + 1 {
                        format!("{start}–{}", end - 1)
                    } else {
                        format!("{start}")
                    };
                    view! {
                        <tr class:chosen=move || range.get() == Some((start, end))>
                            <th scope="row" class="left indent" style=indent>
                                <button type="button" class="link-button"
                                    aria-pressed=move || if range.get() == Some((start, end)) { "true" } else { "false" }
                                    on:click=move |_| range.set(Some((start, end.max(start + 1))))>{f.name}</button>
                            </th>
                            <td class="left field-value"><code>{f.value.clone()}</code></td>
                            <td>{bytes}</td>
                            <td>{(!section.is_empty()).then(|| view! {
                                <a href=spec_url(p) target="_blank" rel="noopener" title=format!("Section {section} of {}", version_name(p))>{format!("§{section}")}</a>
                            })}</td>
                        </tr>
                    }
                })
                .collect_view();
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
                                <tbody>{rows}</tbody>
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
