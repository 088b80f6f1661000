//! The topics a live session received, as a tree: messages counted per
//! topic and per branch, retained messages marked, and the topics a
//! subscription filter would match highlighted (§4.7, `mqtt::topic`).
//! Bounded: a flood of distinct topics stops adding new ones and counts
//! them as not shown.

use crate::mqtt::topic;
use std::collections::BTreeMap;

/// Topics kept at most; beyond, messages to new topics are only counted.
pub const MAX_TOPICS: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    /// Messages to exactly this topic.
    own: u64,
    retained: bool,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn total(&self) -> u64 {
        self.own + self.children.values().map(Node::total).sum::<u64>()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicTree {
    root: Node,
    topics: usize,
    /// Messages to topics that arrived after the bound was reached.
    pub unshown: u64,
}

/// One line of the tree as shown: a level, with its depth and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// The full topic of this node ("sensors/t1"); a key for the view.
    pub path: String,
    /// The level's own name ("t1"; "" for an empty level).
    pub level: String,
    pub depth: usize,
    /// Messages to this exact topic.
    pub own: u64,
    /// Messages to this topic and every topic below it.
    pub total: u64,
    /// The last message to this exact topic was retained.
    pub retained: bool,
    /// A message was sent to this exact topic (not only to topics below).
    pub is_topic: bool,
    /// The filter matches this exact topic.
    pub matched: bool,
}

impl TopicTree {
    /// Counts one message to `name`.
    pub fn add(&mut self, name: &str, retained: bool) {
        let known = Self::find(&self.root, name).is_some_and(|n| n.own > 0);
        if !known && self.topics >= MAX_TOPICS {
            self.unshown += 1;
            return;
        }
        let mut node = &mut self.root;
        for level in name.split('/') {
            node = node.children.entry(level.to_string()).or_default();
        }
        if node.own == 0 {
            self.topics += 1;
        }
        node.own += 1;
        node.retained = retained;
    }

    fn find<'a>(root: &'a Node, name: &str) -> Option<&'a Node> {
        name.split('/')
            .try_fold(root, |n, level| n.children.get(level))
    }

    pub fn topics(&self) -> usize {
        self.topics
    }

    /// The tree in depth-first order, with `filter`'s matches marked (an
    /// empty or invalid filter matches nothing).
    pub fn rows(&self, filter: &str) -> Vec<TreeRow> {
        let filter = filter.trim();
        let valid = !filter.is_empty() && topic::check_filter(filter).is_ok();
        let mut out = Vec::new();
        fn walk(n: &Node, path: &str, depth: usize, filter: Option<&str>, out: &mut Vec<TreeRow>) {
            for (level, child) in &n.children {
                let p = if depth == 0 {
                    level.clone()
                } else {
                    format!("{path}/{level}")
                };
                out.push(TreeRow {
                    path: p.clone(),
                    level: level.clone(),
                    depth,
                    own: child.own,
                    total: child.total(),
                    retained: child.retained,
                    is_topic: child.own > 0,
                    matched: child.own > 0 && filter.is_some_and(|f| topic::matches(f, &p)),
                });
                walk(child, &p, depth + 1, filter, out);
            }
        }
        walk(&self.root, "", 0, valid.then_some(filter), &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_topic_and_branch_with_retained_marked() {
        let mut t = TopicTree::default();
        t.add("sensors/t1", false);
        t.add("sensors/t1", false);
        t.add("sensors/t2", true);
        t.add("sensors", false);
        t.add("$SYS/broker/clients/connected", false);
        let rows = t.rows("");
        let shown: Vec<(&str, usize, u64, u64, bool)> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.depth, r.own, r.total, r.retained))
            .collect();
        assert_eq!(
            shown,
            [
                ("$SYS", 0, 0, 1, false),
                ("$SYS/broker", 1, 0, 1, false),
                ("$SYS/broker/clients", 2, 0, 1, false),
                ("$SYS/broker/clients/connected", 3, 1, 1, false),
                ("sensors", 0, 1, 4, false),
                ("sensors/t1", 1, 2, 2, false),
                ("sensors/t2", 1, 1, 1, true),
            ]
        );
        assert_eq!(t.topics(), 4);
    }

    #[test]
    fn a_filter_highlights_what_it_matches_with_the_rules_of_4_7() {
        let mut t = TopicTree::default();
        for name in [
            "sport/tennis/player1",
            "sport/tennis/player1/ranking",
            "sport",
            "$SYS/monitor/Clients",
        ] {
            t.add(name, false);
        }
        let matched = |f: &str| -> Vec<String> {
            t.rows(f)
                .into_iter()
                .filter(|r| r.matched)
                .map(|r| r.path)
                .collect()
        };
        assert_eq!(
            matched("sport/tennis/player1/#"),
            ["sport/tennis/player1", "sport/tennis/player1/ranking"]
        );
        assert_eq!(
            matched("sport/#"),
            [
                "sport",
                "sport/tennis/player1",
                "sport/tennis/player1/ranking"
            ]
        );
        // A leading wildcard does not match $-topics (§4.7.2).
        assert_eq!(
            matched("#"),
            [
                "sport",
                "sport/tennis/player1",
                "sport/tennis/player1/ranking"
            ]
        );
        assert_eq!(matched("+/monitor/Clients"), Vec::<String>::new());
        assert_eq!(matched("$SYS/monitor/+"), ["$SYS/monitor/Clients"]);
        // Invalid filters match nothing.
        assert_eq!(matched("sport+"), Vec::<String>::new());
    }

    #[test]
    fn a_flood_of_new_topics_is_bounded() {
        let mut t = TopicTree::default();
        for i in 0..(MAX_TOPICS + 10) {
            t.add(&format!("flood/{i}"), false);
        }
        t.add("flood/0", false);
        assert_eq!((t.topics(), t.unshown), (MAX_TOPICS, 10));
        assert_eq!(t.rows("").len(), MAX_TOPICS + 1);
    }
}
