//! `?w=capacity`: broker connection capacity planner.

use crate::components::*;
use leptos::prelude::*;
use mqtt_lab_core::capacity::{self, snippets, Inputs};
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
        format!(
            "Required connections grow linearly with devices: {} at {} devices, against a limit of {}.",
            number(o.required_connections as f64, 0),
            number(i.devices, 0),
            number(o.recommended_limit as f64, 0)
        )
    });

    view! {
        <p class="intro">
            "How many connections will your broker hold, and what limit should you configure so that you are warned before new devices are turned away?"
        </p>
        <div class="widget-grid">
            <section class="inputs" aria-label="Inputs">
                {fields.map(|input| view! { <NumberField input=input /> }).collect_view()}
            </section>
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
        <Chart caption="Connections needed as the fleet grows, with the configured limit and the alert line." summary=summary chart=chart table=table />
        <section class="explain">
            <h2>"The model"</h2>
            <p>
                "Required connections = ⌈devices × 1.2⌉ + backend services × 2 + monitoring tools × 3 (the chapter's formula: the 20 % covers devices reconnecting while their old session lingers, and growth). The recommended limit puts the required load exactly at your alert threshold: limit = ⌈required ÷ alert fraction⌉. Memory is connections × memory per session, an assumption (the chapter gives 2–10 KB; TLS buffers, subscriptions and queued messages add more). The open-file limit is the broker limit plus 64 descriptors for stdio, listeners, the log, the persistence file and bridges: size it for the limit, not for today's load."
            </p>
            <p>
                "Worked example from the chapter: 1,000 devices, 5 backend services and 2 monitoring tools need 1,200 + 10 + 6 = 1,216 connections; with an alert at 80 %, configure 1,520."
            </p>
        </section>
        <Callout title="Correction: $SYS/broker/clients/maximum is not the limit">
            <Prose html=SYS_MAXIMUM />
        </Callout>
        <Callout title="Correction: 149 is not “connection rate exceeded”">
            <Prose html=RATE_CODE />
        </Callout>
        <div class="snippets">
            <CodeSnippet title="Broker limit" lang="mosquitto.conf" code=Signal::derive(move || snippets::mosquitto_conf(&out(), &Target::display())) />
            <CodeSnippet title="Open-file limit, systemd" lang="systemd drop-in" code=Signal::derive(move || snippets::file_limit(&out()).0) />
            <CodeSnippet title="Open-file limit, shell" lang="shell" code=Signal::derive(move || snippets::file_limit(&out()).1) />
            <CodeSnippet title="Handle refusals by reason code" lang="Python, paho-mqtt 2.x" code=snippets::on_connect(&Target::display()) />
            <CodeSnippet title="Monitor connected clients" lang="Python, paho-mqtt 2.x" code=Signal::derive(move || snippets::monitor(&out(), state.get().0.alert_pct, &Target::display())) />
        </div>
        <section class="help">
            <h2>"Link to this state"</h2>
            <Prose html=HELP />
        </section>
    }
}

const SYS_MAXIMUM: &str = r#"<p>The chapter's monitor reads <code>$SYS/broker/clients/maximum</code> as the broker's connection limit. In mosquitto it is the largest number of clients seen connected at the same time, and the configured <code>max_connections</code> is not published under $SYS [[mosquitto-sys-maximum]]: give it to your monitor yourself, as the snippet below does.</p>"#;

const RATE_CODE: &str = r#"<p>The chapter's on_connect treats reason code 149 as a rate limit. In MQTT 5.0, 149 (0x95) is Packet too large; Connection rate exceeded is 159 (0x9F) (OASIS MQTT 5.0, §2.4, Table 2-6). And the chapter's “default of 1,024” is not a broker setting: mosquitto's max_connections defaults to −1 (no limit of its own), and the usual 1,024 is the process's default open-file limit. Over max_connections, mosquitto closes the new socket before any CONNACK, even before the TLS handshake [[mosquitto-max-connections]]: paho-mqtt then calls on_connect_fail, not on_connect or on_disconnect [[paho-connect-fail-tls]]. Use mosquitto 2.0.12 or later for a limit that holds: 2.0.11, Debian 12's version, miscounts, and after N clients have connected and gone the limit lets N more in [[mosquitto-max-connections-2011]].</p>"#;

const HELP: &str = r#"<p>The address bar always holds the current inputs. Parameters: <code>devices</code>, <code>backend</code>, <code>monitoring</code>, <code>alert</code> (percent), <code>session_kib</code>. Sources: OASIS MQTT 5.0 §2.4; mosquitto.conf(5) and mosquitto(8); mosquitto's src/net.c for the refusal at accept [[mosquitto-max-connections]].</p>"#;
