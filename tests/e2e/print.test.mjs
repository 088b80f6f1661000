// Printing a widget for a worksheet: inputs, results, chart and snippets in
// full and in the light colours, without the controls that only work on
// screen. The PDF goes to tests/e2e/artifacts/ for a human look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { launch, open } from './browser.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url);

let browser;
before(async () => {
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => { await browser?.close(); });

for (const [slug, query] of [['capacity', '?w=capacity'], ['tls-timeout', '?w=tls-timeout'], ['exercises', '?w=exercises&tab=code']]) {
  test(`print ${slug}: nothing cut off, no screen-only controls, light colours, chart redrawn for paper`, async () => {
    // A reader in dark mode prints: paper still gets dark text on white.
    const { page, errors, context } = await open(browser, query, { colorScheme: 'dark', waitFor: 'output[data-value]' });
    await page.waitForTimeout(300);
    // Printing for real (the PDF): the charts are redrawn at the paper's width when
    // the page switches to print (the app's listener runs before this probe's).
    await page.evaluate(() => {
      window.printed = null;
      matchMedia('print').addEventListener('change', (e) => {
        if (e.matches) {
          window.printed = [...document.querySelectorAll('.chart canvas')].map((c) => (
            { backing: c.width, css: Math.round(c.getBoundingClientRect().width * devicePixelRatio) }));
        }
      });
    });
    const pdf = await page.pdf({ path: new URL(`${slug}.pdf`, ARTIFACTS).pathname, format: 'A4' });
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    const printed = await page.evaluate(() => window.printed);
    assert.ok(printed, 'the page switched to print');
    for (const c of printed) assert.ok(Math.abs(c.backing - c.css) <= 2 && c.css < 1000, `canvas on paper ${JSON.stringify(c)}`);
    if (slug !== 'exercises') assert.ok(printed.length > 0);

    // The print layout, looked at in the page.
    await page.emulateMedia({ media: 'print' });
    const layout = await page.evaluate(() => {
      const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
      // Anything that would need scrolling is cut off on paper.
      const cut = [...document.querySelectorAll('main *')]
        .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map((e) => `${e.tagName}.${e.className}`);
      return {
        cut,
        shown: ['output', '.snippet pre, .challenge', '.field input.number, .field select, .choice'].map(visible),
        hidden: ['.site-header', '.share', 'button', 'input[type="range"]'].filter(visible),
        text: getComputedStyle(document.body).color,
        online: document.querySelector('.print-only')?.textContent ?? '',
      };
    });
    assert.deepEqual(layout.cut, []);
    assert.deepEqual(layout.shown, [true, true, true]);
    assert.deepEqual(layout.hidden, []);
    assert.equal(layout.text, 'rgb(27, 31, 36)');
    assert.match(layout.online, /^Online: http/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
