// MQTT Lab's fleet worker (crates/fleet-worker). The backoff page compiles the
// WebAssembly once for all its workers and posts it first; then one strategy's
// job at a time, a Float64Array, answered the same way (crates/fleet/src/wire.rs).
// It says "ready" once it has instantiated the module, or why it could not, so
// that the page can run the fleet itself instead. Jobs that come before the
// module wait for it, in order.
import init, { run } from './fleet_sim.js';

let moduleIn;
const ready = new Promise((resolve) => { moduleIn = resolve; })
  .then((module) => init({ module_or_path: module }))
  .then(() => { postMessage('ready'); return true; }, (e) => { postMessage(`error: ${e}`); return false; });

onmessage = async ({ data }) => {
  if (data instanceof WebAssembly.Module) {
    moduleIn(data);
    return;
  }
  if (!(await ready)) return;
  let out;
  try {
    out = run(data);
  } catch (e) {
    // A trap (out of memory on a small phone): the page lets the workers go and runs
    // the fleet itself; an unanswered job would leave it waiting for good.
    postMessage(`error: ${e}`);
    return;
  }
  postMessage(out, [out.buffer]);
};
