//! A sequence diagram: lanes side by side, time going down, one arrow per
//! packet. It is an ordered list, so a screen reader reads the packets in
//! order with their direction and time in words; each row draws its arrow in
//! SVG (hidden from assistive technology, never the only carrier of
//! direction: the words say it too). Rows are keyed by what they show
//! (`Row::identity`), so a live session adds rows without rebuilding the
//! others and a changed flow never keeps a stale row. Arrow keys move between rows, Enter
//! or a click selects one.

use leptos::prelude::*;
use mqtt_lab_core::format::html_escape as escape;
use mqtt_lab_core::inspect::{Arrow, Row};

/// Lane positions in tenths of a percent of the row's width (integers: the
/// page then needs no float formatting).
fn lane_x(lane: usize, lanes: usize) -> usize {
    if lanes <= 1 {
        return 500;
    }
    80 + 840 * lane / (lanes - 1)
}

/// Tenths of a percent as an SVG or CSS length: 925 → "92.5%".
fn pct(tenths: usize) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The row's drawing as SVG markup: the lanes, and the arrow, a cut arrow
/// (stopping halfway with a cross) or a note band. Markup, not views: a
/// diagram has hundreds of rows and this keeps each one to one element.
fn arrow_markup(arrow: Arrow, lanes: usize, cut: bool) -> String {
    let mut m: String = (0..lanes)
        .map(|l| {
            let x = pct(lane_x(l, lanes));
            format!(r#"<line class="lane" x1="{x}" x2="{x}" y1="0" y2="100%"/>"#)
        })
        .collect();
    // The arrow runs 9 px above the row's bottom, under its label (which may
    // wrap on a narrow screen): drawn in a layer whose origin is the bottom.
    let bottom = |inner: String| format!(r#"<svg y="100%" overflow="visible">{inner}</svg>"#);
    match arrow {
        Arrow::Between(a, b) => {
            let (x1, x2) = (lane_x(a, lanes), lane_x(b, lanes));
            // A cut packet stops halfway, with a cross.
            let end = if cut { (x1 + x2) / 2 } else { x2 };
            let head = if cut {
                r#"<path class="cut-mark" d="M-6,-6 L6,6 M-6,6 L6,-6"/>"#
            } else if x2 > x1 {
                r#"<polygon class="head" points="0,0 -9,-5 -9,5"/>"#
            } else {
                r#"<polygon class="head" points="0,0 9,-5 9,5"/>"#
            };
            m.push_str(&bottom(format!(
                r#"<line class="shaft" x1="{}" x2="{}" y1="-9" y2="-9"/><svg x="{}" y="-9" overflow="visible">{head}</svg>"#,
                pct(x1),
                pct(end),
                pct(end)
            )));
        }
        Arrow::Either => {
            let (x1, x2) = (lane_x(0, lanes), lane_x(lanes - 1, lanes));
            m.push_str(&bottom(format!(
                r#"<line class="shaft either" x1="{}" x2="{}" y1="-9" y2="-9"/>"#,
                pct(x1),
                pct(x2)
            )));
        }
        Arrow::Note => m.push_str(
            r#"<rect class="note-band" x="2%" width="96%" y="12%" height="76%" rx="4"/>"#,
        ),
    }
    m
}

/// A row's content as markup: the time (and, for screen readers, the time
/// and direction as one text), the arrow, and the label with its tag over
/// the arrow. Markup rather than a view per row: less code on every page
/// that shows a diagram, and a row never changes once drawn.
fn row_markup(row: &Row, lanes: &[&str]) -> String {
    let when = escape(&row.when());
    let direction = escape(&row.direction(lanes));
    let is_note = row.arrow == Arrow::Note;
    // The label stands over its arrow (notes: across all lanes).
    let (l, r) = match row.arrow {
        Arrow::Between(a, b) => (
            lane_x(a.min(b), lanes.len()),
            1000 - lane_x(a.max(b), lanes.len()),
        ),
        _ => (20, 20),
    };
    let tag = row.badge.as_ref().map_or(String::new(), |b| {
        let b = escape(b);
        format!(r#" <span class="tag" aria-hidden="true">{b}</span><span class="visually-hidden">({b})</span>"#)
    });
    format!(
        r#"<span class="seq-time"><span aria-hidden="true">{when}</span><span class="visually-hidden">{when}, {direction}:</span></span><span class="seq-draw"><svg class="seq-svg" aria-hidden="true" focusable="false">{}</svg><span class="seq-label" style="margin-left: {}; margin-right: {}">{}{tag}</span></span>"#,
        arrow_markup(row.arrow, lanes.len(), row.refused && !is_note),
        pct(l),
        pct(r),
        escape(&row.label)
    )
}

/// One diagram. `rows` are in time order; `selected` holds the key of the
/// selected row; `cut` marks the keys of packets a connection drop cuts.
#[component]
pub fn SequenceDiagram(
    /// Names of the lanes, left to right ("client", "broker").
    lanes: &'static [&'static str],
    #[prop(into)] rows: Signal<Vec<Row>>,
    selected: RwSignal<Option<u64>>,
    /// Accessible name of the list.
    label: &'static str,
    /// Rows dropped from the start to keep the diagram bounded.
    #[prop(into, optional)]
    dropped: Signal<u64>,
) -> impl IntoView {
    let list = NodeRef::<leptos::html::Ol>::new();
    // Arrow keys move the focus between rows (Home/End to the ends).
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if !["ArrowDown", "ArrowUp", "Home", "End"].contains(&key.as_str()) {
            return;
        }
        let Some(ol) = list.get() else { return };
        let Ok(buttons) = ol.query_selector_all("button.seq-row") else {
            return;
        };
        let n = buttons.length();
        if n == 0 {
            return;
        }
        let active = document().active_element();
        let current = (0..n).find(|&i| {
            buttons
                .item(i)
                .zip(active.as_ref())
                .is_some_and(|(b, a)| js_sys::Object::is(b.as_ref(), a.as_ref()))
        });
        let next = match (key.as_str(), current) {
            ("Home", _) => 0,
            ("End", _) => n - 1,
            ("ArrowDown", Some(i)) => (i + 1).min(n - 1),
            ("ArrowUp", Some(i)) => i.saturating_sub(1),
            _ => 0,
        };
        if let Some(b) = buttons.item(next) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = b.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
                ev.prevent_default();
            }
        }
    };
    // One click handler for all rows (a row's button carries its key).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let key = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button.seq-row").ok().flatten())
            .and_then(|b| b.get_attribute("data-key"))
            .and_then(|k| k.parse().ok());
        if key.is_some() {
            selected.set(key);
        }
    };
    // The pressed row follows the selection, set on the two rows it changes.
    Effect::new(move |previous: Option<Option<u64>>| {
        let now = selected.get();
        if let Some(ol) = list.get() {
            for (key, pressed) in [(previous.flatten(), "false"), (now, "true")] {
                if let Some(k) = key {
                    if let Ok(Some(b)) = ol.query_selector(&format!("button[data-key=\"{k}\"]")) {
                        let _ = b.set_attribute("aria-pressed", pressed);
                    }
                }
            }
        }
        now
    });
    let header = lanes
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let left = format!("left: {}", pct(lane_x(i, lanes.len())));
            view! { <span class="lane-name" style=left>{*name}</span> }
        })
        .collect_view();
    view! {
        <div class="seq">
            <div class="seq-lanes" aria-hidden="true">{header}</div>
            {move || (dropped.get() > 0).then(|| view! {
                <p class="seq-dropped">{format!("{} earlier packets not shown", dropped.get())}</p>
            })}
            <ol class="seq-list" aria-label=label node_ref=list on:keydown=on_key on:click=on_click>
                <For each=move || rows.get() key=Row::identity let:row>
                    <li class="seq-item" class:seq-note=row.arrow == Arrow::Note class:refused=row.refused>
                        <button type="button" class="seq-row" data-key=row.key.to_string()
                            aria-pressed=if selected.get_untracked() == Some(row.key) { "true" } else { "false" }
                            inner_html=row_markup(&row, lanes)></button>
                    </li>
                </For>
            </ol>
        </div>
    }
}
