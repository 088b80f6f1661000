//! `?w=qos`: QoS delivery simulator.

use crate::components::*;
use crate::url_state::use_url;
use crate::yield_now::{run_in_slices, Latest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::format::{fixed, number, plain};
use mqtt_lab_core::qos::{self, Inputs, Outputs, Simulation};
use mqtt_lab_core::snippets::Target;

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
            let i = Inputs::default();
            let o = qos::analytic(&i).unwrap_or(Outputs {
                effective_qos: 0,
                delivery_pct: 0.0,
                duplicate_pct: 0.0,
                packets_per_message: 0.0,
                hop_in_pct: 0.0,
                hop_out_pct: 0.0,
            });
            (i, o, 100_000, 42)
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
        LineChart {
            x_label: "Messages cut in flight, each hop (%)".into(),
            y_label: "Delivered to the subscriber (%)".into(),
            series: pairs
                .into_iter()
                .map(|p| Series {
                    name: format!("publish {} → subscribe {}", p.0, p.1),
                    points: if p == chosen {
                        chosen_curve.get()
                    } else {
                        qos::delivery_curve(&i, p.0, p.1)
                    },
                    tone: tone(p),
                    faint: p != chosen,
                })
                .collect(),
            hlines: vec![],
            markers: vec![Marker {
                x: i.loss_out_pct,
                y: out().delivery_pct,
                label: format!("{} %", fixed(out().delivery_pct, 1)),
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
                .map(|(x, y)| vec![number(*x, 0), fixed(*y, 3)])
                .collect(),
        }
    });
    let summary = Signal::derive(move || {
        let (i, o, ..) = state.get();
        format!(
            "Publishing at QoS {} to a QoS {} subscription delivers {} % when {} % of messages are cut on each hop.",
            i.pub_qos, i.sub_qos, fixed(o.delivery_pct, 2), plain(i.loss_out_pct)
        )
    });
    let sequences = move || {
        let (i, ..) = state.get();
        view! {
            <div class="sequences">
                <Sequence title="Publisher → broker" qos=i.pub_qos from="Publisher" to="Broker" />
                <Sequence title="Broker → subscriber" qos=i.effective_qos() from="Broker" to="Subscriber" />
            </div>
        }
    };
    let snippet = Signal::derive(move || qos::snippets::python(&state.get().0, &Target::display()));

    view! {
        <p class="intro">
            "How many messages reach the subscriber when connections drop with messages in flight, and what the QoS levels on both sides do about it."
        </p>
        <div class="widget-grid">
            <section class="inputs" aria-label="Inputs">
                <Choice spec=&qos::PUB_CHOICE selected=pub_qos />
                <Choice spec=&qos::SUB_CHOICE selected=sub_qos />
                <NumberField input=loss />
                <details class="overrides">
                    <summary>"Different loss on each hop"</summary>
                    <TextField key="loss_in_pct" label="Publisher → broker, cut in flight (%)" text=loss_in error=in_error placeholder="same as above" />
                    <TextField key="loss_out_pct" label="Broker → subscriber, cut in flight (%)" text=loss_out error=out_error placeholder="same as above" />
                </details>
                <Choice spec=&qos::SESSION selected=session />
                <NumberField input=retries />
                <NumberField input=messages />
                <NumberField input=seed />
            </section>
            <Results stale=stale>
                <ResultOutput label="Effective QoS to the subscriber" name="effective-qos"
                    value=Signal::derive(move || out().effective_qos.to_string()) text=Signal::derive(move || format!("QoS {}", out().effective_qos)) />
                <ResultOutput label="Delivered (model)" name="delivery-pct"
                    value=Signal::derive(move || plain(out().delivery_pct)) text=Signal::derive(move || format!("{} %", fixed(out().delivery_pct, 3))) />
                <ResultOutput label="Duplicates (model)" name="duplicate-pct"
                    value=Signal::derive(move || plain(out().duplicate_pct)) text=Signal::derive(move || format!("{} %", fixed(out().duplicate_pct, 3))) />
                <ResultOutput label="Packets per message" name="packets-per-message"
                    value=Signal::derive(move || plain(out().packets_per_message)) text=Signal::derive(move || fixed(out().packets_per_message, 2)) />
                <ResultOutput label="Simulated: delivered" name="simulated-delivered"
                    value=sim_value(|r| r.delivered.to_string())
                    text=sim_value(|r| format!("{} of {} ({} %)", number(r.delivered as f64, 0), number(r.messages as f64, 0), fixed(r.delivered as f64 * 100.0 / r.messages.max(1) as f64, 3))) />
                <ResultOutput label="Simulated: duplicates" name="simulated-duplicates"
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
                            format!("Simulation and model differ by {} standard errors ({} %).", fixed(z, 1), fixed((got - p).abs() * 100.0, 3))
                        })
                    })}
                </p>
            </Results>
        </div>
        <Chart caption="Delivery against the share of messages cut on each hop: your QoS pair in bold, others faint." summary=summary chart=chart table=table />
        {sequences}
        <Prose html=EXPLAIN />
        <div class="snippets">
            <CodeSnippet title="Match QoS and keep the session" lang="Python, paho-mqtt 2.x" code=snippet />
        </div>
        <Prose html=HELP />
    }
}

/// One hop's packet exchange, drawn as a sequence diagram with its text version.
#[component]
fn Sequence(title: &'static str, qos: u8, from: &'static str, to: &'static str) -> impl IntoView {
    let steps = qos::sequence(qos);
    let height = 56 + 40 * steps.len();
    let arrows = steps
        .iter()
        .enumerate()
        .map(|(n, (forward, packet, _))| {
            let y = 52 + 40 * n;
            let (x1, x2) = if *forward { (60, 250) } else { (250, 60) };
            let head = if *forward {
                format!("{},{} {},{} {},{}", x2, y, x2 - 8, y - 5, x2 - 8, y + 5)
            } else {
                format!("{},{} {},{} {},{}", x2, y, x2 + 8, y - 5, x2 + 8, y + 5)
            };
            view! {
                <line x1=x1 y1=y x2=x2 y2=y class="seq-arrow" />
                <polygon points=head class="seq-head" />
                <text x="155" y=y - 6 text-anchor="middle" class="seq-label">{*packet}</text>
            }
        })
        .collect_view();
    let items = steps
        .iter()
        .map(|(forward, packet, cut)| {
            let dir = if *forward { format!("{from} → {to}") } else { format!("{to} → {from}") };
            view! { <li><strong>{*packet}</strong>" (" {dir} "). Cut before it arrives: " {*cut} "."</li> }
        })
        .collect_view();
    view! {
        <figure class="sequence">
            <figcaption>{title} ", QoS " {qos}</figcaption>
            <svg viewBox=format!("0 0 310 {height}") width="310" height=height aria-hidden="true">
                <text x="60" y="18" text-anchor="middle" class="seq-label">{from}</text>
                <text x="250" y="18" text-anchor="middle" class="seq-label">{to}</text>
                <line x1="60" y1="26" x2="60" y2=height - 4 class="seq-life" />
                <line x1="250" y1="26" x2="250" y2=height - 4 class="seq-life" />
                {arrows}
            </svg>
            <ol class="seq-steps">{items}</ol>
        </figure>
    }
}

const EXPLAIN: &str = r#"<section class="explain"><h2>How MQTT really loses messages</h2>
<p>MQTT runs over TCP, and TCP already retransmits lost packets: a message is not lost because one IP packet was. It is lost when the <em>connection</em> drops while the message is in flight. QoS 0 is then gone. QoS 1 and 2 are resent after the reconnect (MQTT-4.4.0-1) by the side that must resend, if it still has the message. On the second hop that is the broker, and it keeps the message only for a subscriber whose session persists: with a clean session the broker resends nothing. On the first hop it is the publisher's client: paho-mqtt 2.x resends its unacknowledged QoS 1 and 2 messages whenever the same Client object reconnects, clean session or not, and loses them only when the process ends [[paho-resend-on-reconnect]]. The broker delivers to a subscriber at the lower of the published QoS and the subscription's granted QoS (MQTT-3.8.4-6 in 3.1.1, MQTT-3.8.4-8 in 5.0): a QoS 1 publisher gets nothing from its QoS 1 once the subscriber asked for QoS 0.</p>
<p>The model: on each hop every packet of the exchange is cut with the probability you set; a cut ends the attempt; the publisher resends after reconnecting, and so does the broker when the subscriber's session persists, at most the number of reconnects you allow (the publishing process is taken to stay up). A QoS 1 receiver delivers every PUBLISH it gets, so a cut PUBACK means a duplicate; a QoS 2 receiver delivers once and discards the resends. Delivery per hop is 1 − p for QoS 0 and for the broker's hop with a clean session, and 1 − p<sup>r+1</sup> otherwise; end to end it is the product. Extra copies made on the first hop are forwarded and counted as duplicates; that they could also make up for a loss on the second hop is ignored, an effect of order p² (about 0.2 points at 5 %). The model figures are exact for these rules; the simulation draws the same rules message by message with your seed, and the two agree within a few standard errors.</p>
<aside class="callout" aria-label="The chapter's loss model"><p class="callout-title">The chapter's “5 % packet loss” is not how MQTT loses messages</p><div class="callout-body"><p>The chapter's example is right that a QoS 1 publisher with a QoS 0 subscriber delivers about 95 %, and right to match QoS on both sides. But it models loss as per-packet loss, which TCP hides. What you set here is the share of messages caught in flight by a connection drop, which is what QoS levels and sessions protect against.</p></div></aside>
</section>"#;

const HELP: &str = r#"<section class="help"><h2>Link to this state</h2>
<p>Parameters: <code>pub</code> and <code>sub</code> (0–2), <code>loss_pct</code> (both hops; <code>loss_in_pct</code> and <code>loss_out_pct</code> override per hop), <code>session</code> (persistent or clean), <code>retries</code>, <code>messages</code>, <code>seed</code>.</p></section>"#;
