//! Handing the main thread back to the browser between slices of heavy work.
//!
//! `setTimeout(0)` is clamped to 4 ms once timers nest (HTML spec, timer
//! initialisation steps), which made a sliced simulation mostly waiting. A
//! message posted on a MessageChannel runs as the next task with no clamp.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Slices of work run for about this long before yielding: well under one
/// 60 Hz frame, so typing and scrolling stay smooth.
pub const SLICE_MS: f64 = 8.0;

pub struct Yielder {
    channel: Option<web_sys::MessageChannel>,
}

impl Yielder {
    pub fn new() -> Self {
        Self {
            channel: web_sys::MessageChannel::new().ok(),
        }
    }

    /// Resolves in a new task, after the browser has handled pending input.
    pub async fn yield_now(&self) {
        let Some(channel) = &self.channel else {
            gloo_timers::future::TimeoutFuture::new(0).await;
            return;
        };
        let port_in = channel.port1();
        let port_out = channel.port2();
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            port_in.set_onmessage(Some(resolve.unchecked_ref()));
            let _ = port_out.post_message(&JsValue::NULL);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        port_in.set_onmessage(None);
    }
}

thread_local! {
    // Looked up once: a flood of messages asks the time several times each.
    static PERFORMANCE: Option<web_sys::Performance> =
        web_sys::window().and_then(|w| w.performance());
}

/// Milliseconds from the page's time origin.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// Runs `step` (a small chunk of work, true when all is done) in slices of
/// about [`SLICE_MS`], yielding to the browser between slices. `report` is
/// called after each slice; a slice ends early, returning false, as soon as
/// `wanted` says the result is no longer needed (newer inputs arrived).
pub async fn run_in_slices(
    mut step: impl FnMut() -> bool,
    mut wanted: impl FnMut() -> bool,
    mut report: impl FnMut(),
) -> bool {
    let yielder = Yielder::new();
    loop {
        let start = now_ms();
        while now_ms() - start < SLICE_MS {
            if step() {
                return true;
            }
        }
        report();
        yielder.yield_now().await;
        if !wanted() {
            return false;
        }
    }
}

/// Which run of a sliced computation is the latest: starting a new run makes
/// the older ones' `is_current` checks fail, so they stop at their next slice.
#[derive(Clone, Copy)]
pub struct Latest(leptos::prelude::StoredValue<u64>);

impl Latest {
    pub fn new() -> Self {
        Self(leptos::prelude::StoredValue::new(0))
    }

    /// Starts a run; the returned check stays true until a newer run starts.
    pub fn start(self) -> impl Fn() -> bool + Copy + 'static {
        use leptos::prelude::{GetValue, UpdateValue};
        self.0.update_value(|g| *g += 1);
        let mine = self.0.get_value();
        move || self.0.get_value() == mine
    }
}
