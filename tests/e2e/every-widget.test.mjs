// Loops over every widget of the registry (crates/core/src/widgets.rs, written
// into the built index.html by scripts/build.sh): the gallery links each one;
// axe-core with every rule (best practices and experimental ones included) in
// light and dark at 1280 and 360 px, with the share control open; and hostile
// input into every text field without a panic or a lost page.
//
// E2E_WIDGETS="demo" (slugs of the registry, space-separated) limits the
// per-widget checks to those widgets, for a build with only their bundles
// (scripts/build.sh BUNDLES, scripts/test.sh scaffold); the gallery is still
// checked against the whole registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, open, registry } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

const ONLY = (process.env.E2E_WIDGETS ?? '').split(/\s+/).filter(Boolean);

let browser;
let all = []; // the registry
let slugs = []; // the widgets checked one by one
before(async () => {
  browser = await launch();
  all = await registry(browser);
  const unknown = ONLY.filter((s) => !all.includes(s));
  assert.deepEqual(unknown, [], `E2E_WIDGETS names widgets the registry does not have: ${unknown}`);
  slugs = ONLY.length ? ONLY : all;
});
after(async () => { await browser?.close(); });

test('the gallery links every widget of the registry, in its order', async () => {
  assert.ok(all.length >= 10, `registry: ${all}`);
  const { page, context } = await open(browser, '?');
  const linked = await page.locator('.gallery .card a').evaluateAll(
    (as) => as.map((a) => new URL(a.href).searchParams.get('w')));
  assert.deepEqual(linked, all);
  await context.close();
});

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => {
    // Every rule axe has: the WCAG ones, best practices, and the experimental ones (off by default).
    const experimental = Object.fromEntries(window.axe.getRules(['experimental']).map((r) => [r.ruleId, { enabled: true }]));
    return window.axe.run(document, { rules: experimental });
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe-core finds nothing (every rule), light and dark, 1280 and 360 px', async () => {
  const failures = [];
  // Every page, the knowledge checks' other tabs, and a widget in embed mode.
  const others = ONLY.length ? ONLY.map((s) => `?w=${s}&embed=1`)
    : ['?w=exercises&tab=match', '?w=exercises&tab=code', '?w=exercises&tab=label', '?w=capacity&embed=1'];
  const queries = ['?', ...slugs.map((s) => `?w=${s}`), ...others];
  for (const query of queries) {
    for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 360], ['dark', 360]]) {
      const { page, errors, context } = await open(browser, query, { colorScheme: scheme, viewport: { width, height: 800 } });
      // Open the share control so that its contents are checked too.
      if (await page.locator('.share summary').count()) await page.locator('.share summary').click();
      await page.waitForTimeout(150);
      for (const v of await axeViolations(page)) failures.push(`${query} ${scheme} ${width}px: ${v}`);
      failures.push(...errors.map((e) => `${query}: ${e}`));
      // Nothing may stick out sideways on a phone (WCAG 1.4.10).
      if (width === 360) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) failures.push(`${query} ${scheme} 360px: page is ${overflow}px wider than the screen`);
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
});

test('hostile input in every field: a message beside it, no panic, the page keeps working', async () => {
  const failures = [];
  for (const slug of slugs) {
    const { page, errors, context } = await open(browser, `?w=${slug}`);
    const fields = page.locator('input.number');
    const n = await fields.count();
    for (let i = 0; i < n; i++) {
      const field = fields.nth(i);
      const id = await field.getAttribute('id');
      const before = await field.inputValue();
      for (const bad of ['abc', '-5', '1e400', '', 'NaN', '9'.repeat(400), '<b>x</b>']) {
        await field.fill(bad);
        const message = (await page.locator(`#${id}-error`).textContent()).trim();
        const invalid = (await field.getAttribute('aria-invalid')) === 'true';
        // Every one of these must be refused, except -5 where a field allows negatives.
        if (!invalid && bad !== '-5') failures.push(`${slug} ${id} "${bad.slice(0, 10)}": accepted`);
        if (invalid && !message) failures.push(`${slug} ${id} "${bad.slice(0, 10)}": refused without a message`);
        if (await field.inputValue() !== bad) failures.push(`${slug} ${id}: the text typed was changed`);
      }
      await field.fill(before);
      if (await field.getAttribute('aria-invalid') !== 'false') failures.push(`${slug} ${id}: restoring ${before} did not clear the error`);
    }
    // Still alive: the panic banner never appeared, outputs still hold values.
    if (await page.locator('#panic-banner').count()) failures.push(`${slug}: panic banner shown`);
    failures.push(...errors.map((e) => `${slug}: ${e}`));
    await context.close();
  }
  assert.deepEqual(failures, []);
});
