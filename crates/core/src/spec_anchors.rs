//! Where a section of the MQTT specifications starts in the OASIS standards'
//! HTML (`inspect::spec_url`): the anchor a link to §3.3.2.1 needs.
//!
//! Each document's table of contents links its entries to bookmarks
//! numbered in document order: in MQTT 5.0 (os, 7 March 2019) `_Toc3901000`
//! for 1 Introduction through `_Toc3901290` for 7.1.2; in MQTT 3.1.1 (os,
//! 29 October 2014) `_Toc398718008` for 1 Introduction through
//! `_Toc398718132` for 7.1.2. The lists below are those contents, in order.
//! 3.1.1's contents stop at the third level; its fourth-level headings keep
//! the bookmarks of an earlier draft, `_Toc385349NNN`, listed with their NNN.
//! Taken from public copies of the two documents' contents, each checked
//! against independent links (libraries' documentation naming
//! `mqtt-v5.0-os.html#_Toc3901100` for PUBLISH and the like); a section not
//! listed links to its nearest listed ancestor.

use crate::mqtt::Protocol;

const V5_CONTENTS: &str =
    "1 1.0 1.1 1.2 1.3 1.4 1.5 1.5.1 1.5.2 1.5.3 1.5.4 1.5.5 1.5.6 1.5.7 1.6 1.7 1.8 1.8.1 \
     1.8.2 2 2.1 2.1.1 2.1.2 2.1.3 2.1.4 2.2 2.2.1 2.2.2 2.2.2.1 2.2.2.2 2.3 2.4 3 3.1 3.1.1 \
     3.1.2 3.1.2.1 3.1.2.2 3.1.2.3 3.1.2.4 3.1.2.5 3.1.2.6 3.1.2.7 3.1.2.8 3.1.2.9 3.1.2.10 \
     3.1.2.11 3.1.2.11.1 3.1.2.11.2 3.1.2.11.3 3.1.2.11.4 3.1.2.11.5 3.1.2.11.6 3.1.2.11.7 \
     3.1.2.11.8 3.1.2.11.9 3.1.2.11.10 3.1.2.12 3.1.3 3.1.3.1 3.1.3.2 3.1.3.2.1 3.1.3.2.2 \
     3.1.3.2.3 3.1.3.2.4 3.1.3.2.5 3.1.3.2.6 3.1.3.2.7 3.1.3.2.8 3.1.3.3 3.1.3.4 3.1.3.5 \
     3.1.3.6 3.1.4 3.2 3.2.1 3.2.2 3.2.2.1 3.2.2.1.1 3.2.2.2 3.2.2.3 3.2.2.3.1 3.2.2.3.2 \
     3.2.2.3.3 3.2.2.3.4 3.2.2.3.5 3.2.2.3.6 3.2.2.3.7 3.2.2.3.8 3.2.2.3.9 3.2.2.3.10 \
     3.2.2.3.11 3.2.2.3.12 3.2.2.3.13 3.2.2.3.14 3.2.2.3.15 3.2.2.3.16 3.2.2.3.17 3.2.2.3.18 \
     3.2.3 3.3 3.3.1 3.3.1.1 3.3.1.2 3.3.1.3 3.3.1.4 3.3.2 3.3.2.1 3.3.2.2 3.3.2.3 3.3.2.3.1 \
     3.3.2.3.2 3.3.2.3.3 3.3.2.3.4 3.3.2.3.5 3.3.2.3.6 3.3.2.3.7 3.3.2.3.8 3.3.2.3.9 3.3.3 \
     3.3.4 3.4 3.4.1 3.4.2 3.4.2.1 3.4.2.2 3.4.2.2.1 3.4.2.2.2 3.4.2.2.3 3.4.3 3.4.4 3.5 \
     3.5.1 3.5.2 3.5.2.1 3.5.2.2 3.5.2.2.1 3.5.2.2.2 3.5.2.2.3 3.5.3 3.5.4 3.6 3.6.1 3.6.2 \
     3.6.2.1 3.6.2.2 3.6.2.2.1 3.6.2.2.2 3.6.2.2.3 3.6.3 3.6.4 3.7 3.7.1 3.7.2 3.7.2.1 \
     3.7.2.2 3.7.2.2.1 3.7.2.2.2 3.7.2.2.3 3.7.3 3.7.4 3.8 3.8.1 3.8.2 3.8.2.1 3.8.2.1.1 \
     3.8.2.1.2 3.8.2.1.3 3.8.3 3.8.3.1 3.8.4 3.9 3.9.1 3.9.2 3.9.2.1 3.9.2.1.1 3.9.2.1.2 \
     3.9.2.1.3 3.9.3 3.10 3.10.1 3.10.2 3.10.2.1 3.10.2.1.1 3.10.2.1.2 3.10.3 3.10.4 3.11 \
     3.11.1 3.11.2 3.11.2.1 3.11.2.1.1 3.11.2.1.2 3.11.2.1.3 3.11.3 3.12 3.12.1 3.12.2 3.12.3 \
     3.12.4 3.13 3.13.1 3.13.2 3.13.3 3.13.4 3.14 3.14.1 3.14.2 3.14.2.1 3.14.2.2 3.14.2.2.1 \
     3.14.2.2.2 3.14.2.2.3 3.14.2.2.4 3.14.2.2.5 3.14.3 3.14.4 3.15 3.15.1 3.15.2 3.15.2.1 \
     3.15.2.2 3.15.2.2.1 3.15.2.2.2 3.15.2.2.3 3.15.2.2.4 3.15.2.2.5 3.15.3 3.15.4 4 4.1 \
     4.1.1 4.1.2 4.2 4.3 4.3.1 4.3.2 4.3.3 4.4 4.5 4.6 4.7 4.7.1 4.7.1.1 4.7.1.2 4.7.1.3 \
     4.7.2 4.7.3 4.8 4.8.1 4.8.2 4.9 4.10 4.10.1 4.10.2 4.11 4.12 4.12.1 4.13 4.13.1 4.13.2 5 \
     5.1 5.2 5.3 5.4 5.4.1 5.4.2 5.4.3 5.4.4 5.4.5 5.4.6 5.4.7 5.4.8 5.4.9 5.4.9.1 5.4.9.2 \
     5.4.9.3 5.4.10 5.4.11 5.4.12 5.4.12.1 5.4.12.2 5.4.12.3 5.4.12.4 6 6.1 7 7.1 7.1.1 7.1.2";
const V311_CONTENTS: &str =
    "1 1.1 1.2 1.3 1.4 1.5 1.5.1 1.5.2 1.5.3 1.6 2 2.1 2.2 2.2.1 2.2.2 2.2.3 2.3 2.3.1 2.4 3 \
     3.1 3.1.1 3.1.2 3.1.3 3.1.4 3.2 3.2.1 3.2.2 3.2.3 3.3 3.3.1 3.3.2 3.3.3 3.3.4 3.3.5 3.4 \
     3.4.1 3.4.2 3.4.3 3.4.4 3.5 3.5.1 3.5.2 3.5.3 3.5.4 3.6 3.6.1 3.6.2 3.6.3 3.6.4 3.7 \
     3.7.1 3.7.2 3.7.3 3.7.4 3.8 3.8.1 3.8.2 3.8.3 3.8.4 3.9 3.9.1 3.9.2 3.9.3 3.10 3.10.1 \
     3.10.2 3.10.3 3.10.4 3.11 3.11.1 3.11.2 3.11.3 3.12 3.12.1 3.12.2 3.12.3 3.12.4 3.13 \
     3.13.1 3.13.2 3.13.3 3.14 3.14.1 3.14.2 3.14.3 3.14.4 4 4.1 4.1.1 4.2 4.3 4.3.1 4.3.2 \
     4.3.3 4.4 4.5 4.6 4.7 4.7.1 4.7.2 4.7.3 4.8 5 5.1 5.2 5.3 5.4 5.4.1 5.4.2 5.4.3 5.4.4 \
     5.4.5 5.4.6 5.4.7 5.4.8 5.4.9 5.4.10 5.4.11 6 6.1 7 7.1 7.1.1 7.1.2";
const V311_HEADINGS: &str =
    "3.1.2.1=225 3.1.2.2=227 3.1.2.3=229 3.1.2.4=231 3.1.2.5=232 3.1.2.6=233 3.1.2.7=234 \
     3.1.2.8=235 3.1.2.9=236 3.1.2.10=237 3.1.3.1=242 3.1.3.2=243 3.1.3.3=244 3.1.3.4=245 \
     3.1.3.5=246 3.2.2.1=254 3.2.2.2=255 3.2.2.3=256 3.3.1.1=262 3.3.1.2=263 3.3.1.3=265 \
     3.3.2.1=267 3.3.2.2=268 3.9.3.1=323 4.7.1.2=376 4.7.1.3=377";

/// The anchor (without `#`) of `section` (like `3.3.2.1`) in the standard
/// of `p`, or of its nearest ancestor that has one; None for a section
/// outside the document.
pub fn anchor(p: Protocol, section: &str) -> Option<String> {
    let mut s = section.trim_start_matches('§');
    loop {
        if let Some(a) = exact(p, s) {
            return Some(a);
        }
        s = &s[..s.rfind('.')?];
    }
}

fn exact(p: Protocol, s: &str) -> Option<String> {
    let nth = |list: &str| list.split(' ').position(|x| x == s);
    match p {
        Protocol::V5 => nth(V5_CONTENTS).map(|i| format!("_Toc{}", 3_901_000 + i)),
        Protocol::V311 => nth(V311_CONTENTS)
            .map(|i| format!("_Toc{}", 398_718_008 + i))
            .or_else(|| {
                V311_HEADINGS
                    .split(' ')
                    .find_map(|x| x.strip_prefix(s)?.strip_prefix('='))
                    .map(|n| format!("_Toc385349{n}"))
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anchors as libraries and brokers link them, independently of these
    /// lists: MQTT.js, mqtt-protocol-core, hivemq and others name
    /// `mqtt-v5.0-os.html#_Toc3901100` for PUBLISH and so on.
    #[test]
    fn packets_link_where_other_projects_link_them() {
        for (section, toc) in [
            ("3.2", "_Toc3901074"),
            ("3.3", "_Toc3901100"),
            ("3.4", "_Toc3901121"),
            ("3.5", "_Toc3901131"),
            ("3.9", "_Toc3901171"),
            ("3.14", "_Toc3901205"),
        ] {
            assert_eq!(
                anchor(Protocol::V5, section).as_deref(),
                Some(toc),
                "5.0 §{section}"
            );
        }
        for (section, toc) in [
            ("3.1", "_Toc398718028"),
            ("3.3", "_Toc398718037"),
            ("3.1.2.10", "_Toc385349237"),
            ("3.2.2.3", "_Toc385349256"),
        ] {
            assert_eq!(
                anchor(Protocol::V311, section).as_deref(),
                Some(toc),
                "3.1.1 §{section}"
            );
        }
    }

    #[test]
    fn the_lists_are_the_contents_in_order() {
        let v5: Vec<&str> = V5_CONTENTS.split(' ').collect();
        assert_eq!(
            v5.len(),
            291,
            "1 Introduction to 7.1.2: _Toc3901000 to _Toc3901290"
        );
        assert_eq!(
            anchor(Protocol::V5, "7.1.2").as_deref(),
            Some("_Toc3901290")
        );
        let v311: Vec<&str> = V311_CONTENTS.split(' ').collect();
        assert_eq!(
            v311.len(),
            125,
            "1 Introduction to 7.1.2: _Toc398718008 to _Toc398718132"
        );
        assert_eq!(
            anchor(Protocol::V311, "7.1.2").as_deref(),
            Some("_Toc398718132")
        );
        for list in [V5_CONTENTS, V311_CONTENTS] {
            let mut seen = std::collections::HashSet::new();
            assert!(
                list.split(' ').all(|s| seen.insert(s)),
                "a section listed twice"
            );
        }
    }

    /// Every section the codec names for a field, read from its source
    /// (`Sec("3.1.1", "5.0")`), and the property blocks' sections, has an
    /// anchor of its own in its version: no field links to an ancestor.
    #[test]
    fn every_section_the_codec_cites_has_its_own_anchor() {
        let sources = [
            include_str!("mqtt/coding.rs"),
            include_str!("mqtt/packet.rs"),
            include_str!("mqtt/connect.rs"),
            include_str!("mqtt/connack.rs"),
            include_str!("mqtt/publish.rs"),
            include_str!("mqtt/ack.rs"),
            include_str!("mqtt/subscribe.rs"),
            include_str!("mqtt/unsubscribe.rs"),
            include_str!("mqtt/disconnect.rs"),
            include_str!("mqtt/properties.rs"),
        ];
        let mut cited = 0;
        for src in sources {
            for call in src.split("Sec(\"").skip(1) {
                let Some((v311, rest)) = call.split_once('"') else {
                    continue;
                };
                let Some(v5) = rest.strip_prefix(", \"").and_then(|r| r.split_once('"')) else {
                    continue;
                };
                for (p, s) in [(Protocol::V311, v311), (Protocol::V5, v5.0)] {
                    if !s.is_empty() {
                        cited += 1;
                        assert!(exact(p, s).is_some(), "{p:?} §{s} has no anchor");
                    }
                }
            }
        }
        assert!(
            cited > 40,
            "only {cited} sections found: has the Sec syntax changed?"
        );
        // The property blocks' sections, from `Block::section`.
        let props = include_str!("mqtt/properties.rs");
        let body = props
            .split("pub fn section(self)")
            .nth(1)
            .and_then(|b| b.split("\n    }\n").next())
            .expect("Block::section");
        let sections: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        assert_eq!(sections.len(), 14, "one per context: {sections:?}");
        for s in sections {
            assert!(exact(Protocol::V5, s).is_some(), "5.0 §{s} has no anchor");
        }
    }

    #[test]
    fn a_section_without_its_own_anchor_links_its_ancestor() {
        // 3.3.2.3 of 3.1.1 is a non-normative example whose bookmark no
        // independent link confirms: the link opens 3.3.2 Variable header.
        assert_eq!(
            anchor(Protocol::V311, "3.3.2.3").as_deref(),
            Some("_Toc398718039")
        );
        assert_eq!(
            anchor(Protocol::V5, "§3.3.2.3.9").as_deref(),
            Some("_Toc3901118")
        );
        assert_eq!(
            anchor(Protocol::V5, "3.1.2.11.99").as_deref(),
            Some("_Toc3901046")
        );
        assert_eq!(anchor(Protocol::V5, "9.9"), None);
        assert_eq!(anchor(Protocol::V311, ""), None);
        // A prefix is not a match: 3.1 is not found inside 3.1.2.10=237.
        assert_eq!(
            anchor(Protocol::V311, "3.1.2.1").as_deref(),
            Some("_Toc385349225")
        );
    }
}
