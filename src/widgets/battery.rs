//! `?w=battery`: network-loop strategy and battery life.

use crate::components::*;
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::battery::{self, Inputs};
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::{fixed, number, plain};
use mqtt_lab_core::target::Target;

#[component]
pub fn Battery() -> impl IntoView {
    let strategy = use_url().choice(&battery::STRATEGY);
    let fields = battery::FIELDS.each_ref().map(NumberInput::new);
    let [capacity, busy, idle, active_ma, active_s, sleep_ma, interval, derating] = fields;
    let parsed = move || values(&fields).map(Inputs::from_values);
    // A refusal that involves two fields (awake longer than the interval), shown on the field it names.
    let cross_error = Signal::derive(move || parsed().and_then(|i| i.validate().err()));
    let state = last_valid(
        move || parsed().and_then(|i| battery::compute(&i).ok().map(|o| (i, o))),
        || defaults(battery::compute),
    );
    let stale = Signal::derive(move || parsed().is_none_or(|i| i.validate().is_err()));
    let out = move || state.get().1;
    let hours = |h: f64| {
        if h >= 48.0 {
            format!("{} h ({} days)", number(h, 0), fixed(h / 24.0, 1))
        } else {
            format!("{} h", fixed(h, 1))
        }
    };

    // Life against wake interval, for both the chart and its table.
    let curve = Memo::new(move |_| battery::life_curve(&state.get().0));
    let chart = Signal::derive(move || {
        let (i, o) = state.get();
        // Seconds, as typed, and days, both on log axes: the intervals worth
        // comparing run from 10 s to a day and the lives from days to years,
        // so the student's own point is never squeezed into a corner.
        LineChart {
            x_label: "Wake every (s, log scale)".into(),
            y_label: "Battery life (days, log scale)".into(),
            x_log10: true,
            y_log10: true,
            series: vec![Series {
                name: "Sleeping between wake-ups".into(),
                points: curve.with(|c| {
                    c.iter()
                        .map(|&(s, h)| (s.log10(), (h / 24.0).log10()))
                        .collect()
                }),
                tone: Tone::Primary,
                faint: false,
            }],
            hlines: vec![HLine {
                y: (o.event_hours / 24.0).log10(),
                label: format!("Awake all the time at {} mA", plain(i.idle_ma)),
                tone: Tone::Warning,
            }],
            markers: vec![Marker {
                x: i.interval_s.log10(),
                y: (o.duty_cycle_hours / 24.0).log10(),
                label: format!("{} days", fixed(o.duty_cycle_hours / 24.0, 0)),
            }],
        }
    });
    let table = Signal::derive(move || Table {
        headers: vec!["Wake every (s)".into(), "Battery life (days)".into()],
        rows: curve.with(|c| {
            c.iter()
                .map(|&(s, h)| vec![number(s, 0), number(h / 24.0, 1)])
                .collect()
        }),
    });
    let summary = Signal::derive(move || {
        let (i, o) = state.get();
        fill(
            content::battery::SUMMARY,
            &[
                ("interval_s", &number(i.interval_s, 0)),
                ("days", &fixed(o.duty_cycle_hours / 24.0, 1)),
                ("idle_ma", &plain(i.idle_ma)),
                ("awake_days", &fixed(o.event_hours / 24.0, 1)),
            ],
        )
    });
    let advice = move || match strategy.get() {
        "loop_forever" => content::battery::ADVICE_LOOP_FOREVER,
        "loop" => content::battery::ADVICE_LOOP,
        _ => content::battery::ADVICE_LOOP_START,
    };

    view! {
        <Intro html=content::battery::INTRO />
        // Two rows, each its fields beside what they change (issue 21): the
        // chapter's comparison of two currents, then the sleeping device with
        // its chart, the wake interval just above it on a phone.
        <div class="widget-grid">
            <section class="inputs" aria-label="The chapter's comparison">
                <Choice spec=&battery::STRATEGY selected=strategy />
                <p class="note" aria-live="polite" inner_html=advice></p>
                <h2>"The chapter's comparison"</h2>
                <div class="field-grid">
                    <NumberField input=capacity cross=cross_error />
                    <NumberField input=busy cross=cross_error />
                    <NumberField input=idle cross=cross_error />
                </div>
            </section>
            <Results stale=stale label="The comparison's results">
                <ResultOutput label="At the always-on current" name="busy-hours" value=Signal::derive(move || plain(out().busy_hours)) text=Signal::derive(move || hours(out().busy_hours)) />
                <ResultOutput label="At the lower current" name="event-hours" value=Signal::derive(move || plain(out().event_hours)) text=Signal::derive(move || hours(out().event_hours)) />
                <ResultOutput label="Ratio" name="ratio" value=Signal::derive(move || plain(out().ratio)) text=Signal::derive(move || format!("{}×", fixed(out().ratio, 1))) />
            </Results>
        </div>
        <div class="widget-grid">
            <section class="inputs" aria-label="A device that sleeps">
                <h2>"A device that sleeps"</h2>
                <div class="field-grid">
                    <NumberField input=interval cross=cross_error />
                    <NumberField input=active_ma cross=cross_error />
                    <NumberField input=active_s cross=cross_error />
                    <NumberField input=sleep_ma cross=cross_error />
                    <NumberField input=derating cross=cross_error />
                </div>
            </section>
            <div class="figure-column">
                <Chart caption=content::battery::CAPTION summary=summary chart=chart table=table />
                <Results stale=stale label="The sleeping device's results">
                    <ResultOutput label="Sleeping device, average current" name="average-ma" value=Signal::derive(move || plain(out().average_ma)) text=Signal::derive(move || format!("{} mA", fixed(out().average_ma, 3))) />
                    <ResultOutput label="Sleeping device, battery life" name="duty-cycle-hours" value=Signal::derive(move || plain(out().duty_cycle_hours)) text=Signal::derive(move || hours(out().duty_cycle_hours)) />
                </Results>
            </div>
        </div>
        <Optional part=Part::Explain><Prose html=content::battery::EXPLAIN /></Optional>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="This network loop" lang="Python, paho-mqtt 2.x" code=Signal::derive(move || battery::snippets::python(strategy.get(), &Target::display())) />
            </div>
        </Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::battery::LINK, std::iter::once(Param::Choice(&battery::STRATEGY)).chain(battery::FIELDS.iter().map(Param::Number))) /></Optional>
    }
}
