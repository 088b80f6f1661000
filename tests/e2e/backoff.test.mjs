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
