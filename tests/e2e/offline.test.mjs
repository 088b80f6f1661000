// Offline after the first visit (sw.js): a copy of the build is served by a
// static server of this test's own, under /widgets/mqtt/; a page is loaded,
// the server is stopped, and the page must still work. Then a new build is
// deployed and must replace the old one's cache.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

let browser;
let server;
let site;
after(async () => {
  server?.kill();
  await browser?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

async function freePort() {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  return port;
}

async function serve(port) {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/widgets/mqtt/`);
      return child;
    } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error('the static server did not start');
}

async function stop(child) {
  child.kill();
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

/** Polls `f` in the page until it returns true. */
async function until(page, f, arg) {
  for (let i = 0; i < 150; i++) {
    if (await page.evaluate(f, arg)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`never true: ${f}`);
}

const cached = async (paths) => {
  for (const p of paths) if (!(await caches.match(new URL(p, document.baseURI).href))) return false;
  return true;
};

test('after one visit the widget works with the server stopped; a new build replaces the old cache', async () => {
  site = await mkdtemp(join(tmpdir(), 'mqtt-lab-offline-'));
  await cp(DIST, join(site, 'widgets', 'mqtt'), { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/widgets/mqtt/`;
  server = await serve(port);

  browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}?w=capacity&devices=500`);
  await page.waitForSelector('output[name="required-connections"][data-value="616"]');
  // The worker holds the shell and, although it started after they loaded, this page's bundle.
  await until(page, cached, ['./', 'main.css', 'w/gallery/gallery_bg.wasm', 'w/capacity/capacity.js', 'w/capacity/capacity_bg.wasm']);
  // Another origin's files (here the same server as "localhost") are never kept.
  const foreign = `http://localhost:${port}/widgets/mqtt/main.css`;
  await page.evaluate((url) => fetch(url, { mode: 'no-cors' }), foreign);
  assert.equal(await page.evaluate(async (url) => !!(await caches.match(url)), foreign), false);

  await stop(server);
  server = undefined;
  await assert.rejects(fetch(base));
  await page.reload();
  await page.waitForSelector('output[name="required-connections"][data-value="616"]');
  await page.getByLabel('Devices', { exact: true }).fill('1000');
  await page.waitForSelector('output[name="required-connections"][data-value="1216"]');
  // The gallery is part of the shell; a widget never visited says it cannot load.
  await page.goto(base);
  await page.waitForSelector('.gallery .card');
  await page.goto(`${base}?w=qos`);
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.locator('[role="alert"]').innerText(), /could not load.*Check your connection/);

  // A new build: the worker's build id changes. The next visit installs it, and
  // it keeps only its own cache.
  const sw = join(site, 'widgets', 'mqtt', 'sw.js');
  const source = await readFile(sw, 'utf8');
  const old = source.match(/const BUILD = '([^']+)'/)[1];
  await writeFile(sw, source.replace(`const BUILD = '${old}'`, "const BUILD = 'next-build'"));
  server = await serve(port);
  await page.goto(`${base}?w=capacity`);
  await page.waitForSelector('output[name="required-connections"]');
  await until(page, async () => {
    const keys = await caches.keys();
    return keys.length === 1 && keys[0].endsWith(' next-build');
  });
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`mqtt-lab ${base} next-build`]);
  await until(page, cached, ['./', 'main.css', 'w/capacity/capacity_bg.wasm']);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

/**
 * Runs `body({ base, page, stop, pageErrors })` on a copy of dist/ served on a
 * port of its own (`stop()` stops that server), in a fresh context.
 */
async function ownSite(name, body) {
  const dir = await mkdtemp(join(tmpdir(), `mqtt-lab-offline-${name}-`));
  await cp(DIST, join(dir, 'widgets', 'mqtt'), { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/widgets/mqtt/`;
  const first = site;
  site = dir;
  let child = await serve(port);
  site = first;
  browser ??= await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await body({ base, page, pageErrors, stop: async () => { await stop(child); child = undefined; } });
  } finally {
    child?.kill();
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a split page (qos) works offline after one visit: its chunk is kept too', () => ownSite('split', async ({ base, page, pageErrors, stop }) => {
  const stepper = () => page.getByRole('heading', { name: 'One message, packet by packet' }).waitFor();
  await page.goto(`${base}?w=qos`);
  await stepper();
  // The worker started after the page had loaded its bundle and chunk; the loader named them.
  const files = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)
    .filter((u) => /\/w\/qos\/(split_|chunk_|__wasm_split)/.test(u)));
  assert.ok(files.some((u) => /split_qos_below\.wasm$/.test(u)), files.join(' '));
  await until(page, cached, ['w/qos/qos.js', 'w/qos/qos_bg.wasm', ...files]);
  await stop();
  await page.reload();
  await stepper();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  assert.match(await page.locator('.step-status').innerText(), /^Step 1 of \d+/);
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.deepEqual(pageErrors, []);
}));

test('the backoff page\'s fleet worker works offline after one visit: its files are kept too', () => ownSite('fleet', async ({ base, page, pageErrors, stop }) => {
  const fleetDone = () => page.waitForFunction(() => (document.querySelector('output[name="total-attempts"]')?.dataset.value ?? '') !== ''
    && document.querySelector('.progress')?.textContent === '', null, { timeout: 60000 });
  await page.goto(`${base}?w=backoff&jitter=full&devices=5000`);
  await fleetDone();
  // The worker fetched these itself; the page named them to the service worker.
  await until(page, cached, ['w/backoff/fleet_worker.js', 'w/backoff/fleet_sim.js', 'w/backoff/fleet_sim_bg.wasm']);
  const online = await page.evaluate(() => document.querySelector('output[name="total-attempts"]').dataset.value);
  await stop();
  await page.reload();
  await fleetDone();
  // A worker whose files failed would have been let go (workers.rs): it is still up.
  assert.ok(page.workers().length >= 1);
  assert.equal(await page.evaluate(() => document.querySelector('output[name="total-attempts"]').dataset.value), online);
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.deepEqual(pageErrors, []);
}));
