// What the built bundles link, read from the names cargo leaves in
// target/wasm32-unknown-unknown/release/<bin>.wasm (the input of wasm-bindgen and
// wasm-opt, which keep no names in dist/).
//
// Rust's float formatting (`{}` or `{:.1}` of an f64) is about 11 KB of raw code and
// 7 KB of brotli on a page (issue 24, BENCHMARKS.md): numbers are written by
// mqtt_lab_core::format with integer arithmetic and the charts' canvas backend
// (src/components/canvas.rs) writes its colours and font sizes the same way. One
// `format!("{}", x)` of a float anywhere in a page's code links it all again; this
// test names the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const TARGET = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'wasm32-unknown-unknown/release');
const BINS = readdirSync(join(ROOT, 'src/bin')).filter((f) => f.endsWith('.rs')).map((f) => f.slice(0, -3));

// The float formatting functions of core::fmt::float, in the v0 and the legacy mangling.
const FLOAT_FMT = [Buffer.from('4core3fmt5float'), Buffer.from('core..fmt..float')];

test('no page links Rust\'s float formatting', { skip: !existsSync(TARGET) && `no ${TARGET}: build first (scripts/build.sh)` }, () => {
  const built = BINS.filter((b) => existsSync(join(TARGET, `${b}.wasm`)));
  assert.ok(built.length > 0, `no bundle built in ${TARGET}`);
  const wasm = new Map(built.map((b) => [b, readFileSync(join(TARGET, `${b}.wasm`))]));
  const linking = built.filter((b) => FLOAT_FMT.some((name) => wasm.get(b).includes(name)));
  assert.deepEqual(linking, [], `these pages link core::fmt::float: a float is formatted with {} or {:.N} somewhere in their code (find it with wasm-dis and the name of <f64 as Display>::fmt in the elem segment)`);
  // The names are there to be read: a bundle without a name section would pass unseen.
  const named = built.filter((b) => wasm.get(b).includes(Buffer.from('mqtt_lab')));
  assert.deepEqual(named, built);
  console.log(`# ${built.length} bundles checked, built ${new Date(Math.max(...built.map((b) => statSync(join(TARGET, `${b}.wasm`)).mtimeMs))).toISOString()}`);
});
