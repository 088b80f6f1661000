// Issue 21, items 1 and 2: a frame is as small as the lesson needs (the
// explanation and the snippets only when the author asks, never the list of
// parameters), and each figure is on screen together with the control that
// changes it, in a 700 px course column (700 x 800) and on a phone (360 x 740).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, BASE } from './browser.mjs';
import { readFile } from 'node:fs/promises';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const COLUMN = { width: 700, height: 800 };
const PHONE = { width: 360, height: 740 };

const height = (page) => page.evaluate(() => document.documentElement.getBoundingClientRect().height);

test('a frame shows controls, results and figures; explanation and snippets only when asked; never the parameter list', async () => {
  // Before: backoff 4,286 px and QoS 3,694 px tall in a 700 px column, whole pages.
  for (const [slug, ready, most] of [['backoff', 'all-connected-s', 3000], ['qos', 'effective-qos', 2100]]) {
    const compact = await open(browser, `?w=${slug}&embed=1`, { viewport: COLUMN, waitFor: `output[name="${ready}"]` });
    const { page } = compact;
    await page.waitForTimeout(300);
    const tall = await height(page);
    assert.ok(tall < most, `${slug}: a compact frame is ${tall} px tall`);
    assert.equal(await page.getByRole('heading', { name: 'Link to this state' }).count(), 0);
    assert.equal(await page.locator('figure.snippet').count(), 0);
    assert.equal(await page.locator('section.explain').count(), 0);
    assert.ok(await page.getByRole('group', { name: slug === 'qos' ? 'Publisher QoS' : 'Jitter' }).isVisible());
    assert.ok(await page.locator('figure.chart canvas').first().isVisible());
    assert.deepEqual(compact.errors, []);
    await compact.context.close();

    const full = await open(browser, `?w=${slug}&embed=1&parts=explain,code`, { viewport: COLUMN, waitFor: `output[name="${ready}"]` });
    assert.ok(await full.page.locator('figure.snippet').first().isVisible());
    assert.ok(await full.page.locator('section.explain').first().isVisible());
    assert.equal(await full.page.getByRole('heading', { name: 'Link to this state' }).count(), 0);
    // The parts stay in the frame's address.
    await full.page.waitForTimeout(50);
    assert.equal(new URL(full.page.url()).searchParams.get('parts'), 'explain,code');
    await full.context.close();
  }
  // A widget's own page shows everything.
  const page = await open(browser, '?w=qos', { viewport: COLUMN, waitFor: 'output[name="effective-qos"]' });
  assert.ok(await page.page.getByRole('heading', { name: 'Link to this state' }).isVisible());
  assert.ok(await page.page.locator('figure.snippet').first().isVisible());
  await page.context.close();
  // A part that does not exist is named in a notice; the frame stays compact.
  const bad = await open(browser, '?w=qos&embed=1&parts=code,help', { viewport: COLUMN, waitFor: '.notices' });
  assert.match(await bad.page.locator('.notices').innerText(),
    /Ignored parts=code,help: there is no part called “help” \(the parts are explain and code\)/);
  assert.equal(await bad.page.locator('figure.snippet').count(), 0);
  await bad.context.close();
});

test('the height an embed code reserves is the compact frame\'s, within 15 %, for every widget', async () => {
  // widgets.json (generated from the registry's frame_height) is what the Share
  // panel, the Quarto and pandoc filters and the SCORM package write into the frame.
  const file = JSON.parse(await readFile(new URL('../../integrations/quarto/_extensions/mqtt-lab/widgets.json', import.meta.url), 'utf8'));
  const off = [];
  for (const { slug, frame_height: reserved } of file.widgets) {
    const { page, errors, context } = await open(browser, `?w=${slug}&embed=1`, { viewport: COLUMN });
    // Loaded, rendered and settled (the charts draw in a frame after the first render).
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const tall = Math.round(await height(page));
    if (Math.abs(tall - reserved) > 0.15 * reserved) off.push(`${slug}: ${tall} px tall, ${reserved} px reserved`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.deepEqual(off, [], 'measured heights to write into frame_height (crates/core/src/widgets.rs)');
});

test('the Share panel chooses the parts, and the code it gives opens a frame with them', async () => {
  const { page, errors, context } = await open(browser, '?w=backoff&base=2', { waitFor: 'output[name="total-wait-s"]' });
  await page.getByText('Share or embed', { exact: true }).click();
  const code = page.getByLabel('Embed code for a course page');
  await code.waitFor();
  assert.match(await code.inputValue(), /base=2&amp;[^"]*&amp;embed=1"/);
  assert.doesNotMatch(await code.inputValue(), /parts=/);
  await page.getByLabel('The code snippets').check();
  await page.waitForFunction(() => document.querySelector('#share-embed').value.includes('parts=code&amp;embed=1'));
  await page.getByLabel('The explanation, its sources and the chapter’s corrections').check();
  await page.waitForFunction(() => document.querySelector('#share-embed').value.includes('parts=explain,code&amp;embed=1'));
  await page.getByLabel('The explanation, its sources and the chapter’s corrections').uncheck();
  await page.waitForFunction(() => /parts=code&amp;embed=1/.test(document.querySelector('#share-embed').value));
  // The frame that code makes: snippets, no explanation, the author's state.
  const src = (await code.inputValue()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const frame = await open(browser, src, { viewport: COLUMN, waitFor: 'figure.snippet' });
  assert.equal(await frame.page.locator('section.explain').count(), 0);
  assert.equal(await frame.page.getByRole('textbox', { name: 'First delay (s)' }).inputValue(), '2');
  assert.deepEqual(frame.errors, []);
  await frame.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * The control and the figure fit in the viewport together; scrolled so that
 * they are, a change of the control shows in the figure without scrolling.
 */
async function changesInView(page, control, figure, change, changed, what) {
  const vh = page.viewportSize().height;
  const c = await control.boundingBox();
  const f = await figure.boundingBox();
  const top = Math.min(c.y, f.y);
  const span = Math.max(c.y + c.height, f.y + f.height) - top;
  assert.ok(span <= vh, `${what}: control and figure span ${Math.round(span)} px, the viewport ${vh}`);
  await page.evaluate((dy) => window.scrollBy(0, dy), top - 4);
  await change();
  await page.waitForFunction(changed.fn, changed.arg, { timeout: 10000 });
  // (Text above may grow with the change; the browser's scroll anchoring
  // keeps what is in view in place, so the scroll offset may move.)
  const after = await figure.boundingBox();
  assert.ok(after.y >= 0 && after.y + after.height <= vh, `${what}: the figure is in view at ${Math.round(after.y)}..${Math.round(after.y + after.height)}`);
}

const notLabel = (selector, before) => ({
  fn: ([s, b]) => (document.querySelector(s)?.getAttribute('aria-label') ?? b) !== b,
  arg: [selector, before],
});

const label = (selector, pattern) => ({
  fn: ([s, p]) => new RegExp(p).test(document.querySelector(s)?.getAttribute('aria-label') ?? ''),
  arg: [selector, pattern],
});

for (const [name, viewport, embed] of [['a 700 px column', COLUMN, '&embed=1'], ['a 360 px phone', PHONE, '']]) {
  test(`in ${name}, each key control is on screen with the figure it changes`, async () => {
    // Backoff: the jitter and the fleet's storm.
    const b = await open(browser, `?w=backoff${embed}`, { viewport, waitFor: 'output[name="all-connected-s"]' });
    await b.page.waitForFunction(() => document.querySelector('output[name="all-connected-s"]').dataset.value === '487');
    const storm = b.page.locator('figure.chart', { hasText: 'Connection attempts per second when' }).locator('canvas');
    await changesInView(b.page, b.page.getByRole('group', { name: 'Jitter' }), storm,
      () => b.page.getByRole('group', { name: 'Jitter' }).getByLabel('Full').check(),
      { fn: () => /^Full jitter: /.test(document.querySelectorAll('figure.chart canvas')[1]?.getAttribute('aria-label') ?? ''), arg: null },
      `backoff at ${viewport.width} px`);
    assert.deepEqual(b.errors, []);
    await b.context.close();

    // QoS: the publisher's QoS and the delivery curves.
    const q = await open(browser, `?w=qos${embed}`, { viewport, waitFor: 'output[name="effective-qos"]' });
    const curves = q.page.locator('figure.chart canvas').first();
    await changesInView(q.page, q.page.getByRole('group', { name: 'Publisher QoS' }), curves,
      () => q.page.getByRole('group', { name: 'Publisher QoS' }).getByLabel('2').check(),
      label('figure.chart canvas', '^Publishing at QoS 2 to a QoS 0 subscription'),
      `qos at ${viewport.width} px`);
    assert.deepEqual(q.errors, []);
    await q.context.close();

    // Debug: what the student sees and the most likely cause.
    const d = await open(browser, `?w=debug${embed}`, { viewport, waitFor: 'output[name="cause"]' });
    const cause = d.page.getByRole('region', { name: 'Results' });
    await changesInView(d.page, d.page.getByLabel('What you see'), cause,
      () => d.page.getByLabel('What you see').selectOption({ label: 'Cannot connect (times out or is refused)' }),
      { fn: () => document.querySelector('output[name="cause"]').dataset.value !== 'topic-mismatch', arg: null },
      `debug at ${viewport.width} px`);
    assert.deepEqual(d.errors, []);
    await d.context.close();

    // TLS: the device and where its time goes.
    const t = await open(browser, `?w=tls-timeout${embed}`, { viewport, waitFor: 'output[name="connect-ms"]' });
    const bars = t.page.locator('figure.chart canvas').first();
    await changesInView(t.page, t.page.getByLabel('Device', { exact: true }), bars,
      () => t.page.getByLabel('Device', { exact: true }).selectOption({ label: 'ESP8266, 80 MHz' }),
      notLabel('figure.chart canvas', await bars.getAttribute('aria-label')),
      `tls-timeout at ${viewport.width} px`);
    assert.deepEqual(t.errors, []);
    await t.context.close();

    // Capacity: the fleet's size and the connections it needs.
    const c = await open(browser, `?w=capacity${embed}`, { viewport, waitFor: 'output[name="required-connections"]' });
    const line = c.page.locator('figure.chart canvas').first();
    const devices = c.page.getByRole('textbox', { name: 'Devices' });
    await changesInView(c.page, devices, line,
      () => devices.fill('2000'),
      notLabel('figure.chart canvas', await line.getAttribute('aria-label')),
      `capacity at ${viewport.width} px`);
    assert.deepEqual(c.errors, []);
    await c.context.close();

    // Battery: the sleeping device's wake interval and its life curve.
    const bt = await open(browser, `?w=battery${embed}`, { viewport, waitFor: 'output[name="duty-cycle-hours"]' });
    const life = bt.page.locator('figure.chart canvas').first();
    const wake = bt.page.getByRole('textbox', { name: 'Wake every' });
    await changesInView(bt.page, wake, life,
      () => wake.fill('3600'),
      label('figure.chart canvas', '^Waking every 3,600 s lasts'),
      `battery at ${viewport.width} px`);
    assert.deepEqual(bt.errors, []);
    await bt.context.close();

    // Broker cost: the chance of a breach and the cost curves.
    const bc = await open(browser, `?w=broker-cost${embed}`, { viewport, waitFor: 'output[name="private-usd"]' });
    const cost = bc.page.locator('figure.chart canvas').first();
    const breach = bc.page.getByRole('textbox', { name: 'Chance of a breach per year' });
    await changesInView(bc.page, breach, cost,
      () => breach.fill('20'),
      notLabel('figure.chart canvas', await cost.getAttribute('aria-label')),
      `broker-cost at ${viewport.width} px`);
    assert.deepEqual(bc.errors, []);
    await bc.context.close();
  });
}
