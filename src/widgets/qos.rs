//! `?w=qos`: QoS delivery simulator.

use crate::components::*;
use crate::inspector::SequenceDiagram;
use crate::url_state::use_url;
use crate::yield_now::{run_in_slices, Latest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::{number, percent, plain};
use mqtt_lab_core::qos::{self, Inputs, Simulation};
use mqtt_lab_core::target::Target;

/// A publisher's and a subscriber's QoS, and its delivery curve.
type Pair = (u8, u8);
type Curve = Vec<(f64, f64)>;

/// Messages simulated between clock checks.
const CHECK_EVERY: u64 = 2000;

#[derive(Clone, Copy, PartialEq, Default)]
struct SimResult {
    messages: u64,
    delivered: u64,
    duplicates: u64,
    packets: u64,
    done: bool,
}

fn check_in(t: &str) -> Result<(), String> {
    qos::parse_override(&qos::LOSS_IN, t)
        .map(|_| ())
        .map_err(|e| e.message)
}
fn check_out(t: &str) -> Result<(), String> {
    qos::parse_override(&qos::LOSS_OUT, t)
        .map(|_| ())
        .map_err(|e| e.message)
}

#[component]
pub fn Qos() -> impl IntoView {
    let url = use_url();
    let pub_qos = url.choice(&qos::PUB_CHOICE);
    let sub_qos = url.choice(&qos::SUB_CHOICE);
    let session = url.choice(&qos::SESSION);
    let loss = NumberInput::new(&qos::LOSS);
    let loss_in = url.text("loss_in_pct", "", check_in);
    let loss_out = url.text("loss_out_pct", "", check_out);
    let [retries, messages, seed] =
        [&qos::RETRIES, &qos::MESSAGES, &qos::SEED].map(NumberInput::new);

    let in_error = Signal::derive(move || {
        qos::parse_override(&qos::LOSS_IN, &loss_in.get())
            .err()
            .map(|e| e.message)
    });
    let out_error = Signal::derive(move || {
        qos::parse_override(&qos::LOSS_OUT, &loss_out.get())
            .err()
            .map(|e| e.message)
    });
    let parsed = move || -> Option<(Inputs, u64, u64)> {
        let [l, r, m, s] = values(&[loss, retries, messages, seed])?;
        let hop = |text: String, spec| {
            qos::parse_override(spec, &text)
                .ok()
                .map(|o| o.unwrap_or(l))
        };
        let i = Inputs {
            pub_qos: pub_qos.get().parse().ok()?,
            sub_qos: sub_qos.get().parse().ok()?,
            loss_in_pct: hop(loss_in.get(), &qos::LOSS_IN)?,
            loss_out_pct: hop(loss_out.get(), &qos::LOSS_OUT)?,
            persistent: session.get() == "persistent",
            retries: r as u32,
        };
        Some((i, m as u64, s as u64))
    };
    let state = last_valid(
        move || parsed().and_then(|(i, m, s)| qos::analytic(&i).ok().map(|o| (i, o, m, s))),
        || {
            let (i, o) = defaults(qos::analytic);
            (i, o, qos::MESSAGES.default as u64, qos::SEED.default as u64)
        },
    );
    let stale = Signal::derive(move || parsed().is_none());
    let out = move || state.with(|s| s.1.clone());

    // Monte Carlo in slices; newer inputs cancel an older run.
    let sim = RwSignal::new(SimResult::default());
    let runs = Latest::new();
    Effect::new(move || {
        let (i, _, m, s) = state.get();
        let is_current = runs.start();
        sim.set(SimResult {
            messages: m,
            ..SimResult::default()
        });
        spawn_local(async move {
            let Ok(mut run) = Simulation::new(&i, m, s) else {
                return;
            };
            let snapshot = std::cell::Cell::new(SimResult::default());
            let finished = run_in_slices(
                || {
                    let done = run.advance(CHECK_EVERY);
                    snapshot.set(SimResult {
                        messages: run.done,
                        delivered: run.delivered,
                        duplicates: run.duplicates,
                        packets: run.packets,
                        done,
                    });
                    done
                },
                is_current,
                || sim.set(snapshot.get()),
            )
            .await;
            if finished {
                sim.set(snapshot.get());
            }
        });
    });
    let sim_value = move |f: fn(&SimResult) -> String| {
        Signal::derive(move || sim.with(|r| if r.done { f(r) } else { String::new() }))
    };

    // The chosen pair's curve, for both the chart and its table.
    let chosen_curve = Memo::new(move |_| {
        let (i, ..) = state.get();
        qos::delivery_curve(&i, i.pub_qos, i.sub_qos)
    });
    let chart = Signal::derive(move || {
        let (i, ..) = state.get();
        let chosen = (i.pub_qos, i.sub_qos);
        let mut pairs = vec![(0, 0), (1, 0), (1, 1), (2, 2)];
        if !pairs.contains(&chosen) {
            pairs.push(chosen);
        }
        let tone = |p: (u8, u8)| match p.0.min(p.1) {
            0 => Tone::Danger,
            1 => Tone::Primary,
            _ => Tone::Secondary,
        };
        // Pairs whose curves coincide (1 → 1 and 2 → 2 deliver alike) are one
        // line with both names: drawn apart, one hid under the other.
        let mut lines: Vec<(Vec<Pair>, Curve)> = Vec::new();
        for p in pairs {
            let curve = if p == chosen {
                chosen_curve.get()
            } else {
                qos::delivery_curve(&i, p.0, p.1)
            };
            let same = |c: &Vec<(f64, f64)>| {
                c.len() == curve.len()
                    && c.iter().zip(&curve).all(|(a, b)| (a.1 - b.1).abs() < 1e-9)
            };
            match lines.iter_mut().find(|(_, c)| same(c)) {
                Some((names, _)) => names.push(p),
                None => lines.push((vec![p], curve)),
            }
        }
        LineChart {
            x_log10: false,
            y_log10: false,
            x_label: "Messages cut in flight, each hop (%)".into(),
            y_label: "Delivered to the subscriber (%)".into(),
            series: lines
                .into_iter()
                .map(|(names, points)| Series {
                    name: names
                        .iter()
                        .map(|p| format!("{} → {}", p.0, p.1))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    tone: tone(names[0]),
                    faint: !names.contains(&chosen),
                    points,
                })
                .collect(),
            hlines: vec![],
            markers: vec![Marker {
                x: i.loss_out_pct,
                y: out().delivery_pct,
                label: format!("{} %", percent(out().delivery_pct)),
            }],
        }
    });
    let table = Signal::derive(move || {
        let (i, ..) = state.get();
        let c = chosen_curve.get();
        Table {
            headers: vec![
                "Cut in flight (%)".into(),
                format!(
                    "Delivered, publish {} → subscribe {} (%)",
                    i.pub_qos, i.sub_qos
                ),
            ],
            rows: c
                .iter()
                .step_by(2)
                .map(|(x, y)| vec![number(*x, 1), percent(*y)])
                .collect(),
        }
    });
    let summary = Signal::derive(move || {
        let (i, o, ..) = state.get();
        fill(
            content::qos::SUMMARY,
            &[
                ("pub", &i.pub_qos.to_string()),
                ("sub", &i.sub_qos.to_string()),
                ("delivered", &percent(o.delivery_pct)),
                ("loss", &plain(i.loss_out_pct)),
            ],
        )
    });
    let drop_text = url.text("drop", "", check_drop);
    let stepper_inputs = Signal::derive(move || state.get().0);
    let snippet = Signal::derive(move || qos::snippets::python(&state.get().0, &Target::display()));

    view! {
        <Intro html=content::qos::INTRO />
        // The QoS pair and the loss beside (on a phone: just above) the curves
        // they move; the run's settings beside the results (issue 21).
        <div class="widget-grid">
            <section class="inputs" aria-label="QoS and loss">
                <div class="field-grid">
                    <Choice spec=&qos::PUB_CHOICE selected=pub_qos />
                    <Choice spec=&qos::SUB_CHOICE selected=sub_qos />
                </div>
                <NumberField input=loss />
                <details class="overrides">
                    <summary>"Different loss on each hop"</summary>
                    <TextField key="loss_in_pct" label="Publisher → broker, cut in flight (%)" text=loss_in error=in_error placeholder="same as above" />
                    <TextField key="loss_out_pct" label="Broker → subscriber, cut in flight (%)" text=loss_out error=out_error placeholder="same as above" />
                </details>
            </section>
            <div class="figure-column">
                <Chart caption=content::qos::CAPTION summary=summary chart=chart table=table />
            </div>
        </div>
        <div class="widget-grid">
            <section class="inputs" aria-label="Session and simulation">
                <Choice spec=&qos::SESSION selected=session />
                <div class="field-grid">
                    <NumberField input=retries />
                    <NumberField input=messages />
                    <NumberField input=seed />
                </div>
            </section>
            <Results stale=stale>
                <ResultOutput label="Effective QoS to the subscriber" name="effective-qos"
                    value=Signal::derive(move || out().effective_qos.to_string()) text=Signal::derive(move || format!("QoS {}", out().effective_qos)) />
                <ResultOutput label="Delivered at least once (model)" name="delivery-pct"
                    value=Signal::derive(move || plain(out().delivery_pct)) text=Signal::derive(move || format!("{} %", percent(out().delivery_pct))) />
                <ResultOutput label="Extra copies, per 100 messages sent (model)" name="duplicate-pct"
                    value=Signal::derive(move || plain(out().duplicate_pct)) text=Signal::derive(move || number(out().duplicate_pct, 2)) />
                <ResultOutput label="Packets per message" name="packets-per-message"
                    value=Signal::derive(move || plain(out().packets_per_message)) text=Signal::derive(move || number(out().packets_per_message, 2)) />
                <ResultOutput label="Simulated: delivered" name="simulated-delivered"
                    value=sim_value(|r| r.delivered.to_string())
                    text=sim_value(|r| format!("{} of {} ({} %)", number(r.delivered as f64, 0), number(r.messages as f64, 0), percent(r.delivered as f64 * 100.0 / r.messages.max(1) as f64))) />
                <ResultOutput label="Simulated: extra copies" name="simulated-duplicates"
                    value=sim_value(|r| r.duplicates.to_string()) text=sim_value(|r| number(r.duplicates as f64, 0)) />
                <p class="progress" aria-live="polite">
                    {move || sim.with(|r| (!r.done).then(|| format!("Simulating… {} messages", number(r.messages as f64, 0))))}
                </p>
                <p class="agreement">
                    {move || sim.with(|r| {
                        r.done.then(|| {
                            let p = out().delivery_pct / 100.0;
                            let got = r.delivered as f64 / r.messages.max(1) as f64;
                            let se = Simulation::standard_error(p, r.messages);
                            let z = if se > 0.0 { (got - p).abs() / se } else { 0.0 };
                            let gap = number((got - p).abs() * 100.0, 2);
                            // Within two standard errors: what chance gives in 95 runs of 100.
                            let text = if z <= 2.0 {
                                content::qos::SIM_AGREES
                            } else {
                                content::qos::SIM_DISAGREES
                            };
                            fill(text, &[("gap", &gap)])
                        })
                    })}
                </p>
            </Results>
        </div>
        <QosStepper inputs=stepper_inputs drop_text=drop_text />
        <Optional part=Part::Explain><Prose html=content::qos::EXPLAIN /></Optional>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="Match QoS and keep the session" lang="Python, paho-mqtt 2.x" code=snippet />
            </div>
        </Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::qos::LINK, [
            Param::Choice(&qos::PUB_CHOICE), Param::Choice(&qos::SUB_CHOICE), Param::Number(&qos::LOSS),
            Param::Choice(&qos::SESSION), Param::Number(&qos::RETRIES), Param::Number(&qos::MESSAGES),
            Param::Number(&mqtt_lab_core::fields::SEED),
        ]) /></Optional>
    }
}

fn check_drop(t: &str) -> Result<(), String> {
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
fn QosStepper(#[prop(into)] inputs: Signal<Inputs>, drop_text: RwSignal<String>) -> impl IntoView {
    use mqtt_lab_core::qos_flow;
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
                let text = format!(
                    "{}: {}",
                    n + 1,
                    r.text(qos_flow::LANES)
                        .split_once(": ")
                        .map_or("", |(_, t)| t)
                );
                let value = (n + 1).to_string();
                let chosen = drop.get() == Some(n);
                view! { <option value=value selected=chosen>{text}</option> }
            })
            .collect_view()
    };
    let step_text = move || {
        let n = shown.get().min(total());
        current.with(|f| {
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
        })
    };
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
            <p class="step-status" role="status">{step_text}</p>
            <output name="step-delivered" class="visually-hidden" data-value=move || current.with(|f| f.delivered.to_string())>{move || current.with(|f| fill(content::qos::STEPPER_DELIVERED, &[("n", &f.delivered.to_string())]))}</output>
            <SequenceDiagram lanes=qos_flow::LANES rows=rows selected=selected label="One message's packets" />
        </section>
    }
}
