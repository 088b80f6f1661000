//! `?w=tls-timeout`: connection time and timeouts for constrained devices.

use crate::components::*;
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::claims::{content::fill, link_html};
use mqtt_lab_core::format::{fixed, number, plain};
use mqtt_lab_core::target::Target;
use mqtt_lab_core::tls_timeout::{self as tls, snippets, Inputs, Outputs, PHASES};

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

    let chart = Signal::derive(move || phases_chart(&out()));
    let table = Signal::derive(move || phases_table(&out()));
    let summary = Signal::derive(move || summary(&out()));
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
            <TlsFigure state=state summary=summary chart=chart table=table stale=stale />
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
        </div>
        {notes_later(state)}
    }
}

crate::split_off! {
    "split-tls-timeout", tls_notes, chunk notes_chunk, later notes_later;
    /// The notes, the explanation, the snippets and the link: a chunk of their
    /// own in the split bundle (issue 24).
    fn notes(state: Memo<(Inputs, Outputs)>) -> AnyView {
        let out = move || state.with(|s| s.1.clone());
        view! {
            <TlsNotes state=state />
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
        .into_any()
    }
}

/// The chart of where the time goes, beside the results.
#[component]
fn TlsFigure(
    state: Memo<(Inputs, Outputs)>,
    summary: Signal<String>,
    chart: Signal<BarChart>,
    table: Signal<Table>,
    stale: Signal<bool>,
) -> impl IntoView {
    let result = move |f: fn(&Outputs) -> String| Signal::derive(move || state.with(|(_, o)| f(o)));
    view! {
        <div class="figure-column tls-figure">
            <Chart caption=content::tls_timeout::CAPTION summary=summary chart=chart table=table />
            <Results stale=stale>
                <ResultOutput label="Expected connect time" name="connect-ms"
                    value=result(|o| plain(o.connect_ms)) text=result(|o| format!("{} ms", number(o.connect_ms, 0))) />
                <ResultOutput label="Worst case" name="worst-case-ms"
                    value=result(|o| plain(o.worst_case_ms)) text=result(|o| format!("{} ms", number(o.worst_case_ms, 0))) />
                <ResultOutput label="Recommended connect timeout" name="recommended-timeout-s"
                    value=result(|o| o.recommended_timeout_s.to_string()) text=result(|o| format!("{} s", o.recommended_timeout_s)) />
                <ResultOutput label="Keepalive" name="keepalive-s"
                    value=result(|o| o.keepalive_s.to_string()) text=result(|o| format!("{} s", o.keepalive_s)) />
            </Results>
        </div>
    }
}

/// The notes under the connection's details: keepalive, the device's
/// sources, the chapter's figure against the model's, the key exchange.
#[component]
fn TlsNotes(state: Memo<(Inputs, Outputs)>) -> impl IntoView {
    // The chosen device's sources, again when the device changes.
    let source = move || {
        let text = state.with(|(i, _)| i.device.source);
        view! { <Sourced text=text /> }
    };
    view! {
        <div class="tls-notes">
            <p class="note" inner_html=link_html(content::tls_timeout::KEEPALIVE_NOTE)></p>
            <p class="note">{source}</p>
            <p class="note" inner_html=move || state.with(|(i, _)| chapter_note(i)).unwrap_or_default()></p>
            <p class="note" inner_html=move || state.with(|(i, _)| kex_note(i))></p>
        </div>
    }
}

/// Expected and worst case, phase by phase, with the recommended timeout.
fn phases_chart(o: &Outputs) -> BarChart {
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
}

fn phases_table(o: &Outputs) -> Table {
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
}

fn summary(o: &Outputs) -> String {
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
}

/// The chapter's figure for this device against the model's, when it gives one.
fn chapter_note(i: &Inputs) -> Option<String> {
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
}

/// TLS 1.3 always exchanges keys with (EC)DHE: its "RSA-2048" is the certificates'.
fn kex_note(i: &Inputs) -> &'static str {
    if i.tls13 && i.rsa2048 {
        content::tls_timeout::KEX_TLS13_NOTE
    } else {
        content::tls_timeout::KEX_NOTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mqtt_lab_core::tls_timeout::Profile;

    /// 2 s expected, 1.5 s of it the handshake; 5 s at worst.
    fn outputs() -> Outputs {
        Outputs {
            expected_phases_ms: [100.0, 20.0, 50.0, 1500.0, 30.0, 300.0],
            worst_phases_ms: [200.0, 40.0, 100.0, 4000.0, 60.0, 600.0],
            connect_ms: 2000.0,
            worst_case_ms: 5000.0,
            recommended_timeout_s: 10,
            keepalive_s: 60,
            tls_round_trips: 2,
        }
    }

    #[test]
    fn the_summary_gives_the_handshakes_share_of_the_expected_time() {
        // 1,500 ms of 2,000 ms: 75 %.
        assert_eq!(
            summary(&outputs()),
            "Expected 2.00 s, worst case 5.00 s; the TLS handshake is 75 % of the expected time. Recommended timeout 10 s."
        );
    }

    #[test]
    fn the_chart_stacks_the_phases_in_seconds_against_the_timeout() {
        let chart = phases_chart(&outputs());
        let expected: Vec<(&str, f64)> = chart.rows[0]
            .segments
            .iter()
            .map(|(n, v, _)| (n.as_str(), *v))
            .collect();
        assert_eq!(
            expected,
            [
                ("Wi-Fi", 0.1),
                ("DNS", 0.02),
                ("TCP", 0.05),
                ("TLS handshake", 1.5),
                ("MQTT CONNECT", 0.03),
                ("Broker load", 0.3)
            ]
        );
        assert_eq!(chart.rows[1].segments[3].1, 4.0);
        assert_eq!(chart.line, Some((10.0, "Timeout 10 s".to_string())));
    }

    #[test]
    fn the_table_has_a_row_per_phase_and_the_totals() {
        let t = phases_table(&outputs());
        assert_eq!(t.rows.len(), 7);
        assert_eq!(t.rows[3], ["TLS handshake", "1,500", "4,000"]);
        assert_eq!(t.rows[6], ["Total", "2,000", "5,000"]);
    }

    #[test]
    fn the_chapters_figure_is_set_beside_the_models_range_when_it_gives_one() {
        static QUOTED: Profile = Profile {
            slug: "t",
            label: "t",
            crypto_ms: (1200.0, 2500.0),
            chapter_ms: Some(800.0),
            source: "",
        };
        static UNQUOTED: Profile = Profile {
            chapter_ms: None,
            ..QUOTED
        };
        let quoted = Inputs {
            device: &QUOTED,
            ..Inputs::default()
        };
        assert_eq!(
            chapter_note(&quoted).unwrap(),
            "The chapter says about 800 ms for this device; this model uses 1,200–2,500 ms for a \
             full handshake's crypto (typical to slowest, sources above)."
        );
        let unquoted = Inputs {
            device: &UNQUOTED,
            ..Inputs::default()
        };
        assert_eq!(chapter_note(&unquoted), None);
    }

    #[test]
    fn with_tls_1_3_rsa_2048_names_the_certificates() {
        let i = |tls13, rsa2048| Inputs {
            tls13,
            rsa2048,
            ..Inputs::default()
        };
        assert_eq!(
            kex_note(&i(true, true)),
            content::tls_timeout::KEX_TLS13_NOTE
        );
        for (tls13, rsa2048) in [(false, true), (true, false), (false, false)] {
            assert_eq!(kex_note(&i(tls13, rsa2048)), content::tls_timeout::KEX_NOTE);
        }
    }
}
