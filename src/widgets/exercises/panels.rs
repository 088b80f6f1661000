//! The four exercises' panels, one component each: put steps in order,
//! match concepts to definitions, find the wrong line and its fix, label the
//! troubleshooting flowchart. Each shows its verdicts while `shown` (the
//! tab's answers as last checked).

use crate::components::*;
use leptos::prelude::*;
use mqtt_lab_core::exercises::{
    self as ex, CHALLENGES, CONCEPTS, FLOW_BOXES, LABELS_SHOWN, MATCH_SHOWN, ORDERINGS,
};

/// Answers as the page keeps them: a choice per place, or none yet.
pub type Choices = RwSignal<Vec<Option<usize>>>;

/// The class of an answer's element once checked.
fn verdict_class(ok: bool) -> &'static str {
    if ok {
        "right"
    } else {
        "wrong"
    }
}

/// `verdict_class` while the verdicts are shown, else none.
fn marked(shown: bool, ok: bool) -> &'static str {
    if shown {
        verdict_class(ok)
    } else {
        ""
    }
}

/// An ordering's steps as indices (a place not filled counts as step 0).
fn steps(v: &[Option<usize>]) -> Vec<usize> {
    v.iter().map(|x| x.unwrap_or(0)).collect()
}

/// What flowchart box `i` shows: the tool placed on it, or "?".
fn box_text(placed: &[Option<usize>], i: usize) -> String {
    placed[i].map_or("?".to_string(), |l| FLOW_BOXES[l].0.to_string())
}

/// The two orderings: each a list of steps to drag, or move with the buttons.
#[component]
pub fn OrderPanel(orders: [Choices; 2], shown: Signal<bool>) -> impl IntoView {
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
    move || {
        (0..ORDERINGS.len())
            .map(|k| {
                let dragging = RwSignal::new(None::<usize>);
                let list = orders[k];
                let items = move || {
                    let current: Vec<usize> = list.with(|v| steps(v));
                    let verdicts = order_verdicts(k);
                    let n = current.len();
                    current
                        .into_iter()
                        .enumerate()
                        .map(|(pos, step)| {
                            let (text, why) = ORDERINGS[k].steps[step];
                            let mv = move |up: bool| {
                                list.update(|v| {
                                    let mut idx = steps(v);
                                    ex::move_item(&mut idx, pos, up);
                                    *v = idx.into_iter().map(Some).collect();
                                });
                            };
                            let ok = verdicts[pos];
                            view! {
                                <li draggable="true" class=move || marked(shown.get(), ok)
                                    on:dragstart=move |ev: web_sys::DragEvent| {
                                        dragging.set(Some(pos));
                                        if let Some(dt) = ev.data_transfer() { let _ = dt.set_data("text/plain", &pos.to_string()); }
                                    }
                                    on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                                    on:drop=move |ev: web_sys::DragEvent| {
                                        ev.prevent_default();
                                        if let Some(from) = dragging.get() {
                                            list.update(|v| {
                                                let mut idx = steps(v);
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
                                    {move || (shown.get() && !ok).then(|| view! { <p class="why">"Not here. " {why}</p> })}
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
    }
}

/// Each concept with a list of the definitions to choose from.
#[component]
pub fn MatchPanel(matches: Choices, shown: Signal<bool>) -> impl IntoView {
    let definition_options = move || {
        MATCH_SHOWN
            .iter()
            .map(|&d| view! { <option value=d.to_string()>{CONCEPTS[d].1}</option> })
            .collect_view()
    };
    move || {
        let verdicts = matches.with(|m| ex::check_match(m));
        CONCEPTS
            .iter()
            .enumerate()
            .map(|(i, (concept, _))| {
                let id = format!("match-{i}");
                let label_for = id.clone();
                let ok = verdicts[i];
                view! {
                    <div class=move || format!("field match-row {}", marked(shown.get(), ok))>
                        <label for=label_for>{*concept}</label>
                        <select id=id on:change=move |ev| {
                            let v = event_target_value(&ev).parse().ok();
                            matches.update(|m| m[i] = v);
                        }>
                            <option value="" selected=move || matches.with(|m| m[i].is_none())>"Choose its definition…"</option>
                            {definition_options()}
                        </select>
                        {move || shown.get().then(|| view! { <span class="verdict-text">{if ok { "Right" } else { "Not this one" }}</span> })}
                    </div>
                }
            })
            .collect_view()
    }
}

/// Each program: the wrong line and the fix, chosen from lists.
#[component]
pub fn CodePanel(code: Choices, shown: Signal<bool>) -> impl IntoView {
    let challenge_right = move |i: usize| {
        code.with(|v| ex::check_challenge(&CHALLENGES[i], v[2 * i], v[2 * i + 1]) == (true, true))
    };
    move || {
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
                    <article class=move || format!("challenge {}", marked(shown.get(), challenge_right(i)))>
                        <h2>{i + 1} ". " {c.title}</h2>
                        <fieldset class="choice">
                            <legend>"Which line is wrong?"</legend>
                            // Long lines scroll inside this box, not the page (WCAG 1.4.10); a focusable region, so that the keyboard can scroll it.
                            <div class="code-lines" tabindex="0" role="region" aria-label=format!("Program {}, line by line", i + 1)>{lines}</div>
                        </fieldset>
                        <fieldset class="choice"><legend>"The fix"</legend><div class="fix-options">{fixes}</div></fieldset>
                        {move || shown.get().then(|| view! {
                            <p class="why">{if challenge_right(i) { "Right. " } else { "Not yet. " }} <Sourced text=c.explanation /> " " <a href=c.learn_more>"Learn more"</a></p>
                        })}
                    </article>
                }
            })
            .collect_view()
    }
}

/// The flowchart, with a list per box to label it with its tool.
#[component]
pub fn LabelPanel(labels: Choices, shown: Signal<bool>) -> impl IntoView {
    move || {
        let placed = labels.get();
        let verdicts = ex::check_labels(&placed);
        let boxes = FLOW_BOXES
            .iter()
            .enumerate()
            .map(|(i, (_, question))| {
                let y = 20 + i as i32 * 90;
                let ok = verdicts[i];
                let text = box_text(&placed, i);
                view! {
                    <rect x="10" y=y width="300" height="60" rx="8" class=move || format!("flow-box {}", marked(shown.get(), ok)) />
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_marked_only_while_shown() {
        assert_eq!(marked(true, true), "right");
        assert_eq!(marked(true, false), "wrong");
        assert_eq!(marked(false, true), "");
        assert_eq!(marked(false, false), "");
    }

    #[test]
    fn a_box_shows_the_tool_placed_on_it_or_a_question_mark() {
        let placed = [Some(2), None, Some(0), None];
        assert_eq!(box_text(&placed, 0), "mosquitto_sub -t '#' -v");
        assert_eq!(box_text(&placed, 1), "?");
        assert_eq!(box_text(&placed, 2), "Serial Monitor");
    }

    #[test]
    fn an_unfilled_place_in_an_ordering_counts_as_the_first_step() {
        assert_eq!(steps(&[Some(2), None, Some(1)]), [2, 0, 1]);
    }
}
