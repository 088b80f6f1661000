//! What the knowledge checks show: only what the learner checked.
//!
//! A tab's score, its right and wrong marks and the statements posted to the
//! course all come from one snapshot, the answers as they stood when "Check my
//! answers" was pressed on that tab. The feedback is shown under that tab
//! only, and only while its answers are still the ones checked: a score that
//! followed each move would let a learner find the right order by trying
//! moves (issue 21), and a mark beside a changed answer would judge an answer
//! nobody checked.

use crate::exercises::TAB;
use crate::xapi::{Answers, Statement};

/// The answers checked last on each tab (`exercises::TAB` order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    checked: [Option<Answers>; TAB.options.len()],
}

/// The feedback a tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feedback {
    /// Right answers (for an ordering, steps in the right place).
    pub right: usize,
    /// Points on the tab.
    pub total: usize,
}

impl Feedback {
    /// The status line read out after checking.
    pub fn announcement(&self) -> String {
        format!("{} of {} right.", self.right, self.total)
    }
}

/// A tab's position in `TAB`; an unknown slug is the default tab, as the
/// widget shows it.
fn index(tab: &str) -> usize {
    TAB.options
        .iter()
        .position(|(slug, _)| *slug == tab)
        .unwrap_or(0)
}

/// The part of `answers` that `tab` asks about; the other tabs' answers do
/// not change what was checked on this one.
fn same_on(tab: &str, a: &Answers, b: &Answers) -> bool {
    match TAB.options[index(tab)].0 {
        "match" => a.matches == b.matches,
        "code" => a.code == b.code,
        "label" => a.labels == b.labels,
        _ => a.orders == b.orders,
    }
}

impl Checks {
    /// "Check my answers" on `tab`: keeps the answers as checked and returns
    /// the statements for the course, computed from that very snapshot.
    /// `page` is the site's page address (see [`Answers::statements`]).
    pub fn check(&mut self, answers: &Answers, tab: &str, page: &str) -> Vec<Statement> {
        let slot = &mut self.checked[index(tab)];
        slot.insert(answers.clone())
            .statements(page, TAB.options[index(tab)].0)
    }

    /// "Reset this exercise": the tab shows no feedback until checked again.
    pub fn forget(&mut self, tab: &str) {
        self.checked[index(tab)] = None;
    }

    /// The feedback `tab` shows while its answers are `current`: the score as
    /// checked, if the tab was checked and its answers have not changed
    /// since; `None` otherwise (before checking, after any change).
    pub fn feedback(&self, current: &Answers, tab: &str) -> Option<Feedback> {
        let checked = self.checked[index(tab)].as_ref()?;
        if !same_on(tab, checked, current) {
            return None;
        }
        let (right, total) = checked.score(TAB.options[index(tab)].0);
        Some(Feedback { right, total })
    }

    /// Whether `tab` shows its marks (right, wrong, why) now.
    pub fn shown(&self, current: &Answers, tab: &str) -> bool {
        self.feedback(current, tab).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::{move_item, CONCEPTS};
    use crate::xapi::COMPLETED;

    const PAGE: &str = "https://course.example/widgets/mqtt/";

    #[test]
    fn nothing_is_scored_before_checking() {
        let checks = Checks::default();
        let mut a = Answers::default();
        for tab in ["order", "match", "code", "label"] {
            assert_eq!(checks.feedback(&a, tab), None, "{tab}");
        }
        // Moving steps around shows no score either: nothing to try moves against.
        move_item(&mut a.orders[0], 1, true);
        assert_eq!(checks.feedback(&a, "order"), None);
    }

    #[test]
    fn checking_shows_the_score_of_the_answers_checked_until_they_change() {
        let mut checks = Checks::default();
        let mut a = Answers::default();
        // As first shown: 0 of 4 and 1 of 5 in place (xapi's tests).
        let statements = checks.check(&a, "order", PAGE);
        let shown = checks.feedback(&a, "order");
        assert_eq!(shown, Some(Feedback { right: 1, total: 9 }));
        assert_eq!(
            shown.map(|f| f.announcement()).as_deref(),
            Some("1 of 9 right.")
        );
        // The completed statement carries the score the page shows.
        let done = statements.last().expect("a completed statement");
        assert_eq!((done.verb, done.raw, done.max), (COMPLETED, 1, 9));

        // [2, 0, 3, 1] -> [0, 2, 3, 1]: the first step now in place, but unchecked.
        move_item(&mut a.orders[0], 1, true);
        assert_eq!(a.score("order"), (2, 9));
        assert_eq!(checks.feedback(&a, "order"), None);
        // Moved back: the answers are again exactly those checked.
        move_item(&mut a.orders[0], 1, true);
        assert_eq!(
            checks.feedback(&a, "order"),
            Some(Feedback { right: 1, total: 9 })
        );
    }

    #[test]
    fn feedback_stays_under_its_own_tab() {
        let mut checks = Checks::default();
        let mut a = Answers::default();
        a.matches[1] = Some(1);
        a.matches[7] = Some(0);
        checks.check(&a, "match", PAGE);
        assert_eq!(
            checks.feedback(&a, "match"),
            Some(Feedback { right: 1, total: 9 })
        );
        // The other tabs were not checked: nothing shown under them.
        for tab in ["order", "code", "label"] {
            assert_eq!(checks.feedback(&a, tab), None, "{tab}");
        }
        // Answers on another tab do not undo this tab's check.
        a.labels[0] = Some(0);
        assert!(checks.shown(&a, "match"));
        // Its own answers do.
        a.matches[2] = Some(2);
        assert!(!checks.shown(&a, "match"));
        assert_eq!(a.matches.len(), CONCEPTS.len());
    }

    #[test]
    fn reset_forgets_the_tab_check_even_if_the_answers_are_the_fresh_ones() {
        let mut checks = Checks::default();
        let a = Answers::default();
        checks.check(&a, "label", PAGE);
        checks.check(&a, "code", PAGE);
        checks.forget("label");
        assert_eq!(checks.feedback(&a, "label"), None);
        assert_eq!(
            checks.feedback(&a, "code"),
            Some(Feedback { right: 0, total: 7 })
        );
    }

    #[test]
    fn the_statements_are_those_of_the_snapshot_not_of_later_answers() {
        let mut checks = Checks::default();
        let a = Answers {
            labels: vec![Some(0), Some(1), Some(2), Some(0)],
            ..Answers::default()
        };
        let posted = checks.check(&a, "label", PAGE);
        assert_eq!(posted, a.statements(PAGE, "label"));
        let done = posted.last().expect("every box labelled: completed");
        assert_eq!(
            (done.raw, done.max, done.response.as_str()),
            (3, 4, "3 of 4 right")
        );
        // An unknown tab is the default one, as the widget shows it.
        let mut other = Checks::default();
        let unknown = other.check(&a, "nope", PAGE);
        assert_eq!(unknown, a.statements(PAGE, "order"));
        assert!(other.shown(&a, "order"));
    }
}
