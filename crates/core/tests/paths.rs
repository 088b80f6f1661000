//! Every path of this repository that a comment, a doc or a script names
//! exists (issue 26: `claims.rs` once sent the reader to a
//! `claims.py` in `tests/snippets/` that was never written). Paths of other
//! repositories that the claims cite (mosquitto's `src/net.c`, paho's
//! `src/paho/mqtt/client.py`) are told apart by what this repository holds:
//! its `src/` has Rust only.

use std::path::{Path, PathBuf};

/// Folders of this repository whose paths are checked.
const ROOTS: &[&str] = &[
    "crates/",
    "src/",
    "tests/",
    "scripts/",
    "docs/",
    "public/",
    "style/",
    ".ci/",
    "integrations/",
];

/// Paths that name something on purpose hypothetical (README's walk through
/// adding a widget called `sessions`), or a file of another repository that
/// the text names as such (the conformance sources in `yoch/mqttium` and
/// `vibesrc/vibemq`).
const NOT_OURS: &[&str] = &[
    "crates/core/src/sessions.rs",
    "src/widgets/sessions.rs",
    "src/bin/sessions.rs",
    "tests/e2e/sessions.test.mjs",
    "docs/spec/mqtt-v3.1.1-statements.json",
    "docs/spec/mqtt-v5.0-statements.json",
    "docs/mqtt-rfc/",
];

/// Files that are read: the docs, the sources, the scripts and the tests.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if ![
                "target",
                "node_modules",
                "dist",
                ".git",
                ".venv",
                "artifacts",
                "proptest-regressions",
            ]
            .contains(&name.as_str())
            {
                sources(&p, out);
            }
        } else if [
            ".rs", ".md", ".mjs", ".js", ".py", ".sh", ".toml", ".html", ".css",
        ]
        .iter()
        .any(|x| name.ends_with(x))
            || name == "run"
        {
            out.push(p);
        }
    }
}

/// The tokens of `text` that look like a path under one of [`ROOTS`].
fn named_paths(text: &str) -> Vec<String> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    text.split(|c: char| !is_path_char(c))
        .filter(|t| ROOTS.iter().any(|r| t.starts_with(r)))
        .map(|t| t.trim_end_matches(['.', ',', ':', '-']).to_string())
        .collect()
}

/// Whether `path` is a path this repository should hold: not a pattern, not
/// another project's file (our `src/` is Rust; a `.c` file is never ours).
fn is_ours(path: &str) -> bool {
    if path.contains("...") || path.contains('*') || path.chars().any(|c| c.is_ascii_uppercase()) {
        return false;
    }
    if path.ends_with(".c") || path.ends_with(".h") || path.ends_with(".cpp") {
        return false;
    }
    if let Some(rest) = path.strip_prefix("src/") {
        // Ours: Rust files and our folders (src/paho/... is paho's).
        let first = rest.split('/').next().unwrap_or("");
        return rest.is_empty()
            || rest.ends_with(".rs")
            || ["bin", "components", "inspector", "live", "widgets"].contains(&first);
    }
    true
}

#[test]
fn every_path_a_comment_or_doc_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    sources(&root, &mut files);
    for top in [
        "README.md",
        "BENCHMARKS.md",
        "index.html",
        "Trunk.toml",
        "Cargo.toml",
    ] {
        files.push(root.join(top));
    }
    // This file names the roots themselves.
    files.retain(|f| !f.ends_with("crates/core/tests/paths.rs"));
    assert!(files.len() > 100, "only {} files found", files.len());
    // What a run makes (tests/e2e/artifacts/) is named but not committed.
    let gitignored: Vec<String> = std::fs::read_to_string(root.join(".gitignore"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix('/'))
        .map(str::to_string)
        .collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for p in named_paths(&text) {
            let ignored = gitignored.iter().any(|g| p.starts_with(g.as_str()));
            if !is_ours(&p) || NOT_OURS.contains(&p.as_str()) || ignored {
                continue;
            }
            checked += 1;
            if !root.join(&p).exists() {
                let shown = f.strip_prefix(&root).unwrap_or(f).display().to_string();
                missing.push(format!("{shown}: {p}"));
            }
        }
    }
    assert!(checked > 200, "only {checked} paths checked");
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "paths named but not in the repository:\n{}",
        missing.join("\n")
    );
}

#[test]
fn paths_are_told_from_other_projects() {
    assert_eq!(
        named_paths("see `tests/snippets/run.py`, src/net.c and crates/core/src/qos.rs."),
        [
            "tests/snippets/run.py",
            "src/net.c",
            "crates/core/src/qos.rs"
        ]
    );
    assert!(is_ours("tests/snippets/run.py"));
    assert!(is_ours("src/widgets/qos.rs"));
    assert!(is_ours("src/widgets/"));
    assert!(!is_ours("src/net.c"));
    assert!(!is_ours("src/paho/mqtt/client.py"));
    assert!(!is_ours("src/bin/NAME.rs"));
    assert!(!is_ours("tests/e2e/*.test.mjs"));
}
