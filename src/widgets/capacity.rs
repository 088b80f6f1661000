//! `?w=capacity`: broker connection capacity planner.

use crate::components::*;
use leptos::prelude::*;
use mqtt_lab_core::capacity::{self, snippets, Inputs};
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::{number, plain};
use mqtt_lab_core::target::Target;

#[component]
pub fn Capacity() -> impl IntoView {
    let fields = capacity::FIELDS.each_ref().map(NumberInput::new);
    let parsed = move || values(&fields).map(Inputs::from_values);
    // The last valid inputs and their results; kept while a field is refused.
    let state = last_valid(
        move || parsed().and_then(|i| capacity::compute(&i).ok().map(|o| (i, o))),
        || defaults(capacity::compute),
    );
    let stale = Signal::derive(move || parsed().is_none());
    let out = move || state.get().1;

    let chart = Signal::derive(move || {
        let (i, o) = state.get();
        LineChart {
            x_log10: false,
            y_log10: false,
            x_label: "Devices".into(),
            y_label: "Connections".into(),
            series: vec![Series {
                name: "Required connections".into(),
                points: capacity::curve(&i, 41),
                tone: Tone::Primary,
                faint: false,
            }],
            hlines: vec![
                HLine {
                    y: o.recommended_limit as f64,
                    label: format!("Limit {}", number(o.recommended_limit as f64, 0)),
                    tone: Tone::Danger,
                },
                HLine {
                    y: o.recommended_limit as f64 * i.alert_pct / 100.0,
                    label: format!("Alert at {} %", plain(i.alert_pct)),
                    tone: Tone::Warning,
                },
            ],
            markers: vec![Marker {
                x: i.devices,
                y: o.required_connections as f64,
                label: format!("{} devices", number(i.devices, 0)),
            }],
        }
    });
    let table = Signal::derive(move || {
        let (i, _) = state.get();
        Table {
            headers: vec!["Devices".into(), "Required connections".into()],
            rows: capacity::curve(&i, 11)
                .into_iter()
                .map(|(d, r)| vec![number(d, 0), number(r, 0)])
                .collect(),
        }
    });
    let summary = Signal::derive(move || {
        let (i, o) = state.get();
        fill(
            content::capacity::SUMMARY,
            &[
                ("required", &number(o.required_connections as f64, 0)),
                ("devices", &number(i.devices, 0)),
                ("limit", &number(o.recommended_limit as f64, 0)),
            ],
        )
    });

    view! {
        <Intro html=content::capacity::INTRO />
        <div class="widget-grid">
            <section class="inputs" aria-label="Inputs">
                <div class="field-grid">{fields.map(|input| view! { <NumberField input=input /> }).collect_view()}</div>
            </section>
            // The chart first, so that on a phone it is just under the fields that move it (issue 21).
            <div class="figure-column">
            <Chart caption=content::capacity::CAPTION summary=summary chart=chart table=table />
            <Results stale=stale>
                <ResultOutput
                    label="Required connections"
                    name="required-connections"
                    value=Signal::derive(move || out().required_connections.to_string())
                    text=Signal::derive(move || number(out().required_connections as f64, 0))
                />
                <ResultOutput
                    label="Recommended broker limit"
                    name="recommended-limit"
                    value=Signal::derive(move || out().recommended_limit.to_string())
                    text=Signal::derive(move || format!("{} connections", number(out().recommended_limit as f64, 0)))
                />
                <ResultOutput
                    label="Session memory"
                    name="memory-mib"
                    value=Signal::derive(move || plain(out().memory_mib))
                    text=Signal::derive(move || format!("{} MiB", number(out().memory_mib, 2)))
                />
                <ResultOutput
                    label="Open-file limit"
                    name="file-descriptors"
                    value=Signal::derive(move || out().file_descriptors.to_string())
                    text=Signal::derive(move || format!("{} descriptors", number(out().file_descriptors as f64, 0)))
                />
            </Results>
            </div>
        </div>
        <Optional part=Part::Explain><Prose html=content::capacity::EXPLAIN /></Optional>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="Broker limit" lang="mosquitto.conf" code=Signal::derive(move || snippets::mosquitto_conf(&out(), &Target::display())) />
                <CodeSnippet title="Open-file limit, systemd" lang="systemd drop-in" code=Signal::derive(move || snippets::file_limit(&out()).0) />
                <CodeSnippet title="Open-file limit, shell" lang="shell" code=Signal::derive(move || snippets::file_limit(&out()).1) />
                <CodeSnippet title="Handle refusals by reason code" lang="Python, paho-mqtt 2.x" code=snippets::on_connect(&Target::display()) />
                <CodeSnippet title="Monitor connected clients" lang="Python, paho-mqtt 2.x" code=Signal::derive(move || snippets::monitor(&out(), state.get().0.alert_pct, &Target::display())) />
            </div>
        </Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::capacity::LINK, capacity::FIELDS.iter().map(Param::Number)) /></Optional>
    }
}
