//! `?w=backoff`: one device's reconnect schedule and a fleet's reconnection storm.
//!
//! The page wires the fields to the core's schedule and to the fleet
//! simulation (in Web Workers, workers.rs, or in slices where there are none:
//! [`simulate_fleet`]); its parts are one device's
//! policy with its schedule ([`OneDevice`]), the fleet with its storm
//! ([`FleetStorm`]) and a few devices of that storm ([`DevicesFigure`]). What
//! they draw and say is plain functions, tested natively (figures.rs).

use crate::components::*;
use crate::url_state::use_url;
use crate::yield_now::{now_ms, run_in_slices, Latest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::backoff::{self, snippets, Attempt, Jitter, Policy};
use mqtt_lab_core::fields::FieldError;
use mqtt_lab_core::format::{number, plain};
use mqtt_lab_core::target::Target;
use mqtt_lab_fleet::{FleetOutcome, FleetSim};

mod figures;
mod workers;
use figures::*;

/// Buckets simulated between clock checks.
const CHECK_EVERY_BUCKETS: usize = 50;
/// The selected strategy's outcome is shown before the others' only when
/// it took longer than this (a slow phone): on a quicker machine all four
/// are done soon after, and drawing every figure twice only delays them.
const SHOW_FIRST_AFTER_MS: f64 = 50.0;

#[derive(Clone, PartialEq)]
struct FleetInputs {
    policy: Policy,
    devices: u32,
    accept_rate: f64,
    seed: u64,
}

#[component]
pub fn Backoff() -> impl IntoView {
    let fields = backoff::FIELDS.each_ref().map(NumberInput::new);
    let [base, factor, cap, attempts, seed, devices, accept_rate] = fields;
    let jitter = use_url().choice(&backoff::JITTER);

    let policy = move || -> Result<Policy, ()> {
        Ok(Policy {
            base_s: base.value().map_err(|_| ())?,
            factor: factor.value().map_err(|_| ())?,
            cap_s: cap.value().map_err(|_| ())?,
            jitter: Jitter::from_slug(jitter.get()).ok_or(())?,
        })
    };
    // A refusal that involves two fields (cap below the first delay), shown on the field it names.
    let cross_error = Signal::derive(move || policy().ok().and_then(|p| p.validate().err()));
    let current = move || -> Result<(Policy, u32, u64), ()> {
        let p = policy()?;
        p.validate().map_err(|_| ())?;
        Ok((
            p,
            attempts.value().map_err(|_| ())? as u32,
            seed.value().map_err(|_| ())? as u64,
        ))
    };
    let sched = last_valid(
        move || {
            let (p, n, s) = current().ok()?;
            backoff::schedule(&p, n, s).ok().map(|v| (p, v))
        },
        || {
            // The spec's defaults, as the other widgets' `defaults()`.
            let p = Policy::default();
            let (n, seed) = (
                backoff::ATTEMPTS.default as u32,
                backoff::SEED.default as u64,
            );
            (p, backoff::schedule(&p, n, seed).unwrap_or_default())
        },
    );
    let fleet_inputs = last_valid(
        move || {
            let (policy, _, seed) = current().ok()?;
            Some(FleetInputs {
                policy,
                devices: devices.value().ok()? as u32,
                accept_rate: accept_rate.value().ok()?,
                seed,
            })
        },
        || FleetInputs {
            policy: Policy::default(),
            devices: backoff::DEVICES.default as u32,
            accept_rate: backoff::ACCEPT_RATE.default,
            seed: backoff::SEED.default as u64,
        },
    );
    let stale = Signal::derive(move || {
        current().is_err() || devices.value().is_err() || accept_rate.value().is_err()
    });

    let [base, factor, cap, attempts, seed, devices, accept_rate] = fields;
    view! {
        <Intro html=content::backoff::INTRO />
        // Each figure beside (on a phone: just under) the controls that
        // change it: the policy with its schedule, the jitter and the fleet
        // with the storm (issue 21).
        <OneDevice fields=[base, factor, cap, attempts, seed] cross=cross_error schedule=sched stale=stale />
        {fleet_later([devices, accept_rate], cross_error, jitter, fleet_inputs, stale, sched)}
    }
}

crate::split_off! {
    "split-backoff", backoff_fleet, chunk fleet_chunk, later fleet_later;
    /// The fleet: its storm, the devices' figure and the notes under them, with
    /// the simulation that feeds them. A chunk of its own in the split bundle
    /// (issue 24), so that one device's policy and schedule are usable first.
    fn fleet_part(
        fields: [NumberInput; 2],
        cross: Signal<Option<FieldError>>,
        jitter: RwSignal<&'static str>,
        fleet_inputs: Memo<FleetInputs>,
        stale: Signal<bool>,
        sched: Memo<(Policy, Vec<Attempt>)>,
    ) -> AnyView {
        let (fleet, progress) = simulate_fleet(fleet_inputs);
        let selected = Signal::derive(move || fleet_inputs.with(|f| f.policy.jitter));
        let selected_fleet =
            Signal::derive(move || fleet.with(|f| outcome_of(f, selected.get()).cloned()));
        let storm_end = Memo::new(move |_| fleet.with(|f| storm_end_s(f, selected.get())));
        view! {
            <FleetStorm fields=fields cross=cross jitter=jitter fleet_inputs=fleet_inputs
                fleet=fleet selected_fleet=selected_fleet storm_end=storm_end progress=progress stale=stale />
            <DevicesFigure fleet_inputs=fleet_inputs selected_fleet=selected_fleet storm_end=storm_end />
            <Optional part=Part::Explain><Prose html=content::backoff::EXPLAIN /></Optional>
            <Optional part=Part::Code>
                <div class="snippets">
                    <CodeSnippet title="Reconnect with this policy" lang="Python, paho-mqtt 2.x" code=Signal::derive(move || sched.with(|(p, _)| snippets::python(p, &Target::display()))) />
                </div>
            </Optional>
            <Optional part=Part::Explain><Prose html=content::backoff::HELP /></Optional>
            <Optional part=Part::Link><Prose html=with_parameters(content::backoff::LINK, [
                Param::Number(&backoff::BASE), Param::Number(&backoff::FACTOR), Param::Number(&backoff::CAP),
                Param::Number(&backoff::ATTEMPTS), Param::Choice(&backoff::JITTER), Param::Number(&mqtt_lab_core::fields::SEED),
                Param::Number(&backoff::DEVICES), Param::Number(&backoff::ACCEPT_RATE),
            ]) /></Optional>
        }
        .into_any()
    }
}

/// Runs the fleet for every strategy whenever its inputs change, side by side
/// in workers (workers.rs) or, where there are none, here in slices; a newer
/// input cancels an older run. Returns the strategies' outcomes (in slices,
/// the selected one first if that took a while, then all four; from workers
/// all four together) and the share done.
fn simulate_fleet(
    fleet_inputs: Memo<FleetInputs>,
) -> (RwSignal<Vec<(Jitter, FleetOutcome)>>, RwSignal<f64>) {
    let fleet: RwSignal<Vec<(Jitter, FleetOutcome)>> = RwSignal::new(Vec::new());
    let progress = RwSignal::new(1.0f64);
    let runs = Latest::new();
    Effect::new(move || {
        let inputs = fleet_inputs.get();
        let is_current = runs.start();
        let order = run_order(inputs.policy.jitter);
        progress.set(0.0);
        spawn_local(async move {
            let started = now_ms();
            let n = order.len();
            let selected = order[0];
            // The selected strategy alone, once it is in, if it took a while.
            let show_first = move |i: usize, o: &FleetOutcome| {
                if i == 0 && now_ms() - started > SHOW_FIRST_AFTER_MS {
                    fleet.set(vec![(selected, o.clone())]);
                }
            };
            // In workers the four run side by side and the selected one arrives
            // with another: all four are shown together.
            let arrived = {
                let done = std::cell::Cell::new(0usize);
                move || {
                    if is_current() {
                        done.set(done.get() + 1);
                        progress.set(done.get() as f64 / n as f64);
                    }
                }
            };
            let fleet_of = (inputs.devices, inputs.accept_rate, inputs.seed);
            let mut outcomes = workers::run(&order, inputs.policy, fleet_of, is_current, arrived)
                .await
                .unwrap_or_else(|| vec![None; n]);
            // What no worker ran: here, in slices.
            for (i, j) in order.iter().enumerate() {
                if !is_current() {
                    return;
                }
                if outcomes[i].is_some() {
                    continue;
                }
                let policy = Policy {
                    jitter: *j,
                    ..inputs.policy
                };
                let Ok(mut sim) =
                    FleetSim::new(&policy, inputs.devices, inputs.accept_rate, inputs.seed)
                else {
                    return;
                };
                let done = outcomes.iter().flatten().count() as f64;
                let done_fraction = std::cell::Cell::new(0.0);
                let finished = run_in_slices(
                    || {
                        let done = sim.advance(CHECK_EVERY_BUCKETS);
                        done_fraction.set(sim.progress());
                        done
                    },
                    is_current,
                    || progress.set((done + done_fraction.get()) / n as f64),
                )
                .await;
                if !finished {
                    return;
                }
                show_first(i, sim.outcome());
                outcomes[i] = Some(sim.outcome().clone());
            }
            if !is_current() {
                return;
            }
            fleet.set(
                order
                    .iter()
                    .copied()
                    .zip(outcomes.into_iter().flatten())
                    .collect(),
            );
            progress.set(1.0);
        });
    });
    (fleet, progress)
}

/// One device's policy beside its results and its schedule.
#[component]
fn OneDevice(
    fields: [NumberInput; 5],
    cross: Signal<Option<FieldError>>,
    schedule: Memo<(Policy, Vec<Attempt>)>,
    stale: Signal<bool>,
) -> impl IntoView {
    let [base_f, factor_f, cap_f, attempts_f, seed_f] =
        fields.map(|input| view! { <NumberField input=input cross=cross /> });
    let total_wait = move || schedule.with(|(_, s)| total_wait_s(s));
    let cap_reached = move || schedule.with(|(p, _)| p.cap_reached_attempt());
    let chart = Signal::derive(move || schedule.with(|(p, s)| schedule_chart(p, s)));
    let table = Signal::derive(move || schedule.with(|(_, s)| schedule_table(s)));
    let summary = Signal::derive(move || schedule.with(|(_, s)| schedule_summary(s)));
    view! {
        <div class="widget-grid">
            <section class="inputs" aria-label="One device's policy">
                <h2>"One device's policy"</h2>
                <div class="field-grid">{base_f} {factor_f} {cap_f} {attempts_f} {seed_f}</div>
            </section>
            <div class="figure-column">
                <Results stale=stale label="One device's results">
                    <ResultOutput
                        label="Total wait"
                        name="total-wait-s"
                        value=Signal::derive(move || plain(total_wait()))
                        text=Signal::derive(move || format!("{} s", number(total_wait(), 1)))
                    />
                    <ResultOutput
                        label="Delay reaches the cap at attempt"
                        name="cap-reached-attempt"
                        value=Signal::derive(move || cap_reached().map(|k| k.to_string()).unwrap_or_default())
                        text=Signal::derive(move || cap_reached_text(cap_reached()))
                    />
                </Results>
                <Chart caption=content::backoff::SCHEDULE_CAPTION summary=summary chart=chart table=table />
            </div>
        </div>
    }
}

/// The fleet's settings beside its storm, every strategy's recovery and the
/// fleet's results.
#[component]
fn FleetStorm(
    fields: [NumberInput; 2],
    cross: Signal<Option<FieldError>>,
    jitter: RwSignal<&'static str>,
    fleet_inputs: Memo<FleetInputs>,
    fleet: RwSignal<Vec<(Jitter, FleetOutcome)>>,
    selected_fleet: Signal<Option<FleetOutcome>>,
    storm_end: Memo<usize>,
    progress: RwSignal<f64>,
    stale: Signal<bool>,
) -> impl IntoView {
    let [devices_f, rate_f] = fields.map(|input| view! { <NumberField input=input cross=cross /> });
    let selected = move || fleet_inputs.with(|f| f.policy.jitter);
    let rate = move || fleet_inputs.with(|f| f.accept_rate);
    let storm_chart = Signal::derive(move || {
        storm_chart(
            selected(),
            selected_fleet.get().as_ref(),
            storm_end.get(),
            rate(),
        )
    });
    let storm_summary =
        Signal::derive(move || storm_summary(selected(), selected_fleet.get().as_ref(), rate()));
    let recovery_chart = Signal::derive(move || fleet.with(|f| recovery_chart(f, selected())));
    let recovery_summary = Signal::derive(move || fleet.with(|f| recovery_summary(f)));
    let table = Signal::derive(move || fleet.with(|f| strategies_table(f)));
    let fleet_value = move |f: fn(&FleetOutcome) -> String| {
        Signal::derive(move || selected_fleet.get().map(|o| f(&o)).unwrap_or_default())
    };
    view! {
        <div class="widget-grid">
            <section class="inputs" aria-label="The fleet">
                <h2>"A fleet after a broker restart"</h2>
                <Choice spec=&backoff::JITTER selected=jitter />
                <div class="field-grid">{devices_f} {rate_f}</div>
            </section>
            <div class="figure-column">
                <Chart caption=content::backoff::STORM_CAPTION summary=storm_summary chart=storm_chart table=table />
                <Chart caption=content::backoff::RECOVERY_CAPTION summary=recovery_summary chart=recovery_chart table=table />
                <Results stale=stale label="The fleet's results">
                    <ResultOutput
                        label="Fleet: peak attempts in one second"
                        name="peak-attempts-per-s"
                        value=fleet_value(|o| o.peak_attempts_per_s.to_string())
                        text=fleet_value(|o| number(o.peak_attempts_per_s as f64, 0))
                    />
                    <ResultOutput
                        label="Fleet: attempts in all"
                        name="total-attempts"
                        value=fleet_value(|o| o.total_attempts.to_string())
                        text=fleet_value(|o| number(o.total_attempts as f64, 0))
                    />
                    <ResultOutput
                        label="Fleet: attempts refused"
                        name="refused-attempts"
                        value=fleet_value(|o| o.refused_attempts.to_string())
                        text=fleet_value(|o| number(o.refused_attempts as f64, 0))
                    />
                    <ResultOutput
                        label="Fleet: all connected after"
                        name="all-connected-s"
                        value=fleet_value(|o| o.all_connected_s.map(plain).unwrap_or_default())
                        text=fleet_value(all_connected_text)
                    />
                    <p class="progress" aria-live="polite">
                        {move || (progress.get() < 1.0).then(|| format!("Simulating the fleet… {} %", (progress.get() * 100.0).floor() as u32))}
                    </p>
                </Results>
            </div>
        </div>
    }
}

/// The first few devices of the selected strategy's storm: each CONNECT,
/// and the CONNACK it got.
#[component]
fn DevicesFigure(
    fleet_inputs: Memo<FleetInputs>,
    selected_fleet: Signal<Option<FleetOutcome>>,
    storm_end: Memo<usize>,
) -> impl IntoView {
    let traces = move || selected_fleet.get().map(|o| o.traces).unwrap_or_default();
    let devices = move || fleet_inputs.with(|f| f.devices);
    let chart = Signal::derive(move || devices_chart(&traces(), devices(), storm_end.get()));
    let table = Signal::derive(move || devices_table(&traces(), devices()));
    let summary = Signal::derive(move || devices_summary(&traces()));
    view! { <Chart caption=content::backoff::DEVICES_CAPTION summary=summary chart=chart table=table /> }
}
