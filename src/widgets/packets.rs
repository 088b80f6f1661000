//! `?w=packets`: the packet inspector on its own. Paste a hex dump (from
//! Wireshark, or typed) and see each packet field by field, offline; or open
//! a session exported from the live broker page.

use crate::components::*;
use crate::inspector::{Opened, PacketDetail, SequenceDiagram};
use crate::url_state::use_url;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::inspect::{self, Explained, Row};
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::mqtt::client::wire::WireEntry;
use mqtt_lab_core::mqtt::Protocol;
use wasm_bindgen::JsCast;

const LANES: &[&str] = &["client", "broker"];

fn check_hex(t: &str) -> Result<(), String> {
    inspect::parse_hex(t).map(|_| ())
}

/// What the page shows: a pasted dump, or a session opened from a file.
#[derive(Clone, PartialEq)]
enum Source {
    Dump,
    Session(String, Protocol, Vec<WireEntry>),
}

#[component]
pub fn Packets() -> impl IntoView {
    let url = use_url();
    let version = url.choice(&core_live::VERSION);
    let hex = url.text("hex", inspect::EXAMPLES[0].2, check_hex);
    let source = RwSignal::new(Source::Dump);
    let selected = RwSignal::new(Some(0u64));
    let file_error = RwSignal::new(None::<String>);

    let protocol = move || Protocol::from_slug(version.get());
    let bytes = Memo::new(move |_| inspect::parse_hex(&hex.get()));
    let hex_error = Signal::derive(move || bytes.get().err());
    let packets = Memo::new(move |_| {
        bytes
            .get()
            .map(|b| inspect::explain(protocol(), &b))
            .unwrap_or_default()
    });

    let rows = Signal::derive(move || -> Vec<Row> {
        match source.get() {
            Source::Dump => inspect::dump_rows(protocol(), &packets.get()),
            Source::Session(_, p, entries) => {
                let t0 = entries.first().map_or(0, |e| e.at_ms);
                inspect::wire_rows(p, &entries, t0, &mut None)
            }
        }
    });
    let opened = Signal::derive(move || -> Option<Opened> {
        let key = selected.get()?;
        match source.get() {
            Source::Dump => packets.with(|all| {
                let x: &Explained = all.get(key as usize)?;
                Some(Opened::decode(protocol(), x.summary(), x.raw.clone()))
            }),
            Source::Session(_, p, entries) => {
                let e = entries.iter().find(|e| e.seq == key)?;
                (!e.raw.is_empty()).then(|| Opened::decode(p, e.summary(p), e.raw.clone()))
            }
        }
    });
    let first_error = move || {
        packets.with(|all| {
            all.iter().find_map(|x| {
                x.result
                    .as_ref()
                    .err()
                    .map(|e| (x.start + e.offset, e.rule))
            })
        })
    };

    let open_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        // Emptied, so that choosing the same file again (after looking at a
        // sample) is a change and opens it again.
        input.set_value("");
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            match text.map(|t| crate::inspector::read_session(&t).and_then(inspect::import)) {
                Some(Ok((p, entries))) => {
                    file_error.set(None);
                    selected.set(entries.iter().find(|e| !e.raw.is_empty()).map(|e| e.seq));
                    source.set(Source::Session(name, p, entries));
                }
                Some(Err(e)) => file_error.set(Some(format!("{name}: {e}"))),
                None => file_error.set(Some(format!("{name} could not be read"))),
            }
        });
    };

    let examples = inspect::EXAMPLES
        .iter()
        .map(|(name, v, dump)| {
            view! {
                <button type="button" class="small secondary" on:click=move |_| {
                    version.set(v);
                    hex.set(dump.to_string());
                    source.set(Source::Dump);
                    selected.set(Some(0));
                }>{*name}</button>
            }
        })
        .collect_view();

    view! {
        <Intro html=content::packets::INTRO />
        <div class="widget-grid">
            <section class="inputs" aria-label="Bytes">
                <Choice spec=&core_live::VERSION selected=version />
                <div class="field" class:invalid=move || hex_error.get().is_some()>
                    <label for="t-hex">"Bytes in hex"</label>
                    <textarea id="t-hex" class="hex-input" spellcheck="false" autocomplete="off"
                        aria-describedby="t-hex-error"
                        aria-invalid=move || if hex_error.get().is_some() { "true" } else { "false" }
                        prop:value=move || hex.get()
                        on:input=move |ev| { hex.set(event_target_value(&ev)); source.set(Source::Dump); selected.set(Some(0)); }></textarea>
                    <p id="t-hex-error" class="field-error" aria-live="polite">{move || hex_error.get()}</p>
                </div>
                <div class="exercise-actions">{examples}</div>
                <div class="field">
                    <label for="session-file">"Or open a session exported from the live broker page (JSON)"</label>
                    <input id="session-file" type="file" accept="application/json,.json" on:change=open_file />
                    <p class="field-error" role="alert">{move || file_error.get()}</p>
                </div>
            </section>
            <Results stale=Signal::derive(move || hex_error.get().is_some())>
                <ResultOutput label="Packets" name="packets"
                    value=Signal::derive(move || rows.get().iter().filter(|r| r.arrow != inspect::Arrow::Note).count().to_string())
                    text=Signal::derive(move || match source.get() {
                        Source::Dump => format!("{} in the dump", packets.with(Vec::len)),
                        Source::Session(name, _, e) => format!("{} in {name}", e.iter().filter(|e| !e.raw.is_empty()).count()),
                    }) />
                <ResultOutput label="First broken rule" name="error-rule"
                    value=Signal::derive(move || first_error().map(|(_, r)| r.to_string()).unwrap_or_default())
                    text=Signal::derive(move || first_error().map_or("none".into(), |(at, r)| format!("{r} at byte {at}"))) />
            </Results>
        </div>
        <section class="inspector" aria-labelledby="packets-h">
            <h2 id="packets-h">"Packets"</h2>
            <div class="inspector-grid">
                <SequenceDiagram lanes=LANES rows=rows selected=selected label="Packets in the dump" />
                <PacketDetail packet=opened />
            </div>
        </section>
        <Optional part=Part::Explain><Prose html=content::packets::EXPLAIN /></Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::packets::LINK, [Param::Choice(&core_live::VERSION), Param::Text("hex", "the bytes")]) /></Optional>
    }
}
