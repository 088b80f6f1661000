//! The fleet's four strategies side by side in Web Workers (crates/fleet-worker,
//! built into `w/backoff/` beside the page's bundle): on a phone with four cores each strategy has its
//! own, on this project's two-core test machine two share them
//! (BENCHMARKS.md, "The fleet in workers"). Where workers cannot run (no
//! support, the files missing offline, a worker that failed), [`run`] says so
//! and the page runs the fleet itself, in slices.

use js_sys::{Float64Array, Function, Promise};
use mqtt_lab_core::backoff::{Jitter, Policy};
use mqtt_lab_fleet::{wire, FleetOutcome};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's script and the simulation's WebAssembly, beside the page's
/// bundle (scripts/build.sh).
const SCRIPT: &str = "w/backoff/fleet_worker.js";
const MODULE: &str = "w/backoff/fleet_sim_bg.wasm";
/// At most one worker per strategy.
const MOST: u32 = 4;

/// One worker and the replies it owes, oldest first: a worker runs its jobs in
/// the order posted, so each reply answers the oldest.
struct Lane {
    worker: Worker,
    owed: RefCell<VecDeque<Function>>,
    /// The reply to the job posted last: answered once the worker is free.
    last: RefCell<Option<Promise>>,
}

impl Lane {
    /// Runs `job` in this worker: its reply, or None if the worker failed.
    async fn call(&self, job: &[f64]) -> Option<Vec<f64>> {
        let promise = Promise::new(&mut |resolve, _| self.owed.borrow_mut().push_back(resolve));
        *self.last.borrow_mut() = Some(promise.clone());
        if self.worker.post_message(&Float64Array::from(job)).is_err() {
            self.owed.borrow_mut().pop_back();
            return None;
        }
        let reply = JsFuture::from(promise).await.ok()?;
        reply.dyn_into::<Float64Array>().ok().map(|a| a.to_vec())
    }

    /// Answers everything owed with nothing: the worker failed.
    fn fail(&self) {
        for resolve in self.owed.borrow_mut().drain(..) {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::UNDEFINED);
        }
    }
}

struct Pool {
    lanes: Vec<Rc<Lane>>,
}

thread_local! {
    static POOL: RefCell<Option<Rc<Pool>>> = const { RefCell::new(None) };
    /// A worker failed (its script or WebAssembly did not load): the page runs
    /// the fleet itself from then on.
    static BROKEN: Cell<bool> = const { Cell::new(false) };
}

fn broken() {
    BROKEN.with(|b| b.set(true));
    if let Some(pool) = POOL.with(|p| p.borrow_mut().take()) {
        for lane in &pool.lanes {
            lane.worker.terminate();
            lane.fail();
        }
    }
}

/// Asks the service worker (sw.js) to keep the worker's files, as the page's
/// loader does for its bundle: they are fetched by the worker, where the page's
/// list of what it loaded does not see them. Once is enough.
fn keep_offline() {
    thread_local!(static ASKED: Cell<bool> = const { Cell::new(false) });
    if ASKED.with(|a| a.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(ready) = window.navigator().service_worker().ready() else {
        return;
    };
    let base = window
        .document()
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let urls = js_sys::Array::new();
    for file in [SCRIPT, "w/backoff/fleet_sim.js", MODULE] {
        if let Ok(url) = web_sys::Url::new_with_base(file, &base) {
            urls.push(&url.href().into());
        }
    }
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"mqtt-lab:cache".into());
    let _ = js_sys::Reflect::set(&message, &"urls".into(), &urls);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if let Some(active) = registration.active() {
            let _ = active.post_message(&message);
        }
    });
}

/// The workers, started at the first run: one per core up to one per strategy.
fn pool() -> Option<Rc<Pool>> {
    if BROKEN.with(Cell::get) {
        return None;
    }
    if let Some(pool) = POOL.with(|p| p.borrow().clone()) {
        return Some(pool);
    }
    let cores = web_sys::window()?.navigator().hardware_concurrency();
    let n = (cores as u32).clamp(1, MOST);
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let mut lanes: Vec<Rc<Lane>> = Vec::new();
    for _ in 0..n {
        let Ok(worker) = Worker::new_with_options(SCRIPT, &options) else {
            // No module workers here: the ones started go, and the page runs the fleet.
            for lane in &lanes {
                lane.worker.terminate();
            }
            BROKEN.with(|b| b.set(true));
            return None;
        };
        let lane = Rc::new(Lane {
            worker,
            owed: RefCell::new(VecDeque::new()),
            last: RefCell::new(None),
        });
        let weak = Rc::downgrade(&lane);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if data.is_instance_of::<Float64Array>() {
                let owed = weak.upgrade().and_then(|l| l.owed.borrow_mut().pop_front());
                if let Some(resolve) = owed {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
            } else if data.as_string().is_some_and(|s| s == "ready") {
                keep_offline();
            } else if data.as_string().is_some_and(|s| s.starts_with("error")) {
                broken();
            }
        });
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|_| broken());
        lane.worker
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        lane.worker
            .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The workers live as long as the page.
        on_message.forget();
        on_error.forget();
        lanes.push(lane);
    }
    let pool = Rc::new(Pool { lanes });
    POOL.with(|p| *p.borrow_mut() = Some(pool.clone()));
    // The simulation's WebAssembly, fetched and compiled once and handed to
    // every worker (a compiled module can be posted to a dedicated worker).
    let handed = pool.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let compiled = async {
            let response = JsFuture::from(web_sys::window()?.fetch_with_str(MODULE))
                .await
                .ok()?;
            let response: web_sys::Response = response.dyn_into().ok()?;
            if !response.ok() {
                return None;
            }
            let bytes = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
            JsFuture::from(js_sys::WebAssembly::compile(&bytes))
                .await
                .ok()
        };
        match compiled.await {
            Some(module) => {
                for lane in &handed.lanes {
                    if lane.worker.post_message(&module).is_err() {
                        broken();
                    }
                }
            }
            None => broken(),
        }
    });
    Some(pool)
}

/// Runs the strategies of `order` with `policy`'s other settings, each in the
/// next free worker, in that order. `arrived()` is called as each one
/// arrives. The outcomes, or None when there are no workers; a strategy
/// left out (None) is one a failing worker did not run, or that came after
/// `wanted` turned false.
pub async fn run(
    order: &[Jitter],
    policy: Policy,
    fleet: (u32, f64, u64),
    wanted: impl Fn() -> bool + Copy + 'static,
    arrived: impl Fn() + 'static,
) -> Option<Vec<Option<FleetOutcome>>> {
    let pool = pool()?;
    // A job cannot be taken back once posted: a newer run waits for the workers
    // to finish the ones in flight (at most one each) and posts only if it is
    // still wanted, so that dragging a slider never queues up runs nobody sees.
    let busy = js_sys::Array::new();
    for lane in &pool.lanes {
        if let Some(last) = lane.last.borrow().as_ref() {
            busy.push(last);
        }
    }
    let _ = JsFuture::from(Promise::all(&busy)).await;
    if !wanted() {
        return Some(vec![None; order.len()]);
    }
    let (devices, accept_rate, seed) = fleet;
    let jobs: Rc<Vec<Vec<f64>>> = Rc::new(
        order
            .iter()
            .map(|&jitter| wire::job(&Policy { jitter, ..policy }, devices, accept_rate, seed))
            .collect(),
    );
    let outcomes = Rc::new(RefCell::new(vec![None; order.len()]));
    let next = Rc::new(Cell::new(0));
    let arrived = Rc::new(arrived);
    let lanes = js_sys::Array::new();
    for lane in &pool.lanes {
        let (lane, jobs, outcomes, next, arrived) = (
            lane.clone(),
            jobs.clone(),
            outcomes.clone(),
            next.clone(),
            arrived.clone(),
        );
        lanes.push(&future_to_promise(async move {
            while next.get() < jobs.len() && wanted() {
                let i = next.get();
                next.set(i + 1);
                let Some(outcome) = lane.call(&jobs[i]).await.and_then(|r| wire::outcome(&r))
                else {
                    break;
                };
                arrived();
                outcomes.borrow_mut()[i] = Some(outcome);
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    let _ = JsFuture::from(Promise::all(&lanes)).await;
    let outcomes = outcomes.take();
    Some(outcomes)
}
