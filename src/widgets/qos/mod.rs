//! `?w=qos`: QoS delivery simulator.
//!
//! The page wires the fields to the core's model and to the Monte Carlo run
//! ([`simulate`]); its parts are the QoS pair and loss with the delivery
//! curves ([`QosCurves`]), the session and the run with the results
//! ([`QosRun`]) and one message step by step (stepper.rs). What they draw and
//! say is plain functions, tested natively (figures.rs).

use crate::components::*;
use crate::url_state::use_url;
use crate::yield_now::{run_in_slices, Latest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::format::{number, percent, plain};
use mqtt_lab_core::qos::{self, Inputs, Outputs, Simulation};
use mqtt_lab_core::target::Target;

mod figures;
mod stepper;
use figures::*;
use stepper::{check_drop, QosStepper};

/// Messages simulated between clock checks.
const CHECK_EVERY: u64 = 2000;

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

/// The model's inputs and outputs, the messages to simulate and the seed.
type State = (Inputs, Outputs, u64, u64);

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
    let sim = simulate(state);
    let drop_text = url.text("drop", "", check_drop);
    let stepper_inputs = Signal::derive(move || state.get().0);

    view! {
        <Intro html=content::qos::INTRO />
        // The QoS pair and the loss beside (on a phone: just above) the curves
        // they move; the run's settings beside the results (issue 21).
        <QosCurves pub_qos=pub_qos sub_qos=sub_qos loss=loss loss_in=loss_in loss_out=loss_out state=state />
        <QosRun session=session fields=[retries, messages, seed] state=state sim=sim stale=stale />
        {below_later(stepper_inputs, drop_text, state)}
    }
}

crate::split_off! {
    "split-qos", qos_below, chunk below_chunk, later below_later;
    /// The stepper and the notes under it: a chunk of their own in the split
    /// bundle (issue 24), so that the curves and the run are usable first.
    fn below(
        stepper_inputs: Signal<Inputs>,
        drop_text: RwSignal<String>,
        state: Memo<(Inputs, qos::Outputs, u64, u64)>,
    ) -> AnyView {
        let snippet = Signal::derive(move || qos::snippets::python(&state.get().0, &Target::display()));
        view! {
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
        .into_any()
    }
}

/// The Monte Carlo run of the current inputs, in slices; newer inputs cancel
/// an older run. Its counts so far, done or not.
fn simulate(state: Memo<State>) -> RwSignal<SimResult> {
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
    sim
}

/// The QoS pair and the loss on each hop, beside the delivery curves.
#[component]
fn QosCurves(
    pub_qos: RwSignal<&'static str>,
    sub_qos: RwSignal<&'static str>,
    loss: NumberInput,
    loss_in: RwSignal<String>,
    loss_out: RwSignal<String>,
    state: Memo<State>,
) -> impl IntoView {
    let hop_error = |text: RwSignal<String>, spec| {
        Signal::derive(move || {
            qos::parse_override(spec, &text.get())
                .err()
                .map(|e| e.message)
        })
    };
    let in_error = hop_error(loss_in, &qos::LOSS_IN);
    let out_error = hop_error(loss_out, &qos::LOSS_OUT);
    // The chosen pair's curve, for both the chart and its table.
    let chosen_curve = Memo::new(move |_| {
        let (i, ..) = state.get();
        qos::delivery_curve(&i, i.pub_qos, i.sub_qos)
    });
    let chart = Signal::derive(move || {
        let (i, o, ..) = state.get();
        delivery_chart(&i, &chosen_curve.get(), o.delivery_pct)
    });
    let table = Signal::derive(move || {
        let (i, ..) = state.get();
        chosen_curve.with(|c| curve_table(&i, c))
    });
    let summary = Signal::derive(move || state.with(|(i, o, ..)| summary(i, o)));
    view! {
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
    }
}

/// The session and the simulation's settings, beside the model's and the
/// simulation's results.
#[component]
fn QosRun(
    session: RwSignal<&'static str>,
    fields: [NumberInput; 3],
    state: Memo<State>,
    sim: RwSignal<SimResult>,
    stale: Signal<bool>,
) -> impl IntoView {
    let [retries, messages, seed] = fields;
    let out = move |f: fn(&Outputs) -> String| Signal::derive(move || state.with(|s| f(&s.1)));
    let sim_value = move |f: fn(&SimResult) -> String| {
        Signal::derive(move || sim.with(|r| if r.done { f(r) } else { String::new() }))
    };
    let delivery_pct = move || state.with(|s| s.1.delivery_pct);
    view! {
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
                    value=out(|o| o.effective_qos.to_string()) text=out(|o| format!("QoS {}", o.effective_qos)) />
                <ResultOutput label="Delivered at least once (model)" name="delivery-pct"
                    value=out(|o| plain(o.delivery_pct)) text=out(|o| format!("{} %", percent(o.delivery_pct))) />
                <ResultOutput label="Extra copies, per 100 messages sent (model)" name="duplicate-pct"
                    value=out(|o| plain(o.duplicate_pct)) text=out(|o| number(o.duplicate_pct, 2)) />
                <ResultOutput label="Packets per message" name="packets-per-message"
                    value=out(|o| plain(o.packets_per_message)) text=out(|o| number(o.packets_per_message, 2)) />
                <ResultOutput label="Simulated: delivered" name="simulated-delivered"
                    value=sim_value(|r| r.delivered.to_string()) text=sim_value(simulated_delivered) />
                <ResultOutput label="Simulated: extra copies" name="simulated-duplicates"
                    value=sim_value(|r| r.duplicates.to_string()) text=sim_value(|r| number(r.duplicates as f64, 0)) />
                <p class="progress" aria-live="polite">
                    {move || sim.with(|r| (!r.done).then(|| format!("Simulating… {} messages", number(r.messages as f64, 0))))}
                </p>
                <p class="agreement">
                    {move || sim.with(|r| r.done.then(|| agreement(delivery_pct(), r)))}
                </p>
            </Results>
        </div>
    }
}
