//! Issue 22: the comments of every generated snippet come from the content
//! files (`<!-- plain -->` entries, docs/content.md "Snippet comments"), and
//! each that says how a library or broker behaves cites the claims it rests
//! on, which the snippet's registry entry lists, so that the snippet suite
//! (tests/snippets/run.py) checks the Oracle ones against paho and mosquitto.

use super::*;

/// Entries that say how no library or broker behaves: what the code is
/// for, a file or a command, an instruction, or a rule of the MQTT
/// specification. Each is reviewed here, by content file and key.
const NO_BEHAVIOUR: &[(&str, &str)] = &[
    ("battery", "plain-port"),
    ("battery", "sensor-driver"),
    ("battery", "loop-forever-what"),
    ("battery", "loop-what"),
    ("battery", "loop-power-down"),
    ("battery", "loop-start-what"),
    ("broker-cost", "conf-head"),
    ("broker-cost", "conf-users"),
    ("broker-cost", "conf-tls"),
    ("broker-cost", "conf-acl"),
    ("broker-cost", "client-password"),
    ("capacity", "conf-header"),
    ("capacity", "conf-tls"),
    ("capacity", "files-over-nr-open"),
    ("capacity", "files-unit"),
    ("capacity", "files-unit-then"),
    ("capacity", "files-shell"),
    ("capacity", "on-connect-fatal"),
    ("capacity", "on-connect-busy"),
    // The reason codes' names, OASIS MQTT 5.0 Table 2-6.
    ("capacity", "fatal-codes"),
    ("capacity", "busy-codes"),
    ("capacity", "monitor-alert"),
    ("capacity", "monitor-login"),
    ("live", "broker-head"),
    ("live", "broker-tcp"),
    ("live", "broker-ws"),
    ("live", "broker-anonymous"),
    ("reason-codes", "plain-port"),
    ("reason-codes", "no-retry"),
    ("reason-codes", "fix-message"),
    ("reason-codes", "fix-filter"),
    ("reason-codes", "check-filter"),
    ("reason-codes", "one-message"),
    // What the line is for: stop before the broker's next AUTH.
    ("reason-codes", "auth-stop"),
    // min(publish, subscribe): MQTT-3.8.4-8; Clean Start: MQTT-3.1.2-4.
    ("qos", "same-qos"),
    ("qos", "subscribe-in-on-connect"),
    ("qos", "session-clean"),
    ("qos", "session-expiry"),
    ("qos", "v311-instead"),
    ("snippets", "tls-port"),
    ("tls-timeout", "esp8266-fits"),
    ("tls-timeout", "esp8266-does-not-fit"),
];

/// A `plain` entry of a content file: where, its text with `{{slots}}` as
/// `*` and its lines joined, and the claims it cites.
struct Entry {
    slug: String,
    key: String,
    glob: String,
    claims: Vec<&'static str>,
}

fn plain_entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (slug, md) in content_files() {
        for p in content::parts(&md).unwrap() {
            if p.kind != content::Kind::Plain {
                continue;
            }
            let claims = segments(&p.html)
                .into_iter()
                .filter_map(|s| match s {
                    Segment::Claim(c) => Some(c.id),
                    Segment::Text(_) => None,
                })
                .collect();
            let mut glob = String::new();
            let text = crate::snippets::comment("", &p.html);
            let mut rest = text.trim_end().replace('\n', " ");
            while let Some(k) = rest.find("{{") {
                let end = rest[k..].find("}}").map_or(rest.len(), |e| k + e + 2);
                glob.push_str(&rest[..k]);
                glob.push('*');
                rest = rest[end..].to_string();
            }
            glob.push_str(&rest);
            out.push(Entry {
                slug: slug.clone(),
                key: p.name,
                glob,
                claims,
            });
        }
    }
    out
}

/// Whether `text` matches `glob`, whose `*` stands for any text.
fn glob_match(glob: &str, text: &str) -> bool {
    match glob.split_once('*') {
        None => glob == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (head.len()..=text.len())
                    .filter(|&k| text.is_char_boundary(k))
                    .any(|k| glob_match(tail, &text[k..]))
        }
    }
}

/// The entries whose texts, one after another, make up `block`.
fn cover(block: &str, entries: &[Entry]) -> Option<Vec<usize>> {
    if block.is_empty() {
        return Some(Vec::new());
    }
    for (k, e) in entries.iter().enumerate() {
        for end in (1..=block.len()).filter(|&n| {
            block.is_char_boundary(n) && (n == block.len() || block[n..].starts_with(' '))
        }) {
            if glob_match(&e.glob, &block[..end]) {
                let rest = block[end..].trim_start();
                if let Some(mut more) = cover(rest, entries) {
                    more.push(k);
                    return Some(more);
                }
            }
        }
    }
    None
}

/// The comments of a snippet, as blocks of text: a comment-only line
/// continues the comment of the line before it.
fn comment_blocks(code: &str, kind: Kind) -> Vec<String> {
    let mark = if kind == Kind::Arduino { "//" } else { "#" };
    let mut blocks: Vec<String> = Vec::new();
    let mut open = false;
    for line in code.lines() {
        let t = line.trim_start();
        let (text, alone) = if let Some(c) = t.strip_prefix(mark) {
            (Some(c.trim()), true)
        } else if let Some((_, c)) = line.split_once(&format!("  {mark} ")) {
            (Some(c.trim()), false)
        } else {
            (None, false)
        };
        match text {
            Some(c) if alone && open => {
                let b = blocks.last_mut().unwrap();
                b.push(' ');
                b.push_str(c);
            }
            Some(c) => blocks.push(c.to_string()),
            None => {}
        }
        open = text.is_some();
    }
    blocks
}

#[test]
fn every_snippet_comment_is_content_and_cites_what_its_entry_checks() {
    let entries = plain_entries();
    let t = Target::display();
    let (mut problems, mut used, mut comments) = (Vec::new(), Vec::new(), 0);
    for (e, c) in snippets::all_cases(&t) {
        for block in comment_blocks(&c.code, c.kind) {
            comments += 1;
            let Some(from) = cover(&block, &entries) else {
                problems.push(format!(
                    "{} / {}: a comment no content file holds: {block}",
                    e.id, c.name
                ));
                continue;
            };
            for k in from {
                let entry = &entries[k];
                for id in &entry.claims {
                    if !e.claims.contains(id) {
                        problems.push(format!(
                            "{}: content/{}.md {} cites [[{id}]], which the entry does not list (snippets::REGISTRY)",
                            e.id, entry.slug, entry.key
                        ));
                    }
                }
                used.push(k);
            }
        }
    }
    for (k, entry) in entries.iter().enumerate() {
        let reviewed = NO_BEHAVIOUR.contains(&(entry.slug.as_str(), entry.key.as_str()));
        if !used.contains(&k) {
            assert!(
                !reviewed,
                "{}/{}: in NO_BEHAVIOUR but in no snippet",
                entry.slug, entry.key
            );
            continue;
        }
        if entry.claims.is_empty() && !reviewed {
            problems.push(format!(
                "content/{}.md {}: a snippet comment without a claim; cite the claim it rests on, or review it into NO_BEHAVIOUR",
                entry.slug, entry.key
            ));
        }
        if !entry.claims.is_empty() && reviewed {
            problems.push(format!(
                "content/{}.md {}: cites a claim but is listed in NO_BEHAVIOUR",
                entry.slug, entry.key
            ));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(comments >= 300, "only {comments} comments read");
}

#[test]
fn the_comment_scan_finds_what_it_should() {
    let code = "# one\n# two\nx = 1  # three\n        # four\n\nmosquitto_sub -t '#' -v\n";
    assert_eq!(
        comment_blocks(code, Kind::Python),
        ["one two", "three four"]
    );
    assert_eq!(
        comment_blocks("#include <WiFi.h>\n  a();  // b\n  // c\n", Kind::Arduino),
        ["b c"]
    );
    assert!(glob_match(
        "the worst case * s, fits.",
        "the worst case 5.0 s, fits."
    ));
    assert!(!glob_match("a * b", "a b"));
    let entries = vec![
        Entry {
            slug: "s".into(),
            key: "a".into(),
            glob: "x * y.".into(),
            claims: vec![],
        },
        Entry {
            slug: "s".into(),
            key: "b".into(),
            glob: "z.".into(),
            claims: vec![],
        },
    ];
    assert_eq!(cover("x 1 y. z.", &entries), Some(vec![1, 0]));
    assert_eq!(cover("x 1 y. w.", &entries), None);
}
