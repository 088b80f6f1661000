//! `?w=exercises`: the chapter's four knowledge checks.

use crate::components::*;
use crate::url_state::{page_address, use_url};
use leptos::prelude::*;
use mqtt_lab_core::checks::Checks;
use mqtt_lab_core::exercises::{
    self as ex, CHALLENGES, CONCEPTS, FLOW_BOXES, LABELS_SHOWN, MATCH_SHOWN, ORDERINGS,
};
use mqtt_lab_core::xapi::Answers;

/// Progress is kept in sessionStorage (answers only; nothing personal) so a
/// reload in the same tab keeps it; it is gone when the tab closes.
fn load(key: &str) -> Option<Vec<Option<usize>>> {
    let raw = window()
        .session_storage()
        .ok()??
        .get_item(&format!("mqtt-lab:{key}"))
        .ok()??;
    Some(raw.split(',').map(|p| p.parse().ok()).collect())
}

fn save(key: &str, values: &[Option<usize>]) {
    let text: Vec<String> = values
        .iter()
        .map(|v| v.map_or("-".to_string(), |n| n.to_string()))
        .collect();
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.set_item(&format!("mqtt-lab:{key}"), &text.join(","));
    }
}

/// A signal of answers that starts from sessionStorage (if what is stored
/// `fits`) and saves itself.
fn stored(
    key: &'static str,
    fresh: Vec<Option<usize>>,
    fits: impl Fn(&[Option<usize>]) -> bool,
) -> RwSignal<Vec<Option<usize>>> {
    let start = load(key).filter(|v| fits(v)).unwrap_or(fresh);
    let signal = RwSignal::new(start);
    Effect::new(move || signal.with(|v| save(key, v)));
    signal
}

fn verdict_class(ok: bool) -> &'static str {
    if ok {
        "right"
    } else {
        "wrong"
    }
}

#[component]
pub fn Exercises() -> impl IntoView {
    let tab = use_url().choice(&ex::TAB);
    // Where the learner starts, and what "Reset" goes back to.
    let fresh = Answers::default;
    let shown_order = move |k: usize| -> Vec<Option<usize>> {
        fresh().orders[k].iter().copied().map(Some).collect()
    };
    // What sessionStorage gives back is used only if it is a possible answer.
    let order = |k: usize| {
        let n = ORDERINGS[k].steps.len();
        let is_permutation =
            move |v: &[Option<usize>]| v.len() == n && (0..n).all(|i| v.contains(&Some(i)));
        stored(["order0", "order1"][k], shown_order(k), is_permutation)
    };
    let orders = [order(0), order(1)];
    let choices = |n: usize, below: usize| {
        move |v: &[Option<usize>]| v.len() == n && v.iter().flatten().all(|&i| i < below)
    };
    // Line and fix indices share one list: the longest program bounds both.
    let longest = CHALLENGES
        .iter()
        .map(|c| c.lines.len().max(c.fixes.len()))
        .max()
        .unwrap_or(0);
    let matches = stored(
        "match",
        fresh().matches,
        choices(CONCEPTS.len(), CONCEPTS.len()),
    );
    let code = stored("code", fresh().code, choices(CHALLENGES.len() * 2, longest));
    let labels = stored(
        "label",
        fresh().labels,
        choices(FLOW_BOXES.len(), FLOW_BOXES.len()),
    );
    // What was checked, per tab: the only source of scores and marks.
    let checks = RwSignal::new(Checks::default());

    let order_verdicts = move |k: usize| {
        orders[k].with(|v| {
            ex::check_order(
                &ORDERINGS[k],
                &v.iter()
                    .map(|x| x.unwrap_or(usize::MAX))
                    .collect::<Vec<_>>(),
            )
        })
    };
    let challenge_right = move |i: usize| {
        code.with(|v| ex::check_challenge(&CHALLENGES[i], v[2 * i], v[2 * i + 1]) == (true, true))
    };
    let answers = Memo::new(move |_| Answers {
        orders: orders
            .iter()
            .map(|o| o.with(|v| v.iter().map(|x| x.unwrap_or(usize::MAX)).collect()))
            .collect(),
        matches: matches.get(),
        code: code.get(),
        labels: labels.get(),
    });
    // The active tab's feedback: its score as checked, while its answers are unchanged.
    let feedback = Memo::new(move |_| answers.with(|a| checks.with(|c| c.feedback(a, tab.get()))));
    let shown = move || feedback.with(Option::is_some);
    // A course that saved the learner's checked answers (SCORM's
    // suspend_data: scripts/scorm.sh) hands them back: they are put in place
    // and shown as checked, as the learner left them; nothing is posted again.
    crate::embed::on_restore(move |wanted, responses| {
        let Some(&(slug, _)) = ex::TAB.options.iter().find(|(s, _)| *s == wanted) else {
            return;
        };
        let mut restored = answers.get_untracked();
        let refs: Vec<Option<&str>> = responses.iter().map(Option::as_deref).collect();
        if restored.restore(slug, &refs).is_err() {
            return;
        }
        match slug {
            "match" => matches.set(restored.matches.clone()),
            "code" => code.set(restored.code.clone()),
            "label" => labels.set(restored.labels.clone()),
            _ => {
                for (k, o) in orders.iter().enumerate() {
                    o.set(restored.orders[k].iter().copied().map(Some).collect());
                }
            }
        }
        let page = page_address();
        checks.update(|c| {
            c.check(&restored, slug, &page);
        });
    });
    let check = move |_| {
        let now = answers.get_untracked();
        let page = page_address();
        // Results back to the course: answered per question, completed per
        // tab, from the very answers the page now scores.
        let posted = checks.try_update(|c| c.check(&now, tab.get_untracked(), &page));
        crate::embed::post_results(&posted.unwrap_or_default());
    };
    let reset = move |_| {
        match tab.get() {
            "match" => matches.set(fresh().matches),
            "code" => code.set(fresh().code),
            "label" => labels.set(fresh().labels),
            _ => {
                for (k, o) in orders.iter().enumerate() {
                    o.set(shown_order(k));
                }
            }
        }
        checks.update(|c| c.forget(tab.get_untracked()));
    };

    // Tabs: a tablist with arrow-key navigation (WAI-ARIA tabs pattern).
    let tabs = ex::TAB
        .options
        .iter()
        .enumerate()
        .map(|(i, (slug, label))| {
            let selected = move || tab.get() == *slug;
            view! {
                <button type="button" role="tab" id=format!("tab-{slug}") aria-controls="exercise-panel"
                    aria-selected=move || if selected() { "true" } else { "false" }
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| tab.set(slug)
                    on:keydown=move |ev| {
                        let n = ex::TAB.options.len();
                        let to = match ev.key().as_str() {
                            "ArrowRight" => Some((i + 1) % n),
                            "ArrowLeft" => Some((i + n - 1) % n),
                            "Home" => Some(0),
                            "End" => Some(n - 1),
                            _ => None,
                        };
                        if let Some(to) = to {
                            ev.prevent_default();
                            tab.set(ex::TAB.options[to].0);
                            if let Some(el) = document().get_element_by_id(&format!("tab-{}", ex::TAB.options[to].0)) {
                                let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                            }
                        }
                    }>
                    {*label}
                </button>
            }
        })
        .collect_view();

    let order_panel = move || {
        (0..ORDERINGS.len())
            .map(|k| {
                let dragging = RwSignal::new(None::<usize>);
                let list = orders[k];
                let items = move || {
                    let current: Vec<usize> = list.with(|v| v.iter().map(|x| x.unwrap_or(0)).collect());
                    let verdicts = order_verdicts(k);
                    let n = current.len();
                    current
                        .into_iter()
                        .enumerate()
                        .map(|(pos, step)| {
                            let (text, why) = ORDERINGS[k].steps[step];
                            let mv = move |up: bool| {
                                list.update(|v| {
                                    let mut idx: Vec<usize> = v.iter().map(|x| x.unwrap_or(0)).collect();
                                    ex::move_item(&mut idx, pos, up);
                                    *v = idx.into_iter().map(Some).collect();
                                });
                            };
                            let ok = verdicts[pos];
                            view! {
                                <li draggable="true" class=move || if shown() { verdict_class(ok) } else { "" }
                                    on:dragstart=move |ev: web_sys::DragEvent| {
                                        dragging.set(Some(pos));
                                        if let Some(dt) = ev.data_transfer() { let _ = dt.set_data("text/plain", &pos.to_string()); }
                                    }
                                    on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                                    on:drop=move |ev: web_sys::DragEvent| {
                                        ev.prevent_default();
                                        if let Some(from) = dragging.get() {
                                            list.update(|v| {
                                                let mut idx: Vec<usize> = v.iter().map(|x| x.unwrap_or(0)).collect();
                                                ex::drop_item(&mut idx, from, pos);
                                                *v = idx.into_iter().map(Some).collect();
                                            });
                                        }
                                        dragging.set(None);
                                    }>
                                    <span class="order-text">{pos + 1} ". " {text}</span>
                                    <span class="order-buttons">
                                        <button type="button" class="small" disabled=pos == 0 on:click=move |_| mv(true)
                                            aria-label=format!("Move up: {text}")>"↑"</button>
                                        <button type="button" class="small" disabled=pos + 1 == n on:click=move |_| mv(false)
                                            aria-label=format!("Move down: {text}")>"↓"</button>
                                    </span>
                                    {move || (shown() && !ok).then(|| view! { <p class="why">"Not here. " {why}</p> })}
                                </li>
                            }
                        })
                        .collect_view()
                };
                view! {
                    <h2>{ORDERINGS[k].title}</h2>
                    <ol class="order-list" aria-label=ORDERINGS[k].title>{items}</ol>
                }
            })
            .collect_view()
    };

    let definition_options = move || {
        MATCH_SHOWN
            .iter()
            .map(|&d| view! { <option value=d.to_string()>{CONCEPTS[d].1}</option> })
            .collect_view()
    };
    let match_panel = move || {
        let verdicts = matches.with(|m| ex::check_match(m));
        CONCEPTS
            .iter()
            .enumerate()
            .map(|(i, (concept, _))| {
                let id = format!("match-{i}");
                let label_for = id.clone();
                let ok = verdicts[i];
                view! {
                    <div class=move || format!("field match-row {}", if shown() { verdict_class(ok) } else { "" })>
                        <label for=label_for>{*concept}</label>
                        <select id=id on:change=move |ev| {
                            let v = event_target_value(&ev).parse().ok();
                            matches.update(|m| m[i] = v);
                        }>
                            <option value="" selected=move || matches.with(|m| m[i].is_none())>"Choose its definition…"</option>
                            {definition_options()}
                        </select>
                        {move || shown().then(|| view! { <span class="verdict-text">{if ok { "Right" } else { "Not this one" }}</span> })}
                    </div>
                }
            })
            .collect_view()
    };

    let code_panel = move || {
        CHALLENGES
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let lines = c
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(n, line)| {
                        view! {
                            <label class="code-line">
                                <input type="radio" name=format!("line-{i}") prop:checked=move || code.with(|v| v[2 * i] == Some(n))
                                    on:change=move |_| code.update(|v| v[2 * i] = Some(n)) />
                                <code>{*line}</code>
                            </label>
                        }
                    })
                    .collect_view();
                let fixes = c
                    .fixes
                    .iter()
                    .enumerate()
                    .map(|(n, fix)| {
                        view! {
                            <label class="choice-option">
                                <input type="radio" name=format!("fix-{i}") prop:checked=move || code.with(|v| v[2 * i + 1] == Some(n))
                                    on:change=move |_| code.update(|v| v[2 * i + 1] = Some(n)) />
                                <span>{*fix}</span>
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <article class=move || format!("challenge {}", if shown() { verdict_class(challenge_right(i)) } else { "" })>
                        <h2>{i + 1} ". " {c.title}</h2>
                        <fieldset class="choice">
                            <legend>"Which line is wrong?"</legend>
                            // Long lines scroll inside this box, not the page (WCAG 1.4.10); a focusable region, so that the keyboard can scroll it.
                            <div class="code-lines" tabindex="0" role="region" aria-label=format!("Program {}, line by line", i + 1)>{lines}</div>
                        </fieldset>
                        <fieldset class="choice"><legend>"The fix"</legend><div class="fix-options">{fixes}</div></fieldset>
                        {move || shown().then(|| view! {
                            <p class="why">{if challenge_right(i) { "Right. " } else { "Not yet. " }} <Sourced text=c.explanation /> " " <a href=c.learn_more>"Learn more"</a></p>
                        })}
                    </article>
                }
            })
            .collect_view()
    };

    let label_panel = move || {
        let placed = labels.get();
        let verdicts = ex::check_labels(&placed);
        let boxes = FLOW_BOXES
            .iter()
            .enumerate()
            .map(|(i, (_, question))| {
                let y = 20 + i as i32 * 90;
                let ok = verdicts[i];
                let text = placed[i].map_or("?".to_string(), |l| FLOW_BOXES[l].0.to_string());
                view! {
                    <rect x="10" y=y width="300" height="60" rx="8" class=move || format!("flow-box {}", if shown() { verdict_class(ok) } else { "" }) />
                    <text x="160" y=y + 25 text-anchor="middle" class="flow-label">{text}</text>
                    <text x="160" y=y + 46 text-anchor="middle" class="flow-question">{*question}</text>
                    {(i + 1 < FLOW_BOXES.len()).then(|| view! { <line x1="160" y1=y + 60 x2="160" y2=y + 88 class="flow-arrow" /> })}
                }
            })
            .collect_view();
        let selects = FLOW_BOXES
            .iter()
            .enumerate()
            .map(|(i, (_, question))| {
                let id = format!("label-{i}");
                let label_for = id.clone();
                let options = LABELS_SHOWN.iter().map(|&l| view! { <option value=l.to_string() selected=move || labels.with(|v| v[i] == Some(l))>{FLOW_BOXES[l].0}</option> }).collect_view();
                view! {
                    <div class="field">
                        <label for=label_for>"Box " {i + 1} ": " {*question}</label>
                        <select id=id on:change=move |ev| { let v = event_target_value(&ev).parse().ok(); labels.update(|l| l[i] = v); }>
                            <option value="" selected=move || labels.with(|v| v[i].is_none())>"Choose a tool…"</option>
                            {options}
                        </select>
                    </div>
                }
            })
            .collect_view();
        view! {
            <div class="label-exercise">
                <svg viewBox="0 0 320 380" width="320" height="380" role="img" aria-label="The troubleshooting flowchart: four boxes in order, each to be labelled with its tool.">{boxes}</svg>
                <div class="label-selects">{selects}</div>
            </div>
        }
    };

    let panel = move || match tab.get() {
        "match" => {
            view! { <p inner_html=content::exercises::PANEL_MATCH></p> {match_panel} }.into_any()
        }
        "code" => {
            view! { <p inner_html=content::exercises::PANEL_CODE></p> {code_panel} }.into_any()
        }
        "label" => {
            view! { <p inner_html=content::exercises::PANEL_LABEL></p> {label_panel} }.into_any()
        }
        _ => view! { <p inner_html=content::exercises::PANEL_ORDER></p> {order_panel} }.into_any(),
    };

    view! {
        <Intro html=content::exercises::INTRO />
        <div role="tablist" aria-label="Exercises" class="tabs">{tabs}</div>
        <section id="exercise-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get()) class="exercise-panel">
            {panel}
            <div class="exercise-actions">
                <button type="button" on:click=check>"Check my answers"</button>
                <button type="button" class="secondary" on:click=reset>"Reset this exercise"</button>
            </div>
            <p role="status" class="announce">{move || feedback.get().map(|f| f.announcement())}</p>
        </section>
        <Results stale=Signal::derive(|| false)>
            <ResultOutput label="Right answers" name="score"
                value=Signal::derive(move || feedback.get().map(|f| f.right.to_string()).unwrap_or_default())
                text=Signal::derive(move || feedback.get().map_or_else(|| "not checked yet".to_string(), |f| f.right.to_string())) />
            <ResultOutput label="Out of" name="total" value=Signal::derive(move || answers.with(|a| a.score(tab.get()).1).to_string())
                text=Signal::derive(move || answers.with(|a| a.score(tab.get()).1).to_string()) />
        </Results>
        <Optional part=Part::Link><Prose html=with_parameters(content::exercises::LINK, [Param::Choice(&mqtt_lab_core::exercises::TAB)]) /></Optional>
    }
}
