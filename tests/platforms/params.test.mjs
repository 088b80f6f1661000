// The parameter file the course tools check against (widgets.json, generated from the
// core's registry and field specs) names what the widgets really read: each widget,
// opened with every parameter of the file set to a value other than its default, shows
// no "Ignored" notice and writes every one of them back into its address (a widget
// writes back only the parameters it owns: src/url_state.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, open, params } from '../e2e/browser.mjs';
import { EXT } from './lib.mjs';

let browser;
let file;
before(async () => {
  browser = await launch();
  file = JSON.parse(await readFile(join(EXT, 'widgets.json'), 'utf8'));
});
after(async () => { await browser?.close(); });

/** A value the spec accepts that is not its default. */
function otherValue(p) {
  if (p.type === 'choice') return p.options.find((o) => o !== p.default);
  if (p.type === 'text') return p.example;
  const step = p.integer ? 1 : (p.max - p.min) / 7;
  let v = p.default + step <= p.max ? p.default + step : p.default - step;
  if (!p.integer) v = Math.round(v * 100) / 100;
  return String(v);
}

test('every widget takes every parameter of widgets.json', async () => {
  const failures = [];
  for (const w of file.widgets) {
    const set = Object.fromEntries(w.params.map((p) => [p.key, otherValue(p)]));
    const query = `?w=${w.slug}&${new URLSearchParams(set)}`;
    const { page, context } = await open(browser, query);
    await page.waitForTimeout(300);
    const notices = await page.getByText(/^Ignored /).allInnerTexts();
    if (notices.length) failures.push(`${w.slug}: ${notices.join(' | ')}`);
    const back = await params(page);
    for (const [key, value] of Object.entries(set)) {
      if (back.get(key) !== value) failures.push(`${w.slug}: ${key}=${value} came back as ${back.get(key)}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
  assert.equal(file.widgets.length, 11);
});
