//! Renders the widgets' content files (`content/<slug>.md`) to HTML at build
//! time: one module per file, one `&str` constant per part
//! (`content::qos::EXPLAIN`), included by `src/components/prose.rs`. The
//! renderer is the core's (`crates/core/src/claims/content.rs`, included by
//! path so that the build script needs no dependency and the bundle no
//! Markdown parser). How to write a content file: `docs/content.md`.

#[path = "crates/core/src/claims/content.rs"]
#[allow(dead_code)]
mod content;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=crates/core/src/claims/content.rs");
    let mut files: Vec<_> = std::fs::read_dir("content")
        .expect("content/")
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
        // A part the widget does not show yet costs nothing (constants
        // are not linked unless used), so no warning for it.
        writeln!(out, "#[allow(dead_code)]").unwrap();
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
