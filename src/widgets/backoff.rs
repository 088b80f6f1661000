//! `?w=backoff`: one device's reconnect schedule and a fleet's reconnection storm.

use crate::components::*;
use crate::url_state::use_url;
use crate::yield_now::{run_in_slices, Latest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mqtt_lab_core::backoff::{self, snippets, Attempt, Jitter, Policy};
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::{number, plain};
use mqtt_lab_core::target::Target;
use mqtt_lab_fleet::{FleetOutcome, FleetSim};

/// Buckets simulated between clock checks.
const CHECK_EVERY_BUCKETS: usize = 50;

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

    // Fleet results per strategy, filled in slices; a newer input cancels an older run.
    let fleet: RwSignal<Vec<(Jitter, FleetOutcome)>> = RwSignal::new(Vec::new());
    let progress = RwSignal::new(1.0f64);
    let runs = Latest::new();
    Effect::new(move || {
        let inputs = fleet_inputs.get();
        let is_current = runs.start();
        // The selected strategy first, so its numbers arrive first.
        let mut order: Vec<Jitter> = vec![inputs.policy.jitter];
        order.extend(
            Jitter::ALL
                .into_iter()
                .filter(|j| *j != inputs.policy.jitter),
        );
        progress.set(0.0);
        spawn_local(async move {
            let mut results = Vec::new();
            for (i, j) in order.iter().enumerate() {
                let policy = Policy {
                    jitter: *j,
                    ..inputs.policy
                };
                let Ok(mut sim) =
                    FleetSim::new(&policy, inputs.devices, inputs.accept_rate, inputs.seed)
                else {
                    return;
                };
                let done_fraction = std::cell::Cell::new(0.0);
                let finished = run_in_slices(
                    || {
                        let done = sim.advance(CHECK_EVERY_BUCKETS);
                        done_fraction.set(sim.progress());
                        done
                    },
                    is_current,
                    || progress.set((i as f64 + done_fraction.get()) / order.len() as f64),
                )
                .await;
                if !finished {
                    return;
                }
                results.push((*j, sim.outcome().clone()));
                if i == 0 || i + 1 == order.len() {
                    fleet.set(results.clone());
                }
            }
            progress.set(1.0);
        });
    });
    let selected_fleet = move || {
        let j = fleet_inputs.with(|f| f.policy.jitter);
        fleet.with(|f| f.iter().find(|(k, _)| *k == j).map(|(_, o)| o.clone()))
    };
    let fleet_value = move |f: fn(&FleetOutcome) -> String| {
        Signal::derive(move || selected_fleet().map(|o| f(&o)).unwrap_or_default())
    };

    let total_wait = move || sched.with(|(_, s)| s.last().map_or(0.0, |a| a.at_s));
    let cap_reached = move || sched.with(|(p, _)| p.cap_reached_attempt());

    let schedule_chart = Signal::derive(move || {
        sched.with(|(p, s)| {
            let pts = |f: fn(&Attempt) -> f64| {
                s.iter()
                    .map(|a| (f64::from(a.attempt), f(a)))
                    .collect::<Vec<_>>()
            };
            let mut series = vec![Series {
                name: format!("Delay, {}", p.jitter.label()),
                points: pts(|a| a.delay_s),
                tone: Tone::Primary,
                faint: false,
            }];
            if p.jitter != Jitter::None {
                series.push(Series {
                    name: "Largest possible".into(),
                    points: pts(|a| a.max_delay_s),
                    tone: Tone::Muted,
                    faint: true,
                });
                series.push(Series {
                    name: "Smallest possible".into(),
                    points: pts(|a| a.min_delay_s),
                    tone: Tone::Muted,
                    faint: true,
                });
            }
            LineChart {
                x_log10: false,
                y_log10: false,
                x_label: "Attempt".into(),
                y_label: "Delay before it (s)".into(),
                series,
                hlines: vec![HLine {
                    y: p.cap_s,
                    label: format!("Cap {} s", number(p.cap_s, 2)),
                    tone: Tone::Danger,
                }],
                markers: vec![],
            }
        })
    });
    let schedule_table = Signal::derive(move || {
        sched.with(|(_, s)| Table {
            headers: [
                "Attempt",
                "Delay (s)",
                "At (s)",
                "Smallest (s)",
                "Largest (s)",
            ]
            .map(String::from)
            .to_vec(),
            rows: s
                .iter()
                .map(|a| {
                    vec![
                        a.attempt.to_string(),
                        number(a.delay_s, 2),
                        number(a.at_s, 2),
                        number(a.min_delay_s, 2),
                        number(a.max_delay_s, 2),
                    ]
                })
                .collect(),
        })
    });
    let schedule_summary = Signal::derive(move || {
        sched.with(|(_, s)| {
            let delays: Vec<String> = s.iter().take(12).map(|a| number(a.delay_s, 1)).collect();
            format!(
                "Delays in seconds: {}{}; {} s in all.",
                delays.join(", "),
                if s.len() > 12 { ", …" } else { "" },
                number(total_wait(), 1)
            )
        })
    });

    // The selected strategy alone, until it is done (and 10 s at least):
    // drawn with the others, the jittered storms (over in 15-35 s) were
    // squeezed against the axis of the herd's 487 s (issue 21). The bars
    // below compare the strategies; the devices' chart shares this axis.
    let storm_end_s = Memo::new(move |_| {
        let selected = fleet_inputs.with(|f| f.policy.jitter);
        fleet.with(|f| {
            f.iter()
                .find(|(j, _)| *j == selected)
                .and_then(|(_, o)| o.all_connected_s)
                .unwrap_or(mqtt_lab_fleet::HORIZON_S)
                .max(10.0)
                .ceil() as usize
        })
    });
    let tone = |j: Jitter| match j {
        Jitter::None => Tone::Danger,
        Jitter::Full => Tone::Primary,
        Jitter::Equal => Tone::Secondary,
        Jitter::Decorrelated => Tone::Warning,
    };
    let storm_chart = Signal::derive(move || {
        let selected = fleet_inputs.with(|f| f.policy.jitter);
        let end_s = storm_end_s.get();
        LineChart {
            x_log10: false,
            y_log10: false,
            x_label: "Seconds after the broker restart".into(),
            y_label: "Attempts per second".into(),
            series: selected_fleet()
                .map(|o| Series {
                    name: selected.label().into(),
                    points: o
                        .attempts_per_second
                        .iter()
                        .take(end_s + 1)
                        .enumerate()
                        .map(|(t, &n)| (t as f64, f64::from(n)))
                        .collect(),
                    tone: tone(selected),
                    faint: false,
                })
                .into_iter()
                .collect(),
            hlines: vec![HLine {
                y: fleet_inputs.with(|f| f.accept_rate),
                label: "Broker admits per second".into(),
                tone: Tone::Muted,
            }],
            markers: vec![],
        }
    });
    // Every strategy's time until the whole fleet is back, side by side.
    let recovery_chart = Signal::derive(move || {
        let selected = fleet_inputs.with(|f| f.policy.jitter);
        BarChart {
            x_label: "Seconds until every device is connected".into(),
            rows: Jitter::ALL
                .iter()
                .filter_map(|j| fleet.with(|f| f.iter().find(|(k, _)| k == j).cloned()))
                .map(|(j, o)| BarRow {
                    label: j.label().into(),
                    segments: vec![(
                        "Until all connected".into(),
                        o.all_connected_s.unwrap_or(mqtt_lab_fleet::HORIZON_S),
                        if j == selected { tone(j) } else { Tone::Muted },
                    )],
                    note: o
                        .all_connected_s
                        .map_or("over 1 h".into(), |s| format!("{} s", number(s, 1))),
                })
                .collect(),
            line: None,
        }
    });
    // The first few devices of the selected strategy: each CONNECT, and the
    // CONNACK it got (0x00 admitted, 0x9F Connection rate exceeded).
    let traces = move || selected_fleet().map(|o| o.traces).unwrap_or_default();
    let device_name = move |i: u32| {
        let n = fleet_inputs.with(|f| f.devices);
        format!(
            "device {}",
            number(f64::from(mqtt_lab_fleet::traced_device(i, n) + 1), 0)
        )
    };
    let devices_chart = Signal::derive(move || Timeline {
        x_label: "Seconds after the broker restart".into(),
        x_max: storm_end_s.get() as f64,
        // Short lane names: the label area is narrow (the table names them fully).
        lanes: (0..traces().len() as u32)
            .map(|i| device_name(i).replace("device ", "#"))
            .collect(),
        events: traces()
            .iter()
            .enumerate()
            .flat_map(|(lane, t)| t.iter().map(move |&(x, ok)| (x, lane, ok)))
            .collect(),
    });
    let devices_table = Signal::derive(move || Table {
        headers: vec!["Device".into(), "CONNECT at (s) → CONNACK".into()],
        rows: traces()
            .iter()
            .enumerate()
            .map(|(d, t)| {
                let attempts = t
                    .iter()
                    .map(|&(x, ok)| {
                        format!(
                            "{} → {}",
                            number(x, 2),
                            if ok { "0x00 admitted" } else { "0x9F refused" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![device_name(d as u32), attempts]
            })
            .collect(),
    });
    let devices_summary = Signal::derive(move || {
        let t = traces();
        let tries: usize = t.iter().map(Vec::len).sum();
        fill(
            content::backoff::DEVICES_SUMMARY,
            &[
                ("devices", &t.len().to_string()),
                ("attempts", &tries.to_string()),
            ],
        )
    });
    let storm_table = Signal::derive(move || {
        fleet.with(|f| Table {
            headers: [
                "Strategy",
                "Peak attempts/s",
                "Attempts",
                "Refused",
                "99 % connected (s)",
                "All connected (s)",
            ]
            .map(String::from)
            .to_vec(),
            rows: f
                .iter()
                .map(|(j, o)| {
                    vec![
                        j.label().to_string(),
                        number(o.peak_attempts_per_s as f64, 0),
                        number(o.total_attempts as f64, 0),
                        number(o.refused_attempts as f64, 0),
                        o.p99_connected_s
                            .map_or("over 1 h".into(), |t| number(t, 1)),
                        o.all_connected_s
                            .map_or("over 1 h".into(), |t| number(t, 1)),
                    ]
                })
                .collect(),
        })
    });
    let storm_summary = Signal::derive(move || {
        fleet.with(|f| {
            f.iter()
                .map(|(j, o)| {
                    format!(
                        "{}: all connected after {}",
                        j.label(),
                        o.all_connected_s
                            .map_or("more than an hour".into(), |t| format!(
                                "{} s",
                                number(t, 0)
                            ))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
    });

    let peak_summary = Signal::derive(move || {
        let selected = fleet_inputs.with(|f| f.policy.jitter);
        selected_fleet().map_or_else(String::new, |o| {
            format!(
                "{}: at most {} attempts in one second, against {} the broker admits; {}.",
                selected.label(),
                number(o.peak_attempts_per_s as f64, 0),
                number(fleet_inputs.with(|f| f.accept_rate), 0),
                o.all_connected_s
                    .map_or("not all connected within an hour".into(), |t| format!(
                        "all connected after {} s",
                        number(t, 1)
                    ))
            )
        })
    });
    let [base_f, factor_f, cap_f, attempts_f, seed_f, devices_f, rate_f] =
        fields.map(|input| view! { <NumberField input=input cross=cross_error /> });
    view! {
        <Intro html=content::backoff::INTRO />
        // Each figure beside (on a phone: just under) the controls that
        // change it: the policy with its schedule, the jitter and the fleet
        // with the storm (issue 21).
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
                        text=Signal::derive(move || cap_reached().map_or("never (factor 1)".to_string(), |k| k.to_string()))
                    />
                </Results>
                <Chart caption=content::backoff::SCHEDULE_CAPTION summary=schedule_summary chart=schedule_chart table=schedule_table />
            </div>
        </div>
        <div class="widget-grid">
            <section class="inputs" aria-label="The fleet">
                <h2>"A fleet after a broker restart"</h2>
                <Choice spec=&backoff::JITTER selected=jitter />
                <div class="field-grid">{devices_f} {rate_f}</div>
            </section>
            <div class="figure-column">
                <Chart caption=content::backoff::STORM_CAPTION summary=peak_summary chart=storm_chart table=storm_table />
                <Chart caption=content::backoff::RECOVERY_CAPTION summary=storm_summary chart=recovery_chart table=storm_table />
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
                        text=fleet_value(|o| match (o.p99_connected_s, o.all_connected_s) {
                            (_, Some(all)) => format!("{} s (99 % at {} s)", number(all, 1), number(o.p99_connected_s.unwrap_or(all), 1)),
                            (Some(p99), None) => format!("over 1 h (99 % at {} s)", number(p99, 1)),
                            (None, None) => "over 1 h".to_string(),
                        })
                    />
                    <p class="progress" aria-live="polite">
                        {move || (progress.get() < 1.0).then(|| format!("Simulating the fleet… {} %", (progress.get() * 100.0).floor() as u32))}
                    </p>
                </Results>
            </div>
        </div>
        <Chart caption=content::backoff::DEVICES_CAPTION summary=devices_summary chart=devices_chart table=devices_table />
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
}
