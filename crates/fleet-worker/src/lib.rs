//! The fleet simulation for a Web Worker (`worker.js` beside this crate,
//! built into `dist/w/backoff/` beside the page's bundle by scripts/build.sh): one strategy's whole
//! run, as numbers in and numbers out (`mqtt_lab_fleet::wire`).

use wasm_bindgen::prelude::*;

/// Runs one job of `mqtt_lab_fleet::wire::job`; the outcome as
/// `mqtt_lab_fleet::wire::outcome` reads it, empty for a job that is not one.
#[wasm_bindgen]
pub fn run(job: &[f64]) -> Vec<f64> {
    mqtt_lab_fleet::wire::run_job(job)
}
