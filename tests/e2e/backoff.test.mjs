// ?w=backoff: the worked schedule, the herd, jitter choice, cross-field errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ready = (key) => (page) => page.waitForFunction(
  (k) => (document.querySelector(`output[name="${k}"]`)?.dataset.value ?? '') !== '', key);

test('permalink: 1, 2, 4 … capped at 120 totals 487 s; 1000 devices peak at 1000/s', async () => {
  const { page, errors, context } = await open(browser,
    '?w=backoff&base=1&factor=2&cap=120&attempts=10&jitter=none&devices=1000&accept_rate=100',
    { waitFor: 'output[name="total-wait-s"]' });
  assert.equal(await value(page, 'total-wait-s'), '487');
  assert.equal(await value(page, 'cap-reached-attempt'), '8');
  await ready('peak-attempts-per-s')(page);
  assert.equal(await value(page, 'peak-attempts-per-s'), '1000');
  assert.equal(await value(page, 'all-connected-s'), '487');
  assert.equal(await value(page, 'total-attempts'), '5500');
  assert.equal(await value(page, 'refused-attempts'), '4500');
  const rows = await page.locator('figure.chart').first().locator('tbody tr').evaluateAll(
    (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.equal(rows.length, 10);
  assert.deepEqual(rows[7].slice(0, 3), ['8', '120', '247']);
  const code = await page.locator('.snippet pre').innerText();
  assert.match(code, /reconnect_delay_set\(min_delay=1, max_delay=120\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('choosing full jitter updates the URL, the snippet and the fleet', async () => {
  const { page, errors, context } = await open(browser, '?w=backoff', { waitFor: 'output[name="total-wait-s"]' });
  await ready('all-connected-s')(page);
  await page.getByLabel('Full', { exact: true }).check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('jitter') === 'full');
  await page.waitForFunction(() => document.querySelector('.snippet pre').innerText.includes('random.uniform(0, min(CAP_S'));
  // The herd takes 487 s to get back; with full jitter the fleet is back within two minutes.
  await page.waitForFunction(() => {
    const v = parseFloat(document.querySelector('output[name="all-connected-s"]').dataset.value);
    return v > 0 && v < 120;
  });
  assert.equal((await params(page)).get('jitter'), 'full');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a cap below the first delay is refused beside the cap field', async () => {
  const { page, errors, context } = await open(browser, '?w=backoff&base=10', { waitFor: 'output[name="total-wait-s"]' });
  const cap = await typeInto(page, 'Maximum delay (s)', '5');
  await page.waitForFunction(() => document.querySelector('#f-cap-error').textContent.includes('must be at least the first delay (10 s)'));
  // The message is the cap field's own: announced with it and marking it invalid.
  assert.equal(await cap.getAttribute('aria-invalid'), 'true');
  assert.equal(await cap.getAttribute('aria-describedby'), 'f-cap-error');
  assert.equal(await page.locator('#f-base').getAttribute('aria-invalid'), 'false');
  // Both groups of results (one device's, the fleet's) say they are stale.
  assert.deepEqual(await page.locator('.stale-note').allInnerTexts(), [
    'A field above needs fixing; these results are for the last valid values.',
    'A field above needs fixing; these results are for the last valid values.',
  ]);
  // Raising the cap again clears it.
  await typeInto(page, 'Maximum delay (s)', '60');
  await page.waitForFunction(() => document.querySelector('#f-cap-error').textContent === '');
  assert.equal(await cap.getAttribute('aria-invalid'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a large fleet keeps the page responsive while it is simulated', async () => {
  const { page, errors, context } = await open(browser, '?w=backoff&devices=100000&accept_rate=100', { waitFor: 'output[name="total-wait-s"]' });
  // While the fleet is being simulated, typing still reaches the page quickly.
  const t0 = Date.now();
  await typeInto(page, 'Attempts shown', '12');
  await page.waitForFunction(() => document.querySelector('output[name="total-wait-s"]').dataset.value === '727');
  assert.ok(Date.now() - t0 < 5000, `typing took ${Date.now() - t0} ms`);
  await page.waitForFunction(() => document.querySelector('output[name="total-attempts"]').dataset.value !== '', null, { timeout: 60000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the fleet runs in workers; where they cannot load, the page runs it itself, to the same figures', async () => {
  const url = '?w=backoff&jitter=equal&devices=20000&accept_rate=200&seed=9';
  // Every result of the fleet: its outputs and the tables under its figures (all four strategies).
  const fleet = async (page) => {
    await page.waitForFunction(() => (document.querySelector('output[name="total-attempts"]')?.dataset.value ?? '') !== ''
      && document.querySelector('.progress')?.textContent === '', null, { timeout: 60000 });
    return page.evaluate(() => ({
      outputs: Object.fromEntries([...document.querySelectorAll('output[name]')].map((o) => [o.name, o.dataset.value])),
      tables: [...document.querySelectorAll('figure.chart table')].map((t) => t.innerText),
    }));
  };
  // How many jobs each worker holds at once, at most: a job posted to a worker that is
  // still busy would queue behind the one it runs.
  const countJobs = () => {
    const held = new WeakMap();
    window.__mostHeld = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, transfer) {
      if (message instanceof Float64Array) {
        held.set(this, (held.get(this) ?? 0) + 1);
        window.__mostHeld = Math.max(window.__mostHeld, held.get(this));
      }
      return post.call(this, message, transfer);
    };
    const handler = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', {
      get() { return handler.get.call(this); },
      set(h) {
        handler.set.call(this, h && ((event) => {
          if (event.data instanceof Float64Array) held.set(this, held.get(this) - 1);
          return h(event);
        }));
      },
    });
  };
  const inWorkers = await open(browser, url, { waitFor: 'output[name="total-wait-s"]', setup: (context) => context.addInitScript(countJobs) });
  const a = await fleet(inWorkers.page);
  // The pool is up (one worker per core, at most four) and stays for the next run.
  const pool = inWorkers.page.workers();
  const cores = await inWorkers.page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(pool.length, Math.min(Math.max(cores, 1), 4));
  assert.deepEqual(inWorkers.errors, []);

  const itself = await open(browser, url, {
    waitFor: 'output[name="total-wait-s"]',
    setup: (context) => context.route('**/w/backoff/fleet_*', (route) => route.abort()),
  });
  const b = await fleet(itself.page);
  // The worker failed to load and was let go; no message, the figures are all there.
  assert.equal(itself.page.workers().length, 0);
  assert.equal(await itself.page.getByRole('alert').count(), 0);
  assert.deepEqual(b, a);
  assert.ok(Number(a.outputs['total-attempts']) > 20000);
  assert.deepEqual(itself.errors.filter((e) => !/Failed to load resource|net::ERR_FAILED/.test(e)), []);

  // A new seed in the running pool: new figures, from the workers again.
  await typeInto(inWorkers.page, 'Random seed', '10');
  await inWorkers.page.waitForFunction((t) => document.querySelector('output[name="total-attempts"]').dataset.value !== t, a.outputs['total-attempts']);
  const c = await fleet(inWorkers.page);
  assert.notDeepEqual(c.outputs, a.outputs);
  // The same workers: the pool was started once.
  const now = inWorkers.page.workers();
  assert.ok(now.length === pool.length && now.every((w, i) => w === pool[i]));

  // Dragging the devices slider starts a run at every step: a newer run waits for the
  // job each worker is running and posts only if it is still the newest, so no worker
  // ever holds two; the last step's figures are the ones shown.
  const slider = inWorkers.page.getByRole('slider', { name: 'Devices in the fleet slider' });
  await slider.focus();
  for (let i = 0; i < 20; i++) await inWorkers.page.keyboard.press('ArrowRight');
  // Steps of 100 from 1: 20,101, then 19 more.
  const last = await slider.evaluate((s) => s.value);
  assert.equal(last, '22001');
  await inWorkers.page.waitForFunction((t) => document.querySelector('output[name="total-attempts"]').dataset.value !== t, c.outputs['total-attempts']);
  const d = await fleet(inWorkers.page);
  assert.equal(await inWorkers.page.evaluate(() => window.__mostHeld), 1);
  const again = await open(browser, url.replace('devices=20000', `devices=${last}`).replace('seed=9', 'seed=10'), { waitFor: 'output[name="total-wait-s"]' });
  assert.deepEqual((await fleet(again.page)).outputs, d.outputs);
  await again.context.close();
  await inWorkers.context.close();
  await itself.context.close();
});
