//! The widget registry for the build (`scripts/build.sh`), so that
//! `crates/core/src/widgets.rs` stays the only list of widgets:
//!
//! - `registry slugs`: one slug per line (the bundles to build);
//! - `registry page < index.html`: the page with the registry written into
//!   its loader's `<script id="mqtt-lab-widgets">` element.

use mqtt_lab_core::widgets;
use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("slugs") => {
            for w in widgets::ALL {
                println!("{}", w.slug);
            }
            ExitCode::SUCCESS
        }
        Some("page") => {
            let mut page = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut page) {
                eprintln!("registry page: cannot read the page: {e}");
                return ExitCode::FAILURE;
            }
            match widgets::inject_registry(&page) {
                Ok(filled) => {
                    print!("{filled}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("registry page: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: registry slugs | registry page < index.html");
            ExitCode::FAILURE
        }
    }
}
