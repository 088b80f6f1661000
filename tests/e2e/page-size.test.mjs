// Issue 24's budget: no page over 150 KB brotli before it is usable. What a page
// loads first is index.html, main.css, its bundle's script and wasm (and, for a
// split bundle, __wasm_split.js); its chunks come after the first paint. Read from
// the build's own NAME.br files (brotli 11, what a host that serves them sends)
// in dist/, the figures `scripts/bench.sh --sizes` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIST = new URL('../../dist', import.meta.url).pathname;
const BUDGET = 150_000;
const br = (path) => statSync(`${path}.br`).size;

test('every page\'s first load is within 150 KB brotli', { skip: !existsSync(join(DIST, 'w')) && 'no dist/: build first' }, () => {
  const shell = br(join(DIST, 'index.html')) + br(join(DIST, 'main.css'));
  const pages = readdirSync(join(DIST, 'w')).map((bin) => {
    const dir = join(DIST, 'w', bin);
    const split = existsSync(join(dir, '__wasm_split.js')) ? br(join(dir, '__wasm_split.js')) : 0;
    return [bin, shell + br(join(dir, `${bin}_bg.wasm`)) + br(join(dir, `${bin}.js`)) + split];
  });
  assert.ok(pages.length >= 12, `the gallery and every widget: ${pages.map(([b]) => b)}`);
  const over = pages.filter(([, bytes]) => bytes > BUDGET);
  assert.deepEqual(over, [], `over ${BUDGET} B brotli before the page is usable`);
  console.log(`# ${pages.map(([b, bytes]) => `${b} ${bytes}`).join(', ')}`);
});
