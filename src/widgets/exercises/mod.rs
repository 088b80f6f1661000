//! `?w=exercises`: the chapter's four knowledge checks.

use crate::components::*;
use crate::url_state::{page_address, use_url};
use leptos::prelude::*;
use mqtt_lab_core::checks::Checks;
use mqtt_lab_core::exercises::{self as ex, CHALLENGES, CONCEPTS, FLOW_BOXES, ORDERINGS};
use mqtt_lab_core::xapi::Answers;

mod panels;
use panels::{Choices, CodePanel, LabelPanel, MatchPanel, OrderPanel};

/// Progress is kept in sessionStorage (answers only; nothing personal) so a
/// reload in the same tab keeps it; it is gone when the tab closes.
fn load(key: &str) -> Option<Vec<Option<usize>>> {
    let raw = window()
        .session_storage()
        .ok()??
        .get_item(&format!("mqtt-lab:{key}"))
        .ok()??;
    Some(decode(&raw))
}

/// Stored answers: a number per place, `-` for none ("2,-,0").
fn decode(raw: &str) -> Vec<Option<usize>> {
    raw.split(',').map(|p| p.parse().ok()).collect()
}

fn encode(values: &[Option<usize>]) -> String {
    values
        .iter()
        .map(|v| v.map_or("-".to_string(), |n| n.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

fn save(key: &str, values: &[Option<usize>]) {
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.set_item(&format!("mqtt-lab:{key}"), &encode(values));
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

/// The tab a key moves the focus to from tab `i` of `n` (WAI-ARIA tabs
/// pattern: the arrows wrap around, Home and End go to the ends).
fn tab_after_key(key: &str, i: usize, n: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((i + 1) % n),
        "ArrowLeft" => Some((i + n - 1) % n),
        "Home" => Some(0),
        "End" => Some(n - 1),
        _ => None,
    }
}

/// The answers on the page, each kept in sessionStorage.
#[derive(Clone, Copy)]
struct Stored {
    orders: [Choices; 2],
    matches: Choices,
    code: Choices,
    labels: Choices,
}

impl Stored {
    /// What sessionStorage holds, where it is a possible answer; else where
    /// the learner starts.
    fn load() -> Self {
        let fresh = Answers::default();
        let order = |k: usize| {
            let n = ORDERINGS[k].steps.len();
            let is_permutation =
                move |v: &[Option<usize>]| v.len() == n && (0..n).all(|i| v.contains(&Some(i)));
            let shown = fresh.orders[k].iter().copied().map(Some).collect();
            stored(["order0", "order1"][k], shown, is_permutation)
        };
        let choices = |n: usize, below: usize| {
            move |v: &[Option<usize>]| v.len() == n && v.iter().flatten().all(|&i| i < below)
        };
        // Line and fix indices share one list: the longest program bounds both.
        let longest = CHALLENGES
            .iter()
            .map(|c| c.lines.len().max(c.fixes.len()))
            .max()
            .unwrap_or(0);
        Self {
            orders: [order(0), order(1)],
            matches: stored(
                "match",
                fresh.matches.clone(),
                choices(CONCEPTS.len(), CONCEPTS.len()),
            ),
            code: stored(
                "code",
                fresh.code.clone(),
                choices(CHALLENGES.len() * 2, longest),
            ),
            labels: stored(
                "label",
                fresh.labels.clone(),
                choices(FLOW_BOXES.len(), FLOW_BOXES.len()),
            ),
        }
    }

    /// The answers as the core scores them (an unplaced step is `usize::MAX`).
    /// Tracks every signal.
    fn answers(&self) -> Answers {
        Answers {
            orders: self
                .orders
                .iter()
                .map(|o| o.with(|v| v.iter().map(|x| x.unwrap_or(usize::MAX)).collect()))
                .collect(),
            matches: self.matches.get(),
            code: self.code.get(),
            labels: self.labels.get(),
        }
    }

    /// Puts the answers of tab `slug` from `a` in place.
    fn set(&self, a: &Answers, slug: &str) {
        match slug {
            "match" => self.matches.set(a.matches.clone()),
            "code" => self.code.set(a.code.clone()),
            "label" => self.labels.set(a.labels.clone()),
            _ => {
                for (k, o) in self.orders.iter().enumerate() {
                    o.set(a.orders[k].iter().copied().map(Some).collect());
                }
            }
        }
    }
}

#[component]
pub fn Exercises() -> impl IntoView {
    let tab = use_url().choice(&ex::TAB);
    let stored = Stored::load();
    let Stored {
        orders,
        matches,
        code,
        labels,
    } = stored;
    // What was checked, per tab: the only source of scores and marks.
    let checks = RwSignal::new(Checks::default());

    let answers = Memo::new(move |_| stored.answers());
    // The active tab's feedback: its score as checked, while its answers are unchanged.
    let feedback = Memo::new(move |_| answers.with(|a| checks.with(|c| c.feedback(a, tab.get()))));
    let shown = Signal::derive(move || feedback.with(Option::is_some));
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
        stored.set(&restored, slug);
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
        // Where the learner starts.
        stored.set(&Answers::default(), tab.get());
        checks.update(|c| c.forget(tab.get_untracked()));
    };

    let panel = move || match tab.get() {
        "match" => view! {
            <p inner_html=content::exercises::PANEL_MATCH></p>
            <MatchPanel matches=matches shown=shown />
        }
        .into_any(),
        "code" => view! {
            <p inner_html=content::exercises::PANEL_CODE></p>
            <CodePanel code=code shown=shown />
        }
        .into_any(),
        "label" => view! {
            <p inner_html=content::exercises::PANEL_LABEL></p>
            <LabelPanel labels=labels shown=shown />
        }
        .into_any(),
        _ => view! {
            <p inner_html=content::exercises::PANEL_ORDER></p>
            <OrderPanel orders=orders shown=shown />
        }
        .into_any(),
    };

    view! {
        <Intro html=content::exercises::INTRO />
        <Tabs tab=tab />
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

/// The exercises' tabs: a tablist with arrow-key navigation (WAI-ARIA tabs pattern).
#[component]
fn Tabs(tab: RwSignal<&'static str>) -> impl IntoView {
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
                        if let Some(to) = tab_after_key(&ev.key(), i, ex::TAB.options.len()) {
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
    view! { <div role="tablist" aria-label="Exercises" class="tabs">{tabs}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_stored_as_numbers_with_a_dash_for_none() {
        assert_eq!(encode(&[Some(2), None, Some(0)]), "2,-,0");
        assert_eq!(decode("2,-,0"), [Some(2), None, Some(0)]);
        // Anything else that is not a number reads as no answer.
        assert_eq!(decode("1,x,"), [Some(1), None, None]);
    }

    #[test]
    fn the_arrows_move_between_the_tabs_and_wrap_around() {
        // Four tabs: 0 to 3.
        assert_eq!(tab_after_key("ArrowRight", 1, 4), Some(2));
        assert_eq!(tab_after_key("ArrowRight", 3, 4), Some(0));
        assert_eq!(tab_after_key("ArrowLeft", 0, 4), Some(3));
        assert_eq!(tab_after_key("ArrowLeft", 2, 4), Some(1));
        assert_eq!(tab_after_key("Home", 2, 4), Some(0));
        assert_eq!(tab_after_key("End", 0, 4), Some(3));
        assert_eq!(tab_after_key("Enter", 0, 4), None);
    }
}
