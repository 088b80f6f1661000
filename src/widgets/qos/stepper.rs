//! The QoS page's stepper: one message, packet by packet, with a drop the
//! learner chooses.

use crate::components::*;
use crate::inspector::SequenceDiagram;
use leptos::prelude::*;
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::inspect::Row;
use mqtt_lab_core::qos::Inputs;
use mqtt_lab_core::qos_flow::{self, Flow};

/// `drop` in the address: refused unless [`parse_drop`] reads it.
pub fn check_drop(t: &str) -> Result<(), String> {
    parse_drop(t).map(|_| ())
}

/// `drop`: empty for no drop, else the number of the arrow (1, 2, …).
fn parse_drop(t: &str) -> Result<Option<usize>, String> {
    let t = t.trim();
    if t.is_empty() || t == "none" {
        return Ok(None);
    }
    match t.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(Some(n - 1)),
        _ => Err(format!(
            "“{}” is not an arrow number (1, 2, …) or none",
            t.chars().take(12).collect::<String>()
        )),
    }
}

/// One message, step by step, from publisher to broker to subscriber for the
/// chosen QoS pair and session; the learner picks the arrow where the
/// connection drops and steps through what is resent, duplicated and lost.
#[component]
pub fn QosStepper(
    #[prop(into)] inputs: Signal<Inputs>,
    drop_text: RwSignal<String>,
) -> impl IntoView {
    let points = Signal::derive(move || qos_flow::drop_points(&inputs.get()));
    // A drop beyond this QoS pair's arrows (after a change of QoS) is no drop.
    let drop = Signal::derive(move || {
        parse_drop(&drop_text.get())
            .ok()
            .flatten()
            .filter(|d| *d < points.get())
    });
    let baseline = Memo::new(move |_| qos_flow::flow(&inputs.get(), None));
    let current = Memo::new(move |_| qos_flow::flow(&inputs.get(), drop.get()));
    let shown = RwSignal::new(usize::MAX);
    Effect::new(move |_| {
        current.track();
        shown.set(usize::MAX);
    });
    let total = move || current.with(|f| f.rows.len());
    let rows = Signal::derive(move || {
        current.with(|f| f.rows.iter().take(shown.get()).cloned().collect::<Vec<_>>())
    });
    // Choosing an arrow of the first attempt makes the connection drop there.
    let selected = RwSignal::new(None::<u64>);
    Effect::new(move |_| {
        let Some(k) = selected.get().map(|k| k as usize) else {
            return;
        };
        let d = drop.get_untracked();
        if d != Some(k) {
            if d.is_none_or(|d| k < d) && k < points.get_untracked() {
                drop_text.set((k + 1).to_string());
            } else {
                // Later rows are not drop points: keep the selection on the drop.
                selected.set(d.map(|d| d as u64));
            }
        }
    });
    Effect::new(move |_| selected.set(drop.get().map(|d| d as u64)));
    let options = move || {
        let flow = baseline.get();
        flow.rows
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let text = drop_option(n, r);
                let value = (n + 1).to_string();
                let chosen = drop.get() == Some(n);
                view! { <option value=value selected=chosen>{text}</option> }
            })
            .collect_view()
    };
    let status = move || current.with(|f| step_text(f, shown.get()));
    view! {
        <section class="stepper" aria-labelledby="stepper-h">
            <h2 id="stepper-h">"One message, packet by packet"</h2>
            <p class="hint">{content::qos::STEPPER_HINT}</p>
            <div class="field">
                <label for="t-drop">"The connection drops at"</label>
                <select id="t-drop" on:change=move |ev| { let v = event_target_value(&ev); drop_text.set(if v == "none" { String::new() } else { v }); }>
                    <option value="none" selected=move || drop.get().is_none()>"no drop"</option>
                    {options}
                </select>
            </div>
            <div class="exercise-actions" role="group" aria-label="Step through">
                <button type="button" class="small secondary" on:click=move |_| shown.set(0)>"Start"</button>
                <button type="button" class="small secondary" on:click=move |_| shown.update(|n| *n = (*n).min(total()).saturating_sub(1))>"Back"</button>
                <button type="button" class="small" on:click=move |_| shown.update(|n| *n = (*n).min(total()) + 1)>"Next step"</button>
                <button type="button" class="small secondary" on:click=move |_| shown.set(usize::MAX)>"All"</button>
            </div>
            <p class="step-status" role="status">{status}</p>
            <output name="step-delivered" class="visually-hidden" data-value=move || current.with(|f| f.delivered.to_string())>{move || current.with(|f| fill(content::qos::STEPPER_DELIVERED, &[("n", &f.delivered.to_string())]))}</output>
            <SequenceDiagram lanes=qos_flow::LANES rows=rows selected=selected label="One message's packets" />
        </section>
    }
}

/// The drop list's option for arrow `n` (from 0): its number and what it carries.
fn drop_option(n: usize, row: &Row) -> String {
    let text = row.text(qos_flow::LANES);
    format!(
        "{}: {}",
        n + 1,
        text.split_once(": ").map_or("", |(_, t)| t)
    )
}

/// What the stepper says with `shown` of the flow's rows shown (more than
/// it has: all of them).
fn step_text(f: &Flow, shown: usize) -> String {
    let n = shown.min(f.rows.len());
    let steps = f.rows.len().to_string();
    if n >= f.rows.len() {
        let copies = if f.delivered == 1 {
            content::qos::STEPPER_ONE_COPY
        } else {
            content::qos::STEPPER_COPIES
        };
        fill(
            content::qos::STEPPER_DONE,
            &[
                ("steps", &steps),
                ("copies", &fill(copies, &[("n", &f.delivered.to_string())])),
                ("packets", &f.packets.to_string()),
            ],
        )
    } else if n == 0 {
        content::qos::STEPPER_NOTHING_YET.into()
    } else {
        fill(
            content::qos::STEPPER_STEP,
            &[
                ("n", &n.to_string()),
                ("steps", &steps),
                ("row", &f.rows[n - 1].text(qos_flow::LANES)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_is_an_arrow_number_from_1_or_none() {
        assert_eq!(parse_drop(""), Ok(None));
        assert_eq!(parse_drop("none"), Ok(None));
        // Arrow 3 is row 2, counted from 0.
        assert_eq!(parse_drop(" 3 "), Ok(Some(2)));
        assert_eq!(
            parse_drop("0"),
            Err("“0” is not an arrow number (1, 2, …) or none".to_string())
        );
        // The refusal quotes twelve characters at most.
        assert_eq!(
            parse_drop("the third arrow"),
            Err("“the third ar” is not an arrow number (1, 2, …) or none".to_string())
        );
    }

    #[test]
    fn the_stepper_says_what_is_shown_of_publish_at_1_to_a_qos_0_subscription() {
        let i = Inputs {
            pub_qos: 1,
            sub_qos: 0,
            ..Inputs::default()
        };
        let f = qos_flow::flow(&i, None);
        assert_eq!(step_text(&f, 0), "Nothing sent yet.");
        assert_eq!(
            step_text(&f, 2),
            "Step 2 of 3: #2, broker → publisher: PUBACK id=1"
        );
        // Past the last row: all of them.
        assert_eq!(
            step_text(&f, usize::MAX),
            "All 3 steps shown. The subscriber receives 1 copy of the message; 3 packets were sent."
        );
        assert_eq!(
            drop_option(0, &f.rows[0]),
            "1: PUBLISH qos=1 id=1 (accepted)"
        );
        assert_eq!(drop_option(1, &f.rows[1]), "2: PUBACK id=1");
    }

    #[test]
    fn copies_are_counted_in_the_plural_but_one() {
        let f = |delivered| Flow {
            rows: vec![],
            delivered,
            packets: 4,
        };
        assert_eq!(
            step_text(&f(2), 0),
            "All 0 steps shown. The subscriber receives 2 copies of the message; 4 packets were sent."
        );
        assert_eq!(
            step_text(&f(0), 0),
            "All 0 steps shown. The subscriber receives 0 copies of the message; 4 packets were sent."
        );
    }
}
