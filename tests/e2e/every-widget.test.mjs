// Loops over every built widget listed in the gallery (the registry is the
// list of tests): accessibility in light and dark mode and at 360 px, and
// hostile input into every text field without a panic or a lost page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, open } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
let slugs = [];
before(async () => {
  browser = await launch();
  const { page, context } = await open(browser, '?');
  slugs = await page.locator('.gallery .card a').evaluateAll(
    (as) => as.map((a) => new URL(a.href).searchParams.get('w')));
  await context.close();
});
after(async () => { await browser?.close(); });

test('the loop covers every widget of the registry', () => {
  assert.deepEqual([...slugs].sort(), ['backoff', 'battery', 'broker-cost', 'capacity', 'debug', 'exercises', 'live', 'qos', 'reason-codes', 'tls-timeout']);
});

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'],
  }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('no WCAG 2.2 AA violations (axe-core), light, dark and 360 px', async () => {
  const failures = [];
  for (const query of ['?', ...slugs.map((s) => `?w=${s}`)]) {
    for (const [scheme, width] of [['light', 1200], ['dark', 1200], ['light', 360]]) {
      const { page, errors, context } = await open(browser, query, { colorScheme: scheme, viewport: { width, height: 800 } });
      await page.waitForTimeout(150);
      for (const v of await axeViolations(page)) failures.push(`${query} ${scheme} ${width}px: ${v}`);
      failures.push(...errors.map((e) => `${query}: ${e}`));
      // Nothing may stick out sideways on a phone.
      if (width === 360) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) failures.push(`${query} 360px: page is ${overflow}px wider than the screen`);
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
