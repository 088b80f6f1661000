// ?w=capacity: the chapter's worked example, typing, bad input, permalinks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const W = 'output[name="required-connections"]';

test('the chapter example: 1000 devices, 5 backend, 2 monitoring give 1216', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&devices=1000&backend=5&monitoring=2', { waitFor: W });
  assert.equal(await value(page, 'required-connections'), '1216');
  assert.equal(await page.locator(W).innerText(), '1,216');
  assert.equal(await value(page, 'recommended-limit'), '1520');
  assert.equal(await value(page, 'memory-mib'), '11.875');
  assert.equal(await value(page, 'file-descriptors'), '1584');
  assert.deepEqual(errors, []);
  await context.close();
});

test('typing updates the outputs and the URL', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity', { waitFor: W });
  const field = await typeInto(page, 'Devices', '2500');
  // The text stays as typed while the field has focus.
  assert.equal(await field.inputValue(), '2500');
  await page.waitForFunction(() => document.querySelector('output[name="required-connections"]').dataset.value === '3016');
  // 2500 × 1.2 + 10 + 6 = 3016; 3016 / 0.8 = 3770.
  assert.equal(await value(page, 'recommended-limit'), '3770');
  assert.equal((await params(page)).get('devices'), '2500');
  assert.equal((await params(page)).get('w'), 'capacity');
  await typeInto(page, 'Alert threshold (%)', '50');
  await page.waitForFunction(() => document.querySelector('output[name="recommended-limit"]').dataset.value === '6032');
  assert.equal((await params(page)).get('alert'), '50');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a number typed key by key counts once finished: no result for 1, 15 or 150 on the way to 1500', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity', { waitFor: W });
  // Every value the result takes from here on, as the page shows it.
  await page.evaluate(() => {
    window.__seen = [];
    const out = document.querySelector('output[name="required-connections"]');
    new MutationObserver(() => window.__seen.push(out.dataset.value)).observe(out, { attributes: true, attributeFilter: ['data-value'] });
  });
  const field = page.getByLabel('Devices', { exact: true });
  await field.fill('');
  // About the pace of a student typing (150 ms a key), no Enter: the pause counts.
  await field.pressSequentially('1500', { delay: 150 });
  // 1500 × 1.2 + 5 × 2 + 2 × 3 = 1816 (5 backend services and 2 monitoring tools by default).
  await page.waitForFunction(() => document.querySelector('output[name="required-connections"]').dataset.value === '1816');
  // The empty box and the prefixes 1, 15, 150 (18, 34, 196) were never computed.
  assert.deepEqual(await page.evaluate(() => window.__seen), ['1816']);
  assert.equal((await params(page)).get('devices'), '1500');
  // A refusal shows while typing, before the pause: 150 % in a field up to 100.
  const alert = page.getByLabel('Alert threshold (%)', { exact: true });
  await alert.fill('');
  await alert.pressSequentially('150');
  assert.equal(await alert.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the slider and the arrow keys move the value', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&backend=5', { waitFor: W });
  const slider = page.getByLabel('Backend services slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('output[name="required-connections"]').dataset.value === '1218');
  assert.equal(await page.getByLabel('Backend services', { exact: true }).inputValue(), '6');
  assert.equal(await slider.getAttribute('aria-valuetext'), '6');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [bad, message] of [
  ['abc', '“abc” is not a number'],
  ['-5', '-5 is out of range'],
  ['1e400', 'too large'],
  ['', 'enter a whole number'],
]) {
  test(`"${bad}" gets a message beside the field and nothing breaks`, async () => {
    const { page, errors, context } = await open(browser, '?w=capacity', { waitFor: W });
    // Pasted at once: typed key by key, "1e400" passes through the valid "1e4".
    const field = page.getByLabel('Devices', { exact: true });
    await field.fill(bad);
    await field.press('Enter');
    const error = page.locator('#f-devices-error');
    await page.waitForFunction((m) => document.querySelector('#f-devices-error').textContent.includes(m), message);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.inputValue(), bad);
    assert.match(await error.innerText(), /from 0 to 10,000,000/);
    // Results stay those of the last valid input, marked as such.
    assert.equal(await value(page, 'required-connections'), '1216');
    assert.match(await page.locator('.stale-note').innerText(), /last valid/);
    // The page still works: fixing the field recomputes.
    await typeInto(page, 'Devices', '10');
    await page.waitForFunction(() => document.querySelector('output[name="required-connections"]').dataset.value === '28');
    assert.equal(await error.innerText(), '');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('an unparsable URL parameter is ignored with a visible notice', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&devices=lots&backend=5', { waitFor: W });
  assert.match(await page.locator('.notices').innerText(), /Ignored devices=lots: .*Using the default, 1000\./);
  assert.equal(await value(page, 'required-connections'), '1216');
  assert.equal((await params(page)).get('devices'), '1000');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the chart has a text alternative and the snippets carry the numbers', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&devices=1000&backend=5&monitoring=2', { waitFor: W });
  const canvas = page.locator('figure.chart canvas');
  assert.match(await canvas.getAttribute('aria-label'), /1,216 at 1,000 devices, against a limit of 1,520/);
  await page.locator('.chart-data summary').click();
  assert.equal(await page.locator('.chart-data tbody tr').count(), 11);
  // The canvas is drawn at device-pixel resolution.
  const size = await canvas.evaluate((c) => [c.width, c.clientWidth]);
  assert.ok(size[0] >= size[1] && size[1] > 0, `canvas ${size}`);
  const snippets = await page.locator('.snippet pre').allInnerTexts();
  assert.ok(snippets.some((s) => s.includes('max_connections 1520')));
  assert.ok(snippets.some((s) => s.includes('LimitNOFILE=1584')));
  assert.deepEqual(errors, []);
  await context.close();
});

// plotters measures text in the browser by appending a span to the body and
// reading its offsetHeight: a forced layout of the whole page per label, in
// every redraw. The charts measure on the canvas instead (src/components/chart.rs).
test('a redraw of the chart adds nothing to the page and forces no layout', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&devices=1000', { waitFor: W });
  await page.evaluate(() => {
    window.__added = 0;
    window.__layoutReads = 0;
    new MutationObserver((records) => { for (const r of records) window.__added += r.addedNodes.length; })
      .observe(document.body, { childList: true });
    for (const prop of ['offsetHeight', 'offsetWidth']) {
      const d = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
      Object.defineProperty(HTMLElement.prototype, prop, { ...d, get() { window.__layoutReads++; return d.get.call(this); } });
    }
  });
  const canvas = page.locator('figure.chart canvas');
  const before = await canvas.evaluate((c) => c.toDataURL());
  await typeInto(page, 'Devices', '1500');
  await page.waitForFunction(() => document.querySelector('output[name="required-connections"]').dataset.value === '1816');
  // The redraw runs in the next animation frame: wait for two.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.notEqual(await canvas.evaluate((c) => c.toDataURL()), before, 'the chart was redrawn');
  assert.deepEqual(await page.evaluate(() => [window.__added, window.__layoutReads]), [0, 0]);
  assert.deepEqual(errors, []);
  await context.close();
});
