//! The conformance matrix: every normative statement of MQTT 3.1.1 and 5.0
//! (`v311.tsv`, `v5.tsv`, sources in README.md), each marked with the tests
//! that cover it, why it does not apply to this client, or `todo`.
//!
//! A status is `covered: T; T…` where each T is `rust:FN` (a `#[test]` fn in
//! this crate), `e2e:FILE:TITLE` (a browser test in tests/e2e/FILE whose title
//! starts with TITLE) or `diff:FILE` (a harness in tests/diff/); or
//! `na: REASON`. The tests below check that every named test exists, that
//! every statement that binds a client is decided, that every tag the codec
//! cites exists in its version, and that the rendered table is current.

pub const V311: &str = include_str!("v311.tsv");
pub const V5: &str = include_str!("v5.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub tag: &'a str,
    pub section: &'a str,
    pub binds: &'a str,
    pub status: &'a str,
    pub text: &'a str,
}

/// The statements of one version's table, in order.
pub fn statements(table: &str) -> Vec<Statement<'_>> {
    table
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.splitn(5, '\t');
            Some(Statement {
                tag: f.next()?,
                section: f.next()?,
                binds: f.next()?,
                status: f.next()?,
                text: f.next()?,
            })
        })
        .collect()
}

/// Covered, not applicable, and not yet decided, counting only statements
/// that bind a client (client, both, transport).
pub fn totals(table: &str) -> (usize, usize, usize) {
    let mut t = (0, 0, 0);
    for s in statements(table).iter().filter(|s| s.binds != "server") {
        if s.status.starts_with("covered:") {
            t.0 += 1;
        } else if s.status.starts_with("na:") {
            t.1 += 1;
        } else {
            t.2 += 1;
        }
    }
    t
}

/// The matrix as a Markdown page (docs/conformance.md).
pub fn render() -> String {
    let mut out = String::from(
        "# MQTT conformance of the live client\n\n\
         Generated from `crates/core/src/mqtt/conformance/` by `UPDATE_CONFORMANCE=1 cargo test -p mqtt-lab-core conformance`; \
         a test fails when this page is out of date. Every normative statement (`[MQTT-x.y.z-n]`) of MQTT 3.1.1 (Plus Errata 01) \
         and MQTT 5.0 that binds a client is covered by the tests named, or says why it does not apply. Statements that bind \
         only the server are counted, not listed. Sources of the statements: the README beside the data.\n\n",
    );
    for (name, table) in [("MQTT 3.1.1", V311), ("MQTT 5.0", V5)] {
        let (covered, na, todo) = totals(table);
        let server = statements(table)
            .iter()
            .filter(|s| s.binds == "server")
            .count();
        out.push_str(&format!(
            "## {name}\n\nBinding a client: {covered} covered, {na} not applicable, {todo} not yet. Binding only the server: {server}.\n\n\
             | tag | section | binds | status | statement |\n| --- | --- | --- | --- | --- |\n"
        ));
        for s in statements(table).iter().filter(|s| s.binds != "server") {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                s.tag,
                s.section,
                s.binds,
                s.status.replace('|', "\\|"),
                s.text.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn rust_sources(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                rust_sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }

    /// Whether `fn name(` in `src` is a test: `#[test]` within the lines above.
    fn is_test(src: &str, name: &str) -> bool {
        let needle = format!("fn {name}(");
        src.match_indices(&needle).any(|(i, _)| {
            let before = &src[..i];
            let last_lines: Vec<&str> = before.lines().rev().take(4).collect();
            last_lines.iter().any(|l| l.trim() == "#[test]")
        })
    }

    #[test]
    fn every_covered_statement_names_tests_that_exist() {
        let mut src = String::new();
        rust_sources(&root().join("crates/core/src"), &mut src);
        let mut missing = Vec::new();
        for (version, table) in [("3.1.1", V311), ("5.0", V5)] {
            for s in statements(table) {
                let Some(list) = s.status.strip_prefix("covered:") else {
                    continue;
                };
                for t in list.split(';').map(str::trim) {
                    let ok = if let Some(name) = t.strip_prefix("rust:") {
                        is_test(&src, name)
                    } else if let Some(rest) = t.strip_prefix("e2e:") {
                        rest.split_once(':').is_some_and(|(file, title)| {
                            std::fs::read_to_string(root().join("tests/e2e").join(file)).is_ok_and(
                                |f| {
                                    f.contains(&format!("test('{title}"))
                                        || f.contains(&format!("test(\"{title}"))
                                },
                            )
                        })
                    } else if let Some(file) = t.strip_prefix("diff:") {
                        root().join("tests/diff").join(file).is_file()
                    } else {
                        false
                    };
                    if !ok {
                        missing.push(format!("{version} {}: {t}", s.tag));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "named tests that do not exist:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_statement_that_binds_a_client_is_decided() {
        for (version, table) in [("3.1.1", V311), ("5.0", V5)] {
            let open: Vec<&str> = statements(table)
                .into_iter()
                .filter(|s| {
                    s.binds != "server"
                        && !s.status.starts_with("covered:")
                        && !s.status.starts_with("na:")
                })
                .map(|s| s.tag)
                .collect();
            assert!(
                open.is_empty(),
                "{version}: not yet covered or reasoned out: {open:?}"
            );
        }
    }

    #[test]
    fn the_tables_are_well_formed_and_tags_unique() {
        for table in [V311, V5] {
            let all = statements(table);
            assert_eq!(
                all.len(),
                table
                    .lines()
                    .skip(1)
                    .filter(|l| !l.trim().is_empty())
                    .count()
            );
            let mut tags: Vec<&str> = all.iter().map(|s| s.tag).collect();
            tags.sort_unstable();
            let n = tags.len();
            tags.dedup();
            assert_eq!(tags.len(), n, "duplicate tags");
            for s in &all {
                assert!(
                    ["client", "server", "both", "transport"].contains(&s.binds),
                    "{}",
                    s.tag
                );
                assert!(s.tag.starts_with("MQTT-"), "{}", s.tag);
            }
        }
        assert_eq!((statements(V311).len(), statements(V5).len()), (140, 251));
    }

    #[test]
    fn every_tag_the_codec_cites_exists_in_its_version() {
        let mut src = String::new();
        rust_sources(&root().join("crates/core/src/mqtt"), &mut src);
        let known = |table: &str, tag: &str| statements(table).iter().any(|s| s.tag == tag);
        let tag_in = |s: &str| -> Option<String> {
            let start = s.find("[MQTT-")?;
            let end = s[start..].find(']')?;
            Some(s[start + 1..start + end].to_string())
        };
        let mut wrong = Vec::new();
        for line in src.lines() {
            let l = line.trim();
            let (tables, rest): (&[&str], &str) = if let Some(r) = l.strip_prefix("v311: ") {
                (&[V311], r)
            } else if let Some(r) = l.strip_prefix("v5: ") {
                (&[V5], r)
            } else if let Some(i) = l.find("Rule::both(\"[MQTT-") {
                (&[V311, V5], &l[i..])
            } else {
                continue;
            };
            if let Some(tag) = tag_in(rest) {
                for t in tables {
                    if !known(t, &tag) {
                        wrong.push(format!("{tag} in: {l}"));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "tags cited for a version that has no such tag:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn the_rendered_matrix_is_current() {
        let path = root().join("docs/conformance.md");
        let now = render();
        if std::env::var_os("UPDATE_CONFORMANCE").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &now).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == now, "docs/conformance.md is out of date: run UPDATE_CONFORMANCE=1 cargo test -p mqtt-lab-core conformance");
    }
}
