//! Renders the widgets' content files (`content/<slug>.md`, at the
//! workspace's root) at build time into [`crate::content`]: one module per
//! file, one `&str` constant per part and per short text
//! (`content::qos::EXPLAIN`, `content::tls_timeout::INTRO`). The renderer is
//! `crates/core/src/claims/content.rs`, included by path so that the build script needs
//! no dependency and the bundle no Markdown parser. How to write a content
//! file: `docs/content.md`.
//!
//! The claim markers (`[[id]]`) of parts and `texts` entries become their
//! source links here, from the claims table (`crates/core/src/claims/table.rs`,
//! also included by path), so that a page that shows such texts carries
//! neither the table nor the code that looks it up. `plain` entries keep their
//! markers: a page that shows one with its sources (the debugging checklist,
//! the knowledge checks) links them itself, and a snippet leaves them out.

#[path = "./src/claims/content.rs"]
#[allow(dead_code)]
mod content;
#[path = "./src/claims/table.rs"]
#[allow(dead_code)]
mod table;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not compiled in: a checkout elsewhere that shares
    // this target directory (scripts/test.sh's scaffold stage builds a copy) may
    // have compiled the script, and cargo reuses it here.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("../../content");
    // A directory: cargo looks at every file in it.
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=./src/claims/content.rs");
    println!("cargo:rerun-if-changed=./src/claims/table.rs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut out = String::new();
    for path in files {
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let md = std::fs::read_to_string(&path).unwrap();
        let parts = content::parts(&md).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        writeln!(out, "pub mod {} {{", slug.replace('-', "_")).unwrap();
        for p in parts {
            let name = p.name.replace('-', "_").to_ascii_uppercase();
            let html = match p.kind {
                content::Kind::Plain => p.html,
                content::Kind::Part | content::Kind::Text => linked(&p.html),
            };
            writeln!(out, "    pub const {name}: &str = {html:?};").unwrap();
        }
        writeln!(out, "}}").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("content.rs");
    std::fs::write(dest, out).unwrap();
}

/// `html` with each `[[id]]` of the claims table replaced by its source link,
/// as `claims::link_html` does on a page; an unknown id stays as it is (a
/// core test fails on one).
fn linked(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        let id = &rest[start + 2..start + 2 + len];
        out.push_str(&rest[..start]);
        match table::CLAIMS.iter().find(|c| c.id == id) {
            Some(c) => out.push_str(&table::anchor(c.library, c.version, c.subject, &c.source)),
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    out
}
