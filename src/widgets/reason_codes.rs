//! `?w=reason-codes`: the MQTT 3.1.1 and 5.0 reason-code explorer.

use crate::components::*;
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::claims::content as text;
use mqtt_lab_core::protocol::{PacketType, Protocol};
use mqtt_lab_core::reason_codes::{self as rc, Code};
use mqtt_lab_core::target::Target;

fn check_code(text: &str) -> Result<(), String> {
    rc::parse_code(text).map(|_| ())
}

#[component]
pub fn ReasonCodes() -> impl IntoView {
    let url = use_url();
    let version = url.choice(&rc::VERSION);
    let packet = url.choice(&rc::PACKET);
    let code_text = url.text("code", "159", check_code);
    let query = url.text("q", "", |_| Ok(()));

    let v = move || Protocol::from_slug(version.get());
    let packet_filter = move || rc::packet_from_slug(packet.get());
    let parsed = move || rc::parse_code(&code_text.get());
    let code_error = Signal::derive(move || parsed().err());
    let selected = move || parsed().ok().and_then(|n| rc::find(v(), n));
    // Why the selected value is not what the filters expect, if it is not.
    let problem = move || -> Option<String> {
        let n = parsed().ok()?;
        match selected() {
            None => Some(rc::unknown_code(v(), n)),
            Some(_) => packet_filter().and_then(|p| rc::packet_mismatch(v(), n, p)),
        }
    };
    let out =
        move |f: fn(&Code) -> String| Signal::derive(move || selected().map(f).unwrap_or_default());

    // The codes the filters leave, for both the table and its heading.
    let matching = Memo::new(move |_| rc::search(v(), packet_filter(), &query.get()));
    let rows = move || {
        let current = parsed().ok();
        matching
            .get()
            .into_iter()
            .map(|c| {
                let value = c.value;
                let is_current = current == Some(value);
                view! {
                    <tr role="row" class:current=is_current aria-current=if is_current { "true" } else { "false" }>
                        <td role="cell" class="dec">{value}</td>
                        <td role="cell" class="hex"><code>{c.hex()}</code></td>
                        <td role="cell" class="left name">{c.name()}</td>
                        <td role="cell" class="left packets" data-label="Packets">{c.packet_list()}</td>
                        <td role="cell" class="retry" data-label="Retry">{c.retry.slug()}</td>
                        <td role="cell" class="show">
                            <button type="button" class="small" on:click=move |_| code_text.set(value.to_string())
                                aria-label=format!("Show {value}")>
                                "Show"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let count = move || matching.with(Vec::len);

    let detail = move || {
        selected().map(|c| {
            let names = if c.names.len() > 1 {
                c.names
                    .iter()
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                c.name()
            };
            let paho = (v() == Protocol::V311 && c.appears_in(PacketType::Connack)).then(|| {
                let v5 = rc::paho_v5_equivalent(c.value);
                let name = rc::paho_name(v5, PacketType::Connack).unwrap_or_default();
                text::fill(
                    content::reason_codes::PAHO_V311_NOTE,
                    &[
                        ("rc", &c.value.to_string()),
                        ("v5", &v5.to_string()),
                        ("name", name),
                    ],
                )
            });
            view! {
                <dl class="detail">
                    <dt>"Name"</dt><dd>{names}</dd>
                    <dt>"Meaning"</dt><dd><Sourced text=c.meaning /></dd>
                    <dt>"Likely cause"</dt><dd><Sourced text=c.cause /></dd>
                    <dt>"What the client should do"</dt><dd><Sourced text=c.action /></dd>
                </dl>
                {paho.map(|t| view! { <p class="note"><Sourced text=t /></p> })}
                {c.spec_note.map(|t| view! { <p class="note">{t}</p> })}
                {c.erratum.map(|t| view! {
                    <Prose html=text::fill(content::reason_codes::ERRATUM, &[("erratum", &text::escape(t))]) />
                })}
            }
        })
    };
    let snippet = Signal::derive(move || match selected() {
        Some(c) => rc::snippets::paho(v(), c, packet_filter(), &Target::display()),
        None => mqtt_lab_core::snippets::comment("# ", content::reason_codes::NO_CODE),
    });

    view! {
        <Intro html=content::reason_codes::INTRO />
        <div class="widget-grid">
            <section class="inputs" aria-label="Find a code">
                <Choice spec=&rc::VERSION selected=version />
                <TextField key="code" label="Code (decimal or 0x hex)" text=code_text error=code_error placeholder="159 or 0x9F" />
                <Choice spec=&rc::PACKET selected=packet />
                <TextField key="q" label="Search the table" text=query placeholder="rate, 0x8, password…" />
            </section>
            <div>
                <Results stale=Signal::derive(|| false)>
                    <ResultOutput label="Name" name="code-name" value=out(|c| c.name()) text=out(|c| c.name()) />
                    <ResultOutput label="Hex" name="code-hex" value=out(|c| c.hex()) text=out(|c| c.hex()) />
                    <ResultOutput label="Packets" name="code-packets" value=out(|c| c.packet_list().replace(' ', "")) text=out(|c| c.packet_list()) />
                    <ResultOutput label="Kind" name="code-kind" value=out(|c| c.kind().to_string()) text=out(|c| c.kind().to_string()) />
                    <ResultOutput label="Retry automatically" name="retry" value=out(|c| c.retry.slug().to_string()) text=out(|c| c.retry.slug().to_string()) />
                </Results>
                <p class="problem" role="status">{problem}</p>
                {detail}
            </div>
        </div>
        <Optional part=Part::Code>
            <div class="snippets">
                <CodeSnippet title="Handle this code" lang="Python, paho-mqtt 2.x" code=snippet />
            </div>
        </Optional>
        <section class="codes" aria-label="All codes">
            <h2>{move || format!("{} codes ({} shown)", v().label(), count())}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Reason codes">
                // On a phone each row is a card (main.css), so the table roles are spelled out.
                <table class="codes-table" role="table">
                    <thead role="rowgroup">
                        <tr role="row">
                            <th scope="col" role="columnheader">"Dec"</th>
                            <th scope="col" role="columnheader">"Hex"</th>
                            <th scope="col" role="columnheader" class="left">"Name"</th>
                            <th scope="col" role="columnheader" class="left">"Packets"</th>
                            <th scope="col" role="columnheader">"Retry"</th>
                            <th scope="col" role="columnheader"><span class="visually-hidden">"Select"</span></th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">{rows}</tbody>
                </table>
            </div>
        </section>
        <Optional part=Part::Explain><Prose html=content::reason_codes::EXPLAIN /></Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::reason_codes::LINK, [
            Param::Choice(&rc::VERSION), Param::Text("code", "decimal, or hex with 0x"),
            Param::Choice(&rc::PACKET), Param::Text("q", "search words"),
        ]) /></Optional>
    }
}
