//! `?w=tls-timeout`: connection time and timeouts for constrained devices.

use crate::components::*;
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::claims::{content::fill, link_html};
use mqtt_lab_core::format::{fixed, number, plain};
use mqtt_lab_core::target::Target;
use mqtt_lab_core::tls_timeout::{self as tls, snippets, Inputs, PHASES};

const PHASE_TONES: [Tone; 6] = [
    Tone::Muted,
    Tone::Secondary,
    Tone::Primary,
    Tone::Warning,
    Tone::Extra,
    Tone::Danger,
];

#[component]
pub fn TlsTimeout() -> impl IntoView {
    let url = use_url();
    let device = url.choice(&tls::DEVICE);
    let version = url.choice(&tls::TLS);
    let kex = url.choice(&tls::KEX);
    let resume = url.choice(&tls::RESUME);
    let dns = url.choice(&tls::DNS);
    let fields = [
        &tls::RTT,
        &tls::WIFI,
        &tls::LOAD,
        &tls::SAFETY,
        &tls::CRYPTO,
    ]
    .map(NumberInput::new);
    let [rtt, wifi, load, safety, crypto] = fields;

    let parsed = move || -> Option<Inputs> {
        let [rtt_ms, wifi_ms, load_ms, safety, crypto_ms] = values(&fields)?;
        Some(Inputs {
            device: tls::profile(device.get()),
            tls13: version.get() == "1.3",
            rsa2048: kex.get() == "rsa2048",
            resume: resume.get() == "1",
            dns_lookup: dns.get() == "1",
            rtt_ms,
            wifi_ms,
            load_ms,
            safety,
            crypto_ms,
        })
    };
    let state = last_valid(
        move || parsed().and_then(|i| tls::compute(&i).ok().map(|o| (i, o))),
        || defaults(tls::compute),
    );
    let stale = Signal::derive(move || parsed().is_none());
    let out = move || state.with(|s| s.1.clone());
    let is_custom = move || device.get() == "custom";

    let chart = Signal::derive(move || {
        let o = out();
        let row = |label: &str, phases: [f64; 6]| BarRow {
            label: label.to_string(),
            segments: PHASES
                .iter()
                .zip(phases)
                .zip(PHASE_TONES)
                .map(|((n, v), t)| (n.to_string(), v / 1000.0, t))
                .collect(),
            note: String::new(),
        };
        BarChart {
            x_label: "Seconds from waking up to CONNACK".into(),
            rows: vec![
                row("Expected", o.expected_phases_ms),
                row("Worst case", o.worst_phases_ms),
            ],
            line: Some((
                o.recommended_timeout_s as f64,
                format!("Timeout {} s", o.recommended_timeout_s),
            )),
        }
    });
    let table = Signal::derive(move || {
        let o = out();
        let mut rows: Vec<Vec<String>> = PHASES
            .iter()
            .enumerate()
            .map(|(k, p)| {
                vec![
                    p.to_string(),
                    number(o.expected_phases_ms[k], 0),
                    number(o.worst_phases_ms[k], 0),
                ]
            })
            .collect();
        rows.push(vec![
            "Total".into(),
            number(o.connect_ms, 0),
            number(o.worst_case_ms, 0),
        ]);
        Table {
            headers: vec![
                "Phase".into(),
                "Expected (ms)".into(),
                "Worst case (ms)".into(),
            ],
            rows,
        }
    });
    let summary = Signal::derive(move || {
        let o = out();
        fill(
            content::tls_timeout::SUMMARY,
            &[
                ("expected_s", &fixed(o.connect_ms / 1000.0, 2)),
                ("worst_s", &fixed(o.worst_case_ms / 1000.0, 2)),
                (
                    "tls_pct",
                    &fixed(o.expected_phases_ms[3] * 100.0 / o.connect_ms.max(1e-9), 0),
                ),
                ("timeout_s", &o.recommended_timeout_s.to_string()),
            ],
        )
    });
    let source = move || state.with(|(i, _)| i.device.source);
    let chapter_vs = move || {
        state.with(|(i, _)| {
            i.device.chapter_ms.map(|c| {
                fill(
                    content::tls_timeout::CHAPTER_NOTE,
                    &[
                        ("chapter_ms", &number(c, 0)),
                        ("typical_ms", &number(i.device.crypto_ms.0, 0)),
                        ("slowest_ms", &number(i.device.crypto_ms.1, 0)),
                    ],
                )
            })
        })
    };
    let kex_note = move || {
        state.with(|(i, _)| {
            if i.tls13 && i.rsa2048 {
                content::tls_timeout::KEX_TLS13_NOTE
            } else {
                content::tls_timeout::KEX_NOTE
            }
        })
    };

    view! {
        <Intro html=content::tls_timeout::INTRO />
        // The device, then (on a phone just under it) the chart and results it
        // moves, then the connection's details; side by side on a wide page (issue 21).
        <div class="tls-grid">
            <section class="inputs tls-device" aria-label="Hardware">
                <Choice spec=&tls::DEVICE selected=device />
                <Show when=is_custom>
                    <NumberField input=crypto />
                </Show>
            </section>
            <div class="figure-column tls-figure">
                <Chart caption=content::tls_timeout::CAPTION summary=summary chart=chart table=table />
                <Results stale=stale>
                    <ResultOutput label="Expected connect time" name="connect-ms"
                        value=Signal::derive(move || plain(out().connect_ms)) text=Signal::derive(move || format!("{} ms", number(out().connect_ms, 0))) />
                    <ResultOutput label="Worst case" name="worst-case-ms"
                        value=Signal::derive(move || plain(out().worst_case_ms)) text=Signal::derive(move || format!("{} ms", number(out().worst_case_ms, 0))) />
                    <ResultOutput label="Recommended connect timeout" name="recommended-timeout-s"
                        value=Signal::derive(move || out().recommended_timeout_s.to_string()) text=Signal::derive(move || format!("{} s", out().recommended_timeout_s)) />
                    <ResultOutput label="Keepalive" name="keepalive-s"
                        value=Signal::derive(move || out().keepalive_s.to_string()) text=Signal::derive(move || format!("{} s", out().keepalive_s)) />
                </Results>
            </div>
            <section class="inputs tls-more" aria-label="The connection">
                <div class="field-grid">
                    <Choice spec=&tls::TLS selected=version />
                    <Choice spec=&tls::KEX selected=kex />
                    <Choice spec=&tls::RESUME selected=resume />
                    <Choice spec=&tls::DNS selected=dns />
                    <NumberField input=rtt />
                    <NumberField input=wifi />
                    <NumberField input=load />
                    <NumberField input=safety />
                </div>
            </section>
            <div class="tls-notes">
                <p class="note" inner_html=link_html(content::tls_timeout::KEEPALIVE_NOTE)></p>
                <p class="note"><Sourced text=source() /></p>
                <p class="note" inner_html=move || chapter_vs().unwrap_or_default()></p>
                <p class="note" inner_html=kex_note></p>
            </div>
        </div>
        <Optional part=Part::Explain><Prose html=content::tls_timeout::EXPLAIN /></Optional>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="paho-mqtt client" lang="Python, paho-mqtt 2.x" code=Signal::derive(move || state.with(|(i, o)| snippets::paho(i, o, &Target::display()))) />
                <CodeSnippet title="ESP32 with PubSubClient" lang="Arduino (arduino-esp32)" code=Signal::derive(move || snippets::esp32(&out(), &Target::display())) />
                <CodeSnippet title="ESP8266 with BearSSL" lang="Arduino (esp8266 core)" code=Signal::derive(move || snippets::esp8266(&out(), &Target::display())) />
            </div>
        </Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::tls_timeout::LINK, [
            Param::Choice(&tls::DEVICE), Param::Choice(&tls::TLS), Param::Choice(&tls::KEX), Param::Choice(&tls::RESUME),
            Param::Choice(&tls::DNS), Param::Number(&tls::RTT), Param::Number(&tls::WIFI), Param::Number(&tls::LOAD),
            Param::Number(&tls::SAFETY), Param::Number(&tls::CRYPTO),
        ]) /></Optional>
    }
}
