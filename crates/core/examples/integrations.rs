//! Writes the widgets' parameters for the course tools (issue 25):
//! `integrations/quarto/_extensions/mqtt-lab/widgets.json`, read by the Quarto
//! extension, the pandoc filter and `scripts/scorm.sh`. A core test fails
//! while the committed file differs from what this writes.
//!
//!     cargo run -p mqtt-lab-core --example integrations          # writes the file
//!     cargo run -p mqtt-lab-core --example integrations -- -     # prints it

use mqtt_lab_core::integrations::{params_json, PARAMS_JSON_PATH};
use std::process::ExitCode;

fn main() -> ExitCode {
    let json = params_json();
    if std::env::args().nth(1).as_deref() == Some("-") {
        print!("{json}");
        return ExitCode::SUCCESS;
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(PARAMS_JSON_PATH);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&path, json) {
        Ok(()) => {
            println!("wrote {PARAMS_JSON_PATH}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("integrations: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
