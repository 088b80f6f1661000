//! Renders the widgets' content files (`content/<slug>.md`, at the
//! workspace's root) at build time into [`crate::content`]: one module per
//! file, one `&str` constant per part and per short text
//! (`content::qos::EXPLAIN`, `content::tls_timeout::INTRO`). The renderer is
//! `crates/core/src/claims/content.rs`, included by path so that the build script needs
//! no dependency and the bundle no Markdown parser. How to write a content
//! file: `docs/content.md`.

#[path = "./src/claims/content.rs"]
#[allow(dead_code)]
mod content;

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
            writeln!(out, "    pub const {name}: &str = {:?};", p.html).unwrap();
        }
        writeln!(out, "}}").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("content.rs");
    std::fs::write(dest, out).unwrap();
}
