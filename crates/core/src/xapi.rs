//! Results back to the course: the knowledge checks' answers scored per item
//! and per tab, and the xAPI-shaped statements the widget posts to the page
//! that embeds it (`{type: "mqtt-lab:result", statement}`; README, page
//! contract).
//!
//! The shape follows the xAPI 1.0.3 specification (Data, §2.4): verb IRIs from
//! the ADL vocabulary, activities with cmi.interaction definitions and the
//! interaction types and response formats of §2.4.4.1 ("[,]" between the items
//! of a sequence or a choice, "[.]" between source and target of a match).
//! There is no `actor`: the widget knows nothing about the learner, and the
//! host adds who it was if it records the statement.

use crate::exercises::{self as ex, CHALLENGES, CONCEPTS, FLOW_BOXES, ORDERINGS};
use crate::format::json_string;

/// ADL verb "answered": the learner responded to a question.
pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
/// ADL verb "completed": the learner finished an activity.
pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
const ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";

/// The learner's answers on every tab, as the widget holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// Per ordering, the indices of its steps in the order the learner left them.
    pub orders: Vec<Vec<usize>>,
    /// Per concept, the index of the definition chosen.
    pub matches: Vec<Option<usize>>,
    /// Per challenge, two entries: the line picked, then the fix.
    pub code: Vec<Option<usize>>,
    /// Per flow box, the index of the tool placed on it.
    pub labels: Vec<Option<usize>>,
}

impl Default for Answers {
    /// What the learner starts from: the orderings as first shown, nothing chosen.
    fn default() -> Self {
        Self {
            orders: ORDERINGS.iter().map(|o| o.shuffled.to_vec()).collect(),
            matches: vec![None; CONCEPTS.len()],
            code: vec![None; CHALLENGES.len() * 2],
            labels: vec![None; FLOW_BOXES.len()],
        }
    }
}

/// One question of a tab, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: &'static str,
    /// xAPI interaction type.
    pub interaction: &'static str,
    pub raw: usize,
    pub max: usize,
    /// The answer in xAPI's response format; `None` while unanswered.
    pub response: Option<String>,
}

fn number_of(index: Option<usize>) -> Option<String> {
    index.map(|i| i.saturating_add(1).to_string())
}

/// Questions answered by choosing one of a list each (a definition for a
/// concept, a tool for a box), judged by `check`.
fn matching(
    names: impl Iterator<Item = &'static str>,
    answers: &[Option<usize>],
    check: fn(&[Option<usize>]) -> Vec<bool>,
) -> Vec<Item> {
    let verdicts = check(answers);
    names
        .enumerate()
        .map(|(i, name)| {
            let answer = answers.get(i).copied().flatten();
            Item {
                name,
                interaction: "matching",
                raw: usize::from(verdicts.get(i).copied().unwrap_or(false)),
                max: 1,
                response: number_of(answer).map(|c| format!("{}[.]{c}", i + 1)),
            }
        })
        .collect()
}

impl Answers {
    /// The questions of a tab (`exercises::TAB` slug), in the order shown.
    /// Indices in responses are 1-based positions in the correct order of
    /// `exercises.rs` (steps, concepts, definitions, lines, fixes, tools).
    pub fn items(&self, tab: &str) -> Vec<Item> {
        match tab {
            "match" => matching(
                CONCEPTS.iter().map(|(concept, _)| *concept),
                &self.matches,
                ex::check_match,
            ),
            "code" => CHALLENGES
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pick = |k: usize| self.code.get(k).copied().flatten();
                    let (line, fix) = (pick(2 * i), pick(2 * i + 1));
                    Item {
                        name: c.title,
                        interaction: "choice",
                        raw: usize::from(ex::check_challenge(c, line, fix) == (true, true)),
                        max: 1,
                        response: number_of(line)
                            .zip(number_of(fix))
                            .map(|(l, f)| format!("line-{l}[,]fix-{f}")),
                    }
                })
                .collect(),
            "label" => matching(
                FLOW_BOXES.iter().map(|(_, question)| *question),
                &self.labels,
                ex::check_labels,
            ),
            _ => ORDERINGS
                .iter()
                .zip(&self.orders)
                .map(|(o, answer)| Item {
                    name: o.title,
                    interaction: "sequencing",
                    raw: ex::count(&ex::check_order(o, answer)),
                    max: o.steps.len(),
                    response: Some(
                        answer
                            .iter()
                            .map(|&s| s.saturating_add(1).to_string())
                            .collect::<Vec<_>>()
                            .join("[,]"),
                    ),
                })
                .collect(),
        }
    }

    /// Puts back the answers of `tab` from the responses its statements
    /// carried (item n at index n − 1, `None` for an item not answered), as
    /// a course saved them: SCORM's `cmi.suspend_data` (`scripts/scorm.sh`)
    /// hands them back to the widget with a `mqtt-lab:restore` message. A
    /// response the tab could not have given is an error naming the item,
    /// and then nothing changes.
    pub fn restore(&mut self, tab: &str, responses: &[Option<&str>]) -> Result<(), String> {
        let count = self.items(tab).len();
        if responses.len() > count {
            return Err(format!(
                "{tab}: {} responses for {count} items",
                responses.len()
            ));
        }
        let number = |t: &str, below: usize| -> Option<usize> {
            let n: usize = t.parse().ok()?;
            (1..=below).contains(&n).then(|| n - 1)
        };
        let bad = |n: usize, r: &str| format!("{tab}: item {}: “{r}” is not an answer", n + 1);
        let mut next = self.clone();
        for (n, response) in responses.iter().enumerate() {
            let Some(r) = response else { continue };
            match tab {
                "match" | "label" => {
                    let below = if tab == "match" {
                        CONCEPTS.len()
                    } else {
                        FLOW_BOXES.len()
                    };
                    let (item, choice) = r.split_once("[.]").ok_or_else(|| bad(n, r))?;
                    let choice = number(choice, below).filter(|_| number(item, count) == Some(n));
                    let choice = choice.ok_or_else(|| bad(n, r))?;
                    let list = if tab == "match" {
                        &mut next.matches
                    } else {
                        &mut next.labels
                    };
                    list[n] = Some(choice);
                }
                "code" => {
                    let c = &CHALLENGES[n];
                    let parsed = r.split_once("[,]").and_then(|(l, f)| {
                        let line = number(l.strip_prefix("line-")?, c.lines.len())?;
                        Some((line, number(f.strip_prefix("fix-")?, c.fixes.len())?))
                    });
                    let (line, fix) = parsed.ok_or_else(|| bad(n, r))?;
                    next.code[2 * n] = Some(line);
                    next.code[2 * n + 1] = Some(fix);
                }
                _ => {
                    let steps = ORDERINGS[n].steps.len();
                    let order: Option<Vec<usize>> =
                        r.split("[,]").map(|s| number(s, steps)).collect();
                    let order = order
                        .filter(|o| o.len() == steps && (0..steps).all(|i| o.contains(&i)))
                        .ok_or_else(|| bad(n, r))?;
                    next.orders[n] = order;
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// Right answers on a tab and how many there are (the widget's `score`
    /// and `total` outputs).
    pub fn score(&self, tab: &str) -> (usize, usize) {
        self.items(tab)
            .iter()
            .fold((0, 0), |(r, m), i| (r + i.raw, m + i.max))
    }

    /// What checking the answers of `tab` reports: `answered` for each
    /// question with an answer, then `completed` for the tab once every
    /// question has one. `page` is the address of the site's page (origin and
    /// path, no query): activity ids are built from it, the widget, the tab
    /// and the item, so they are real links and unique per site.
    pub fn statements(&self, page: &str, tab: &str) -> Vec<Statement> {
        let widget_id = format!("{page}?w=exercises");
        let tab_id = format!("{widget_id}&tab={tab}");
        let tab_name = ex::TAB
            .options
            .iter()
            .find(|(slug, _)| *slug == tab)
            .map_or("Knowledge checks", |(_, label)| label);
        let items = self.items(tab);
        let mut out: Vec<Statement> = items
            .iter()
            .enumerate()
            .filter_map(|(n, item)| {
                Some(Statement {
                    verb: ANSWERED,
                    object_id: format!("{tab_id}#item-{}", n + 1),
                    name: item.name.to_string(),
                    activity_type: INTERACTION,
                    interaction: Some(item.interaction),
                    raw: item.raw,
                    max: item.max,
                    response: item.response.clone()?,
                    completion: false,
                    parent: tab_id.clone(),
                })
            })
            .collect();
        if out.len() == items.len() {
            let (raw, max) = self.score(tab);
            out.push(Statement {
                verb: COMPLETED,
                object_id: tab_id,
                name: format!("Knowledge checks: {tab_name}"),
                activity_type: ASSESSMENT,
                interaction: None,
                raw,
                max,
                response: format!("{raw} of {max} right"),
                completion: true,
                parent: widget_id,
            });
        }
        out
    }
}

/// raw ÷ max as a JSON number rounded to four decimals ("0.75", "1",
/// "0.1111"), worked out in integers: the page needs no float formatting.
fn scaled(raw: usize, max: usize) -> String {
    if max == 0 {
        return "0".to_string();
    }
    if raw >= max {
        return "1".to_string();
    }
    // Exact for any score a page holds (raw below 2^64 / 10,000).
    let (raw, max) = (raw as u64, max as u64);
    let units = raw.saturating_mul(10_000).saturating_add(max / 2) / max;
    let (whole, frac) = (units / 10_000, units % 10_000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:04}").trim_end_matches('0'))
    }
}

/// One xAPI-shaped statement, without actor (see the module's comment).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// [`ANSWERED`] or [`COMPLETED`].
    pub verb: &'static str,
    pub object_id: String,
    pub name: String,
    pub activity_type: &'static str,
    pub interaction: Option<&'static str>,
    pub raw: usize,
    pub max: usize,
    pub response: String,
    pub completion: bool,
    /// The activity this one is part of (the tab, or the widget).
    pub parent: String,
}

impl Statement {
    /// Success: every point of the question (or tab) scored.
    pub fn success(&self) -> bool {
        self.raw == self.max
    }

    /// The statement as JSON; `timestamp` is when it happened (ISO 8601, the
    /// caller's clock: the core has none).
    pub fn to_json(&self, timestamp: &str) -> String {
        let display = if self.verb == COMPLETED {
            "completed"
        } else {
            "answered"
        };
        let interaction = self
            .interaction
            .map(|t| format!(r#","interactionType":{}"#, json_string(t)))
            .unwrap_or_default();
        let completion = if self.completion {
            r#","completion":true"#
        } else {
            ""
        };
        format!(
            concat!(
                r#"{{"verb":{{"id":{},"display":{{"en-US":{}}}}},"#,
                r#""object":{{"objectType":"Activity","id":{},"definition":{{"name":{{"en-US":{}}},"type":{}{}}}}},"#,
                r#""result":{{"score":{{"raw":{},"min":0,"max":{},"scaled":{}}},"success":{}{},"response":{}}},"#,
                r#""context":{{"contextActivities":{{"parent":[{{"objectType":"Activity","id":{}}}]}}}},"#,
                r#""timestamp":{}}}"#
            ),
            json_string(self.verb),
            json_string(display),
            json_string(&self.object_id),
            json_string(&self.name),
            json_string(self.activity_type),
            interaction,
            self.raw,
            self.max,
            scaled(self.raw, self.max),
            self.success(),
            completion,
            json_string(&self.response),
            json_string(&self.parent),
            json_string(timestamp),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://course.example/widgets/mqtt/";

    fn solved() -> Answers {
        Answers {
            orders: ORDERINGS
                .iter()
                .map(|o| (0..o.steps.len()).collect())
                .collect(),
            matches: (0..CONCEPTS.len()).map(Some).collect(),
            code: CHALLENGES
                .iter()
                .flat_map(|c| [Some(c.faulty), Some(c.correct_fix)])
                .collect(),
            labels: (0..FLOW_BOXES.len()).map(Some).collect(),
        }
    }

    #[test]
    fn the_orderings_as_first_shown_score_what_the_widget_shows() {
        // Shown [2, 0, 3, 1] and [3, 1, 4, 0, 2]: only step 1 (index 1) of the
        // second ordering is in place: 0 of 4 and 1 of 5.
        let a = Answers::default();
        let items = a.items("order");
        assert_eq!((items[0].raw, items[0].max), (0, 4));
        assert_eq!((items[1].raw, items[1].max), (1, 5));
        assert_eq!(items[0].response.as_deref(), Some("3[,]1[,]4[,]2"));
        assert_eq!(items[1].response.as_deref(), Some("4[,]2[,]5[,]1[,]3"));
        assert_eq!(a.score("order"), (1, 9));
        assert_eq!(a.score("match"), (0, 9));
        assert_eq!(a.score("code"), (0, 7));
        assert_eq!(a.score("label"), (0, 4));
        assert_eq!(solved().score("order"), (9, 9));
        assert_eq!(solved().score("code"), (7, 7));
    }

    #[test]
    fn checking_the_order_tab_answers_both_orderings_and_completes_it() {
        let s = Answers::default().statements(PAGE, "order");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].verb, ANSWERED);
        assert_eq!(
            s[0].object_id,
            "https://course.example/widgets/mqtt/?w=exercises&tab=order#item-1"
        );
        assert_eq!(s[0].name, "The debugging flow");
        assert_eq!(s[2].verb, COMPLETED);
        assert_eq!(
            s[2].object_id,
            "https://course.example/widgets/mqtt/?w=exercises&tab=order"
        );
        assert_eq!((s[2].raw, s[2].max, s[2].success()), (1, 9, false));
        assert_eq!(
            s[1].to_json("2026-01-02T03:04:05.000Z"),
            concat!(
                r#"{"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}},"#,
                r#""object":{"objectType":"Activity","id":"https://course.example/widgets/mqtt/?w=exercises\u0026tab=order#item-2","#,
                r#""definition":{"name":{"en-US":"Setting up a secure broker"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction","interactionType":"sequencing"}},"#,
                r#""result":{"score":{"raw":1,"min":0,"max":5,"scaled":0.2},"success":false,"response":"4[,]2[,]5[,]1[,]3"},"#,
                r#""context":{"contextActivities":{"parent":[{"objectType":"Activity","id":"https://course.example/widgets/mqtt/?w=exercises\u0026tab=order"}]}},"#,
                r#""timestamp":"2026-01-02T03:04:05.000Z"}"#
            )
        );
        assert_eq!(
            s[2].to_json("t"),
            concat!(
                r#"{"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},"#,
                r#""object":{"objectType":"Activity","id":"https://course.example/widgets/mqtt/?w=exercises\u0026tab=order","#,
                r#""definition":{"name":{"en-US":"Knowledge checks: Order the steps"},"type":"http://adlnet.gov/expapi/activities/assessment"}},"#,
                r#""result":{"score":{"raw":1,"min":0,"max":9,"scaled":0.1111},"success":false,"completion":true,"response":"1 of 9 right"},"#,
                r#""context":{"contextActivities":{"parent":[{"objectType":"Activity","id":"https://course.example/widgets/mqtt/?w=exercises"}]}},"#,
                r#""timestamp":"t"}"#
            )
        );
    }

    #[test]
    fn scaled_scores_to_four_decimals() {
        let cases = [
            (0, 4, "0"),
            (1, 4, "0.25"),
            (3, 4, "0.75"),
            (4, 4, "1"),
            (1, 9, "0.1111"),
        ];
        for (raw, max, want) in cases {
            assert_eq!(scaled(raw, max), want);
        }
        assert_eq!(scaled(2, 3), "0.6667");
        assert_eq!(scaled(1, 0), "0");
        assert_eq!(scaled(usize::MAX, usize::MAX), "1");
    }

    #[test]
    fn answers_of_the_wrong_length_are_unanswered_questions_not_a_panic() {
        let short = Answers {
            orders: vec![vec![]],
            matches: vec![Some(0)],
            code: vec![],
            labels: vec![Some(usize::MAX); 9],
        };
        assert_eq!(short.score("order"), (0, 4));
        assert_eq!(short.score("match"), (1, 9));
        assert_eq!(short.statements(PAGE, "match").len(), 1);
        assert!(short.statements(PAGE, "code").is_empty());
        let labels = short.statements(PAGE, "label");
        assert_eq!(labels[0].response, "1[.]18446744073709551615");
        assert_eq!(labels.len(), 5);
    }

    #[test]
    fn restoring_the_responses_gives_back_the_answers() {
        let mut partial = Answers::default();
        partial.matches[2] = Some(5);
        partial.code[6] = Some(1);
        partial.code[7] = Some(0);
        partial.code[8] = Some(2); // a line without a fix: not answered, not restored
        partial.labels[3] = Some(0);
        for a in [solved(), Answers::default(), partial.clone()] {
            for tab in ["order", "match", "code", "label"] {
                let responses: Vec<Option<String>> =
                    a.items(tab).into_iter().map(|i| i.response).collect();
                let refs: Vec<Option<&str>> = responses.iter().map(|r| r.as_deref()).collect();
                let mut back = Answers::default();
                back.restore(tab, &refs).unwrap();
                assert_eq!(back.items(tab), a.items(tab), "{tab}");
                assert_eq!(back.score(tab), a.score(tab), "{tab}");
            }
        }
        let mut back = Answers::default();
        back.restore("code", &[None, None, None, Some("line-2[,]fix-1")])
            .unwrap();
        assert_eq!((back.code[6], back.code[7]), (Some(1), Some(0)));
    }

    #[test]
    fn a_response_the_tab_could_not_give_changes_nothing() {
        let mut a = Answers::default();
        let before = a.clone();
        for (tab, responses) in [
            ("order", vec![Some("1[,]2[,]3")]),            // a step missing
            ("order", vec![Some("1[,]1[,]2[,]3")]),        // twice
            ("match", vec![Some("1[.]10")]),               // no tenth definition
            ("match", vec![Some("1[.]2"), Some("1[.]3")]), // item 2 says item 1
            ("code", vec![Some("line-99[,]fix-1")]),
            ("label", vec![Some("1[.]1"), None, None, None, None]), // five for four
            ("label", vec![Some("x")]),
        ] {
            assert!(a.restore(tab, &responses).is_err(), "{tab} {responses:?}");
            assert_eq!(a, before);
        }
        assert_eq!(
            a.restore("match", &[Some("1[.]2"), Some("1[.]3")]),
            Err("match: item 2: “1[.]3” is not an answer".to_string())
        );
    }

    #[test]
    fn only_answered_questions_are_reported_and_completion_waits_for_all() {
        let mut a = Answers::default();
        a.matches[1] = Some(1); // Broker: right
        a.matches[2] = Some(0); // Topic: wrong
        let s = a.statements(PAGE, "match");
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|x| x.verb == ANSWERED));
        assert_eq!((s[0].name.as_str(), s[0].success()), ("Broker", true));
        assert_eq!(s[0].object_id.rsplit('#').next(), Some("item-2"));
        assert_eq!(s[0].response, "2[.]2");
        assert_eq!((s[1].response.as_str(), s[1].success()), ("3[.]1", false));
        // A challenge with a line but no fix is not answered yet.
        a.code[0] = Some(5);
        assert!(a.statements(PAGE, "code").is_empty());
        a.code[1] = Some(0);
        let s = a.statements(PAGE, "code");
        assert_eq!((s.len(), s[0].response.as_str()), (1, "line-6[,]fix-1"));
        assert!(s[0].success());
        // Everything answered and right: a completed statement with full marks.
        let s = solved().statements(PAGE, "label");
        assert_eq!(s.len(), 5);
        let done = &s[4];
        assert_eq!((done.verb, done.raw, done.max), (COMPLETED, 4, 4));
        assert!(done.success() && done.completion);
        assert!(done
            .to_json("t")
            .contains(r#""scaled":1},"success":true,"completion":true"#));
    }
}
