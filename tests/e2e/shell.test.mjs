// The shell and the page contract: gallery, notices, embed mode, theme, share.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, params, registry, typeInto, value, BASE } from './browser.mjs';

let browser;
let widgets = [];
before(async () => {
  browser = await launch();
  widgets = await registry(browser);
});
after(async () => { await browser?.close(); });

test('the gallery lists every widget of the registry and links it', async () => {
  const { page, errors, context } = await open(browser, '?');
  const cards = page.locator('.gallery .card');
  assert.equal(await cards.count(), widgets.length);
  assert.deepEqual(await page.locator('.gallery .card a').evaluateAll(
    (as) => as.map((a) => new URL(a.href).searchParams.get('w'))), widgets);
  await page.getByRole('link', { name: 'Broker capacity planner' }).click();
  await page.waitForSelector('output[name="required-connections"]');
  assert.equal((await params(page)).get('w'), 'capacity');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown widget shows a notice and the gallery', async () => {
  const { page, errors, context } = await open(browser, '?w=nope');
  await page.waitForSelector('.notices');
  assert.match(await page.locator('.notices').innerText(), /no widget called “nope”/);
  assert.equal(await page.locator('.gallery .card').count(), widgets.length);
  // A plain list inside a status region (the list keeps its semantics: WCAG 1.3.1).
  assert.equal(await page.locator('[role="status"][aria-label="Notices about the address"] > ul.notices > li').count(), 1);
  assert.equal(await page.locator('ul.notices').getAttribute('role'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed=1 hides the site chrome and posts its height to a parent of another origin', async () => {
  // The course page is on another origin than the widget (here: the same server as "localhost").
  const host = new URL(BASE);
  host.hostname = 'localhost';
  const { page, errors, context } = await open(browser, host.href);
  const src = new URL('?w=capacity&embed=1', BASE).href;
  // A parent page with the widget in an iframe, collecting the resize messages.
  await page.setContent(`<iframe id="f" style="width:600px;height:300px" src="${src}"></iframe>
    <script>window.heights = []; addEventListener('message', (e) => {
      if (e.data && e.data.type === 'mqtt-lab:resize') window.heights.push(e.data.height); });</script>`);
  await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 10000 });
  const heights = await page.evaluate(() => window.heights);
  assert.ok(heights.every((h) => Number.isFinite(h) && h > 300), `heights: ${heights}`);
  const frame = page.frame({ url: /embed=1/ });
  await frame.waitForSelector('output[name="required-connections"]');
  assert.equal(await frame.locator('.site-header').count(), 0);
  assert.equal(await frame.locator('.site-footer').count(), 0);
  assert.equal(await frame.locator('.crumbs').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('theme=dark and theme=light override the system; without it the page follows the system', async () => {
  const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await open(browser, '?w=capacity&theme=dark', { colorScheme: 'light', waitFor: 'output[name="required-connections"]' });
  assert.equal(await background(dark.page), 'rgb(13, 17, 23)');
  assert.equal((await params(dark.page)).get('theme'), 'dark');
  assert.deepEqual(dark.errors, []);
  await dark.context.close();

  const light = await open(browser, '?w=capacity&theme=light', { colorScheme: 'dark', waitFor: 'output[name="required-connections"]' });
  assert.equal(await background(light.page), 'rgb(255, 255, 255)');
  await light.context.close();

  const system = await open(browser, '?w=capacity', { colorScheme: 'light', waitFor: 'output[name="required-connections"]' });
  assert.equal(await background(system.page), 'rgb(255, 255, 255)');
  await system.page.emulateMedia({ colorScheme: 'dark' });
  await system.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  assert.equal(await background(system.page), 'rgb(13, 17, 23)');
  assert.equal((await params(system.page)).get('theme'), null);
  await system.context.close();

  // Anything else is ignored with a notice, and dropped from the address.
  const bad = await open(browser, '?w=capacity&theme=blue', { colorScheme: 'dark', waitFor: 'output[name="required-connections"]' });
  assert.match(await bad.page.locator('.notices').innerText(), /Ignored theme=blue: “blue” is not one of light, dark; without it the page follows your system's setting/);
  assert.equal(await background(bad.page), 'rgb(13, 17, 23)');
  await bad.page.waitForFunction(() => !new URL(location.href).searchParams.has('theme'));
  await bad.context.close();
});

test('share: the permalink and the embed code of the current state, copied with the keyboard', async () => {
  const { page, errors, context } = await open(browser, '?w=capacity&devices=500&theme=dark', { waitFor: 'output[name="required-connections"]' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE).origin });
  const summary = page.getByText('Share or embed', { exact: true });
  await summary.focus();
  await page.keyboard.press('Enter');
  const link = page.getByLabel('Link to this state');
  await link.waitFor();
  const site = new URL(BASE).href;
  assert.equal(await link.inputValue(), `${site}?w=capacity&theme=dark&devices=500&backend=5&monitoring=2&alert=80&session_kib=10`);
  // It follows the state.
  await typeInto(page, 'Devices', '2000');
  await page.waitForFunction(() => document.querySelector('#share-link').value.includes('devices=2000'));
  const code = await page.getByLabel('Embed code for a course page').inputValue();
  assert.equal(code,
    `<iframe src="${site}?w=capacity&amp;theme=dark&amp;devices=2000&amp;backend=5&amp;monitoring=2&amp;alert=80&amp;session_kib=10&amp;embed=1" ` +
    'title="Broker capacity planner (MQTT Lab)" style="width:100%;height:980px;border:0" loading="lazy"></iframe>\n' +
    `<script src="${site}public/embed.js" async></script>`);
  // Copy buttons, by keyboard; the result is announced in a status region.
  await page.getByRole('button', { name: 'Copy embed code' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.share .copy-status')].some((p) => p.textContent === 'Copied to the clipboard.'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.waitForFunction(() => document.querySelector('.share .copy-status').textContent === 'Copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await link.inputValue());
  // The printed page carries the permalink as text.
  assert.equal(await page.locator('.print-only').textContent(), `Online: ${await link.inputValue()}`);
  assert.equal(await value(page, 'required-connections'), '2416');
  assert.deepEqual(errors, []);
  await context.close();
});

test('share: the frame\'s colours are a choice, and only the knowledge checks mention results', async () => {
  const { page, errors, context } = await open(browser, '?w=qos', { waitFor: 'output[name="effective-qos"]' });
  await page.getByText('Share or embed', { exact: true }).click();
  const colours = page.getByLabel('Colours in the frame');
  const code = page.getByLabel('Embed code for a course page');
  assert.equal(await colours.inputValue(), '');
  assert.doesNotMatch(await code.inputValue(), /theme=/);
  await colours.selectOption({ label: 'Dark, for a dark course page' });
  await page.waitForFunction(() => document.querySelector('#share-embed').value.includes('&amp;theme=dark&amp;embed=1'));
  // The permalink is the page's own: the choice is for the frame only.
  assert.doesNotMatch(await page.getByLabel('Link to this state').inputValue(), /theme=/);
  await colours.selectOption({ label: 'Light, for a light course page' });
  await page.waitForFunction(() => /theme=light/.test(document.querySelector('#share-embed').value) && !/theme=dark/.test(document.querySelector('#share-embed').value));
  await colours.selectOption({ label: "As the reader's system is set" });
  await page.waitForFunction(() => !/theme=/.test(document.querySelector('#share-embed').value));
  const note = page.locator('.share-note');
  assert.ok(await note.isVisible());
  assert.equal(await note.innerText(), 'The frame shows this widget with its current settings; the script sizes the frame to fit.');
  assert.deepEqual(errors, []);
  await context.close();
  const quiz = await open(browser, '?w=exercises', { waitFor: 'output[name="total"]' });
  await quiz.page.getByText('Share or embed', { exact: true }).click();
  assert.match(await quiz.page.locator('.share-note').innerText(), /passes the knowledge checks’ results to the page/);
  await quiz.context.close();
});
