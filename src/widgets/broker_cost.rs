//! `?w=broker-cost`: public versus private broker, cost and risk.

use crate::components::*;
use leptos::prelude::*;
use mqtt_lab_core::broker_cost::{self, snippets, Inputs, Outputs};
use mqtt_lab_core::format::{fixed, number, plain};
use mqtt_lab_core::target::Target;

#[component]
pub fn BrokerCost() -> impl IntoView {
    let fields = broker_cost::FIELDS.each_ref().map(NumberInput::new);
    let parsed = move || values(&fields).map(Inputs::from_values);
    let state = last_valid(
        move || parsed().and_then(|i| broker_cost::compute(&i).ok().map(|o| (i, o))),
        || defaults(broker_cost::compute),
    );
    let stale = Signal::derive(move || parsed().is_none());
    let out = move || state.get().1;
    let money = |v: f64| format!("${}", number(v, 0));
    let result = move |f: fn(&Outputs) -> String| Signal::derive(move || f(&out()));

    let curves = Memo::new(move |_| broker_cost::monthly_curves(&state.get().0));
    let chart = Signal::derive(move || {
        let pct = state.get().0.breach_pct_year;
        curves.with(|c| {
            let series =
                |name: String, tone, faint, f: fn(&(f64, f64, f64, f64, f64)) -> f64| Series {
                    name,
                    points: c.iter().map(|r| (r.0, f(r))).collect(),
                    tone,
                    faint,
                };
            LineChart {
                x_log10: false,
                y_log10: false,
                x_label: "Months".into(),
                y_label: "Cumulative USD".into(),
                series: vec![
                    series("Private broker".into(), Tone::Primary, false, |r| r.1),
                    series(
                        format!("Public, expected loss at {} %/year", plain(pct)),
                        Tone::Danger,
                        false,
                        |r| r.2,
                    ),
                    // Half and double in colours of their own: in one colour the
                    // legend could not tell them apart.
                    series(
                        format!("at {} %", plain(pct / 2.0)),
                        Tone::Secondary,
                        true,
                        |r| r.3,
                    ),
                    series(
                        format!("at {} %", plain((pct * 2.0).min(100.0))),
                        Tone::Warning,
                        true,
                        |r| r.4,
                    ),
                ],
                hlines: vec![],
                markers: vec![],
            }
        })
    });
    let table = Signal::derive(move || {
        curves.with(|c| {
            let step = (c.len() / 12).max(1);
            Table {
                headers: [
                    "Month",
                    "Private (USD)",
                    "Public expected (USD)",
                    "at half (USD)",
                    "at double (USD)",
                ]
                .map(String::from)
                .to_vec(),
                rows: c
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| k % step == 0 || *k + 1 == c.len())
                    .map(|(_, r)| {
                        vec![
                            number(r.0, 2),
                            number(r.1, 0),
                            number(r.2, 0),
                            number(r.3, 0),
                            number(r.4, 0),
                        ]
                    })
                    .collect(),
            }
        })
    });
    let summary = Signal::derive(move || {
        let (i, o) = state.get();
        mqtt_lab_core::claims::content::fill(
            content::broker_cost::SUMMARY,
            &[
                ("months", &number(i.years * 12.0, 1)),
                ("private", &number(o.private_usd, 0)),
                ("loss", &number(o.public_expected_loss_usd, 0)),
            ],
        )
    });
    let verdict_text = Signal::derive(move || {
        let (i, o) = state.get();
        broker_cost::verdict_sentence(&i, &o)
    });

    view! {
        <Intro html=content::broker_cost::INTRO />
        <div class="widget-grid">
            <section class="inputs" aria-label="Inputs">
                <div class="field-grid">{fields.map(|input| view! { <NumberField input=input /> }).collect_view()}</div>
            </section>
            // The chart first, so that on a phone it is just under the fields that move it (issue 21).
            <div class="figure-column">
                <Chart caption=content::broker_cost::CAPTION summary=summary chart=chart table=table />
                <Results stale=stale>
                    <ResultOutput label="Private broker, whole horizon" name="private-usd"
                        value=result(|o| plain(o.private_usd)) text=Signal::derive(move || money(out().private_usd)) />
                    <ResultOutput label="Public broker, expected loss" name="public-expected-loss-usd"
                        value=result(|o| plain(o.public_expected_loss_usd)) text=Signal::derive(move || money(out().public_expected_loss_usd)) />
                    <ResultOutput label="Break-even chance of a breach" name="break-even-pct-year"
                        value=result(|o| o.break_even_pct_year.map(plain).unwrap_or_default())
                        text=result(|o| o.break_even_pct_year.map_or("none (a breach costs nothing)".into(), |b| format!("{} % a year", fixed(b, 2)))) />
                    <ResultOutput label="Expected saving of going private" name="net-saving-usd"
                        value=result(|o| plain(o.net_saving_usd))
                        text=Signal::derive(move || { let v = out().net_saving_usd; if v < 0.0 { format!("−${}", number(-v, 0)) } else { money(v) } }) />
                    <ResultOutput label="Private cost per device per month" name="per-device-usd-month"
                        value=result(|o| plain(o.per_device_usd_month)) text=result(|o| format!("${}", fixed(o.per_device_usd_month, 2))) />
                    <ResultOutput label="Verdict" name="verdict"
                        value=result(|o| o.verdict.slug().to_string()) text=result(|o| o.verdict.slug().to_string()) />
                </Results>
                <p class="verdict" aria-live="polite">{move || verdict_text.get()}</p>
            </div>
        </div>
        <Optional part=Part::Explain><Prose html=content::broker_cost::EXPLAIN /></Optional>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="A minimal secure broker" lang="mosquitto.conf" code=snippets::mosquitto_conf(&Target::display()) />
                <CodeSnippet title="The matching client" lang="Python, paho-mqtt 2.x" code=snippets::paho_client(&Target::display()) />
            </div>
        </Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::broker_cost::LINK, broker_cost::FIELDS.iter().map(Param::Number)) /></Optional>
    }
}
