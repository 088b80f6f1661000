// The shell and the page contract, for every widget of the registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, params } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the gallery lists every widget and links the built ones', async () => {
  const { page, errors, context } = await open(browser, '?');
  const cards = page.locator('.gallery .card');
  assert.equal(await cards.count(), 10);
  // Every widget is built: each card links to it and none says "coming soon".
  assert.equal(await page.locator('.gallery .card a').count(), 10);
  assert.equal(await page.locator('.gallery .badge').count(), 0);
  await page.getByRole('link', { name: 'Broker capacity planner' }).click();
  await page.waitForSelector('output[name="required-connections"]');
  assert.equal(params(page).get('w'), 'capacity');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown widget shows a notice and the gallery', async () => {
  const { page, errors, context } = await open(browser, '?w=nope');
  await page.waitForSelector('.notices');
  assert.match(await page.locator('.notices').innerText(), /no widget called “nope”/);
  assert.equal(await page.locator('.gallery .card').count(), 10);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed=1 hides the site chrome and posts its height to the parent', async () => {
  const { page, errors, context } = await open(browser, '?');
  const src = new URL('?w=capacity&embed=1', page.url()).href;
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
