//! `?w=debug`: the debugging checklist and diagnosis.

use crate::components::*;
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::debug::{self, Diagnosis, CHOICES, STEPS};
use mqtt_lab_core::protocol::Protocol;
use mqtt_lab_core::reason_codes::find;

#[component]
pub fn Debug() -> impl IntoView {
    let url = use_url();
    let selected = CHOICES.map(|c| (c, url.choice(c)));
    let diagnosis = Memo::new(move |_| {
        let choices: Vec<(&str, &str)> = selected.iter().map(|(c, s)| (c.key, s.get())).collect();
        debug::diagnose(&choices)
    });
    let top = move || diagnosis.with(|d| d.first().cloned());
    let top_value = move |f: fn(&Diagnosis) -> String| {
        Signal::derive(move || top().map(|d| f(&d)).unwrap_or_default())
    };
    let done = RwSignal::new([false; 4]);

    // The symptom first, then the evidence that ranks its causes.
    let [(symptom, symptom_sel), evidence @ ..] = selected;
    let evidence_controls = evidence
        .map(|(spec, sel)| view! { <Choice spec=spec selected=sel /> })
        .collect_view();
    let checklist = STEPS
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let is_current = move || top().is_some_and(|d| d.cause.step == s.slug);
            let id = format!("step-{}", s.slug);
            let label_for = id.clone();
            view! {
                <li class="step" class:current=is_current aria-current=move || if is_current() { "step" } else { "false" }>
                    <input type="checkbox" id=id prop:checked=move || done.get()[n]
                        on:change=move |ev| done.update(|d| d[n] = event_target_checked(&ev)) />
                    <label for=label_for><strong>{s.title}</strong> " — " {s.tool}</label>
                    <p>{s.check}</p>
                    <pre tabindex="0"><code>{s.code()}</code></pre>
                </li>
            }
        })
        .collect_view();
    let card = move || {
        top().map(|d| {
            let codes = d
                .cause
                .reason_codes
                .iter()
                .map(|&c| {
                    let name = find(Protocol::V5, c).map(|x| x.name()).unwrap_or_default();
                    view! { <li><a href=format!("?w=reason-codes&code={c}")>{format!("{c} (0x{c:02X}) {name}")}</a></li> }
                })
                .collect_view();
            let evidence = d.evidence.iter().map(|e| view! { <li>{*e}</li> }).collect_view();
            let has_evidence = !d.evidence.is_empty();
            let has_codes = !d.cause.reason_codes.is_empty();
            view! {
                <div class="diagnosis">
                    <h2>{d.cause.title}</h2>
                    <p><Sourced text=d.cause.explanation /></p>
                    {has_evidence.then(|| view! { <p class="label">"Why this first:"</p><ul>{evidence}</ul> })}
                    <p class="label">"Fix"</p>
                    <p><Sourced text=d.cause.fix /></p>
                    <p class="label">"Confirm it"</p>
                    <pre tabindex="0"><code><Sourced text=d.cause.confirm /></code></pre>
                    {has_codes.then(|| view! { <p class="label">"Reason codes you may see"</p><ul>{codes}</ul> })}
                </div>
            }
        })
    };
    let others = move || {
        diagnosis.with(|d| {
            d.iter()
                .skip(1)
                .map(|x| view! { <li><strong>{x.cause.title}</strong> ": " {x.cause.fix}</li> })
                .collect_view()
        })
    };

    view! {
        <Intro html=content::debug::INTRO />
        // Symptom, result, evidence, explanation: in this order on a phone,
        // so that the most likely cause is on screen with whichever control
        // changed it; side by side on a wide page (issue 21).
        <div class="debug-grid">
            <section class="inputs debug-symptom" aria-label="The symptom">
                <Choice spec=symptom selected=symptom_sel />
            </section>
            <div class="debug-result">
                <Results stale=Signal::derive(|| false)>
                    <ResultOutput label="Most likely cause" name="cause" value=top_value(|d| d.cause.slug.to_string()) text=top_value(|d| d.cause.title.to_string()) />
                    <ResultOutput label="Step that finds it" name="step"
                        value=top_value(|d| d.cause.step.to_string())
                        text=top_value(|d| debug::step(d.cause.step).map(|s| s.title.to_string()).unwrap_or_default()) />
                </Results>
            </div>
            <section class="inputs debug-evidence" aria-label="What you know">
                <div class="field-grid">{evidence_controls}</div>
            </section>
            <div class="debug-card">{card}</div>
        </div>
        <section aria-label="The debugging flow">
            <h2>"The debugging flow"</h2>
            <ol class="checklist">{checklist}</ol>
        </section>
        // Only when there is another cause: never a heading over an empty list.
        <Show when=move || diagnosis.with(|d| d.len() > 1)>
            <section aria-label="Other possible causes">
                <h2>"Also possible"</h2>
                <ol class="others">{others}</ol>
            </section>
        </Show>
        <Optional part=Part::Explain><Prose html=content::debug::EXPLAIN /></Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::debug::LINK, debug::CHOICES.map(Param::Choice)) /></Optional>
    }
}
