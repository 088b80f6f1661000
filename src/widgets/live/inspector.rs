//! The live session's packets: every packet sent and received as a
//! sequence diagram (the newest rows, with a count of those not shown), one
//! packet opened field by field, and the session as a JSON file.

use super::trickle::Trickle;
use crate::inspector::{download, Opened, PacketDetail, SequenceDiagram};
use crate::live;
use leptos::prelude::*;
use mqtt_lab_core::inspect::{self, Row};
use mqtt_lab_core::mqtt::Protocol;

/// Rows the diagram shows at most (the runtime's log keeps more for export).
const ROWS_SHOWN: usize = 200;

const LANES: &[&str] = &["client", "broker"];

#[component]
pub fn LiveInspector(
    /// Changes whenever the runtime may have logged packets.
    #[prop(into)]
    tick: Signal<u64>,
) -> impl IntoView {
    // A flood makes hundreds of packets a second: rows join a few per frame.
    let trickle = Trickle::<Row>::new(ROWS_SHOWN);
    let rows = trickle.rows;
    // Entries the runtime's wire log itself let go.
    let wire_dropped = RwSignal::new(0u64);
    let dropped = Signal::derive(move || {
        let first_shown = rows.with(|r| r.first().map_or(0, |x| x.key));
        first_shown.saturating_sub(1).max(wire_dropped.get())
    });
    let selected = RwSignal::new(None::<u64>);
    let protocol = RwSignal::new(Protocol::V5);
    let export_error = RwSignal::new(None::<String>);
    // Where the view is in the log: session, last sequence number, the time
    // origin, and the last close (for the reconnect gap).
    let cursor = StoredValue::new((0u64, 0u64, None::<u64>, None::<u64>));

    Effect::new(move |_| {
        tick.track();
        let (session, last, _, _) = cursor.get_value();
        let Some(mut update) = live::wire_since(last) else {
            return;
        };
        if update.session != session {
            cursor.set_value((update.session, 0, None, None));
            trickle.clear();
            selected.set(None);
            protocol.set(update.protocol);
            update = match live::wire_since(0) {
                Some(u) => u,
                None => return,
            };
        }
        if update.entries.is_empty() {
            return;
        }
        let (session, _, t0, mut closed_at) = cursor.get_value();
        let t0 = t0.unwrap_or(update.entries[0].at_ms);
        let new_rows = inspect::wire_rows(update.protocol, &update.entries, t0, &mut closed_at);
        let last = update.entries.last().map_or(0, |e| e.seq);
        cursor.set_value((session, last, Some(t0), closed_at));
        trickle.push(new_rows);
        wire_dropped.set(update.dropped);
    });

    let opened = Signal::derive(move || {
        let seq = selected.get()?;
        let e = live::wire_entry(seq)?;
        if e.raw.is_empty() {
            return None;
        }
        Some(Opened::decode(
            protocol.get_untracked(),
            e.summary(protocol.get_untracked()),
            e.raw,
        ))
    });

    let export = move |_| {
        let r = live::export()
            .ok_or_else(|| "connect first: there is no session to export yet".to_string())
            .and_then(|json| download("mqtt-lab-session.json", "application/json", &json));
        export_error.set(r.err());
    };

    view! {
        <section class="inspector" aria-labelledby="live-packets-h">
            <h2 id="live-packets-h">"Packets on the wire"</h2>
            <p class="hint">"Every packet this page sends and receives, newest at the bottom. Choose one to see its fields and bytes. "
                <a href="?w=packets">"Open a saved session or a hex dump"</a>"."</p>
            <div class="exercise-actions">
                <button type="button" class="small secondary" on:click=export>"Export the session (JSON)"</button>
            </div>
            <p class="field-error" role="alert">{move || export_error.get()}</p>
            <div class="inspector-grid">
                <SequenceDiagram lanes=LANES rows=rows selected=selected label="Packets of this session" dropped=dropped />
                <PacketDetail packet=opened />
            </div>
        </section>
    }
}
