// Embedding: public/embed.js and its example page, the result statements a
// widget posts to the page that embeds it, and the origin checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch, open, BASE } from './browser.mjs';

const SITE = new URL(BASE).href;
const SCRIPT = new URL('public/embed.js', BASE).href;
// Course pages live on another origin than the widgets: the same server as "localhost".
const HOST = new URL(BASE);
HOST.hostname = 'localhost';

/** A page of the host's origin whose document is `html`. */
async function hostPage(html) {
  const { page, errors, context } = await open(browser, new URL('?', HOST).href);
  await page.setContent(html);
  return { page, errors, context };
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The frame's document height and the height the parent gave the iframe element. */
async function heights(page, selector) {
  const frame = await (await page.$(selector)).contentFrame();
  const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const outer = await page.$eval(selector, (f) => f.clientHeight);
  return { inner, outer };
}

async function settle(page, selector) {
  await page.waitForFunction(async (sel) => {
    const f = document.querySelector(sel);
    return f.style.height !== '' && f.contentDocument?.querySelector('output[data-value]');
  }, selector, { timeout: 15000 });
  // Heights change while charts and fonts settle; wait for the sizes to agree.
  for (let i = 0; i < 50; i++) {
    const h = await heights(page, selector);
    if (Math.abs(h.inner - h.outer) <= 1) return h;
    await page.waitForTimeout(100);
  }
  return heights(page, selector);
}

test('the embed example: one script sizes both widgets and hands their results to the page', async () => {
  const { page, errors, context } = await open(browser, 'public/embed-example.html');
  const frames = page.locator('iframe');
  assert.equal(await frames.count(), 2);
  for (const [i, selector] of ['iframe:nth-of-type(1)', 'iframe:nth-of-type(2)'].entries()) {
    await frames.nth(i).scrollIntoViewIfNeeded();
    const h = await settle(page, selector);
    assert.ok(Math.abs(h.inner - h.outer) <= 1 && h.outer > 600, `frame ${i + 1}: ${JSON.stringify(h)}`);
  }
  const quiz = page.frameLocator('iframe >> nth=1');
  await quiz.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#results li').length === 3);
  assert.deepEqual(await page.locator('#results li').allInnerTexts(), [
    'answered “The debugging flow”: 0 of 4, not yet',
    'answered “Setting up a secure broker”: 1 of 5, not yet',
    'completed “Knowledge checks: Order the steps”: 1 of 9, not yet',
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('results: a parent of another origin receives xAPI-shaped statements; no network call', async () => {
  // A plain listener, no embed.js.
  const { page, errors, context } = await hostPage(`<iframe id="f" title="Knowledge checks" style="width:800px;height:900px"
      src="${SITE}?w=exercises&tab=label&embed=1"></iframe>
    <script>window.got = []; addEventListener('message', (e) => {
      if (e.data && e.data.type === 'mqtt-lab:result') window.got.push({ origin: e.origin, data: e.data }); });</script>`);
  const quiz = page.frameLocator('#f');
  await quiz.locator('#label-0').waitFor();
  const tools = ['Serial Monitor', 'MQTT Explorer', "mosquitto_sub -t '#' -v", 'Payload decode test'];
  // Box 4 is labelled wrongly on purpose.
  for (const [i, tool] of [tools[0], tools[1], tools[2], tools[0]].entries()) {
    await quiz.locator(`#label-${i}`).selectOption({ label: tool });
  }
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const before = Date.now();
  await quiz.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => window.got.length === 5);
  const got = await page.evaluate(() => window.got);
  assert.deepEqual(requests, [], 'checking answers calls no network');
  const tab = `${SITE}?w=exercises&tab=label`;
  for (const { origin, data } of got) {
    assert.equal(origin, new URL(SITE).origin);
    assert.equal(data.type, 'mqtt-lab:result');
    assert.equal(data.statement.actor, undefined, 'no personal data');
    const t = Date.parse(data.statement.timestamp);
    assert.ok(t >= before - 1000 && t <= Date.now() + 1000, data.statement.timestamp);
  }
  const [first, , , fourth, done] = got.map((g) => g.data.statement);
  assert.deepEqual({ ...first, timestamp: undefined }, {
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
    object: {
      objectType: 'Activity',
      id: `${tab}#item-1`,
      definition: {
        name: { 'en-US': 'Is the device connected (Wi-Fi, then CONNACK)?' },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'matching',
      },
    },
    result: { score: { raw: 1, min: 0, max: 1, scaled: 1 }, success: true, response: '1[.]1' },
    context: { contextActivities: { parent: [{ objectType: 'Activity', id: tab }] } },
    timestamp: undefined,
  });
  assert.equal(fourth.object.id, `${tab}#item-4`);
  assert.deepEqual(fourth.result, { score: { raw: 0, min: 0, max: 1, scaled: 0 }, success: false, response: '4[.]1' });
  assert.equal(done.verb.id, 'http://adlnet.gov/expapi/verbs/completed');
  assert.equal(done.object.id, tab);
  assert.equal(done.object.definition.name['en-US'], 'Knowledge checks: Label the flow');
  assert.deepEqual(done.result, { score: { raw: 3, min: 0, max: 4, scaled: 0.75 }, success: false, completion: true, response: '3 of 4 right' });
  assert.equal(done.context.contextActivities.parent[0].id, `${SITE}?w=exercises`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.js on another origin sizes only its own frames, from their own origin, and asks late', async () => {
  const { page, errors, context } = await hostPage(`
    <iframe id="widget" title="A" style="width:600px" src="${SITE}?w=capacity&embed=1"></iframe>
    <iframe id="fake" title="B" style="width:600px;height:111px" srcdoc="<script>parent.postMessage({type: 'mqtt-lab:resize', height: 999}, '*')</script>"></iframe>
    <iframe id="moved" title="C" style="width:600px;height:111px" src="${SITE}public/favicon.svg"></iframe>
    <script>window.seen = []; addEventListener('message', (e) => window.seen.push(e.origin));</script>`);
  // embed.js is loaded only once the widget has settled: it asks for the size again.
  await page.waitForFunction((origin) => window.seen.includes(origin), new URL(SITE).origin);
  for (let n = -1; n !== await page.evaluate(() => window.seen.length);) {
    n = await page.evaluate(() => window.seen.length);
    await page.waitForTimeout(1000);
  }
  assert.equal(await page.$eval('#widget', (f) => f.style.height), '');
  await page.addScriptTag({ url: SCRIPT });
  const outer = await page.waitForFunction(() => parseFloat(document.querySelector('#widget').style.height) > 600);
  const inner = await (await (await page.$('#widget')).contentFrame()).evaluate(() => document.documentElement.getBoundingClientRect().height);
  assert.ok(Math.abs((await page.$eval('#widget', (f) => f.clientHeight)) - inner) <= 1, `${inner}`);
  await outer.dispose();
  // The page itself is not one of its frames.
  await page.evaluate(() => window.postMessage({ type: 'mqtt-lab:resize', height: 999 }, '*'));
  // A frame whose document now comes from another origin than its src says is not believed.
  await page.evaluate((url) => { document.querySelector('#moved').contentWindow.location = url; }, `${HOST.href}?w=capacity&embed=1`);
  await page.waitForFunction((origin) => window.seen.includes(origin), HOST.origin, { timeout: 15000 });
  assert.equal(await page.$eval('#moved', (f) => f.style.height), '111px');
  assert.equal(await page.$eval('#fake', (f) => f.style.height), '111px');
  assert.equal(await page.evaluate(() => window.mqttLabEmbed.handlers.length), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Each frame of `page` (by selector) with its document's height and the height its element was given. */
async function frameHeights(page, selectors) {
  return Promise.all(selectors.map(async (sel) => ({ sel, ...(await heights(page, sel)) })));
}

test('sizing is certain whatever loads first: 14 loads of a course page of another origin, embed.js async, two frames', async () => {
  // The course page, from a server of its own (another origin; a page the test
  // fulfilled itself would count as public, and Chromium keeps it from loopback
  // addresses). embed.js reaches it after a delay that differs per load, so that
  // it comes before, between and after the frames.
  const server = createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(html); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const course = `http://localhost:${server.address().port}/course-page.html`;
  const html = `<!doctype html><title>A lesson</title>
    <script>window.sized = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'mqtt-lab:resize') window.sized.push(e.origin); });</script>
    <p>Before the widgets.</p>
    <script src="${SCRIPT}" async></script>
    <iframe id="a" title="Capacity" style="width:100%;height:150px;border:0" src="${SITE}?w=capacity&embed=1"></iframe>
    <iframe id="b" title="Reason codes" style="width:100%;height:150px;border:0" src="${SITE}?w=reason-codes&embed=1"></iframe>`;
  const delays = [0, 0, 30, 80, 150, 250, 400, 600, 900, 1300, 1800, 2500, 0, 3500];
  for (const [n, delay] of delays.entries()) {
    const context = await browser.newContext({ viewport: { width: 700, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    await context.route(SCRIPT, async (route) => { await new Promise((r) => setTimeout(r, delay)); await route.continue(); });
    await page.goto(course);
    // Both frames reach their document's height (the reason codes' is over 3,000 px at 700 px).
    let h;
    for (let i = 0; i < 100; i++) {
      h = await frameHeights(page, ['#a', '#b']);
      if (h.every((f) => f.inner > 600 && Math.abs(f.inner - f.outer) <= 1)) break;
      await page.waitForTimeout(100);
    }
    assert.ok(h.every((f) => f.inner > 600 && Math.abs(f.inner - f.outer) <= 1), `load ${n + 1} (embed.js after ${delay} ms): ${JSON.stringify(h)}`);
    assert.deepEqual(errors, [], `load ${n + 1} (embed.js after ${delay} ms)`);
    await context.close();
  }
  server.close();
});

test('a widget repeats its height until the page acknowledges it, and stops once it has', async () => {
  // No embed.js: a listener that comes late, after the widget has settled, still gets the height.
  const { page, errors, context } = await hostPage(`<iframe id="f" title="Capacity" style="width:600px;height:150px"
      src="${SITE}?w=capacity&embed=1"></iframe>`);
  const frame = await (await page.$('#f')).contentFrame();
  await frame.waitForSelector('output[data-value]');
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    window.heard = [];
    addEventListener('message', (e) => { if (e.data?.type === 'mqtt-lab:resize') window.heard.push(e.data.height); });
  });
  await page.waitForFunction(() => window.heard.length > 0, null, { timeout: 10000 });
  const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  assert.equal((await page.evaluate(() => window.heard)).at(-1), inner);
  // embed.js acknowledges: no more repeats after that.
  await page.addScriptTag({ url: SCRIPT });
  await page.waitForFunction(() => parseFloat(document.querySelector('#f').style.height) > 600);
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => window.heard.length);
  await page.waitForTimeout(7000);
  assert.equal(await page.evaluate(() => window.heard.length), after, 'repeated after the acknowledgement');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a frame that grows above the view keeps the reader where they are', async () => {
  for (const anchoring of ['auto', 'none']) {
    // Without scroll anchoring (as in Safari), embed.js scrolls by what the frame grew.
    const { page, errors, context } = await hostPage(`<style>html { overflow-anchor: ${anchoring} }</style>
      <iframe id="f" title="Reason codes" style="width:600px;height:150px;border:0"></iframe>
      <div style="height:3000px"></div><p id="reading">The paragraph the reader is on.</p><div style="height:3000px"></div>
      <script src="${SCRIPT}"></script>`);
    await page.evaluate(() => document.getElementById('reading').scrollIntoView());
    const top = await page.$eval('#reading', (p) => p.getBoundingClientRect().top);
    await page.$eval('#f', (f, src) => { f.src = src; }, `${SITE}?w=reason-codes&embed=1`);
    await page.waitForFunction(() => parseFloat(document.querySelector('#f').style.height) > 1000, null, { timeout: 15000 });
    await page.waitForTimeout(500);
    const now = await page.$eval('#reading', (p) => p.getBoundingClientRect().top);
    assert.ok(Math.abs(now - top) <= 2, `overflow-anchor: ${anchoring}: the paragraph moved from ${top} to ${now}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('in an embed, links that leave the widget open a new tab; without embed they stay in the page', async () => {
  const { page, errors, context } = await hostPage(`<iframe id="f" title="Broker cost" style="width:700px;height:900px;border:0"
      src="${SITE}?w=broker-cost&embed=1&parts=explain"></iframe><script src="${SCRIPT}" async></script>`);
  const widget = page.frameLocator('#f');
  const backoff = widget.getByRole('link', { name: 'reconnect backoff' });
  await backoff.waitFor();
  assert.equal(await backoff.getAttribute('target'), '_blank');
  assert.equal(await backoff.getAttribute('rel'), 'noopener');
  // A click opens the backoff widget in a tab of its own, without embed; the lesson's frame stays.
  const [tab] = await Promise.all([context.waitForEvent('page'), backoff.click()]);
  await tab.waitForLoadState();
  assert.equal(new URL(tab.url()).searchParams.get('w'), 'backoff');
  assert.equal(new URL(tab.url()).searchParams.get('embed'), null);
  const frame = await (await page.$('#f')).contentFrame();
  assert.equal(new URL(frame.url()).searchParams.get('w'), 'broker-cost');
  // Sources open in a new tab too.
  const source = widget.locator('a.source').first();
  if (await source.count()) assert.equal(await source.getAttribute('target'), '_blank');
  assert.deepEqual(errors, []);
  await context.close();

  const site = await open(browser, '?w=broker-cost', { waitFor: 'output[name="verdict"]' });
  const link = site.page.getByRole('link', { name: 'reconnect backoff' });
  assert.equal(await link.getAttribute('target'), null);
  await link.click();
  await site.page.waitForFunction(() => new URL(location.href).searchParams.get('w') === 'backoff');
  assert.equal(site.context.pages().length, 1);
  assert.deepEqual(site.errors, []);
  await site.context.close();
});
