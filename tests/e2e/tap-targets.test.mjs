// Issue 21: on a phone, radio labels and small buttons were under 44 px, the
// size a finger needs (WCAG 2.5.5). On every widget at 360 px, every button
// and every radio or check box label that is shown is at least 44 px tall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, registry } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('every widget at 360 px: buttons and choice labels are 44 px targets', async () => {
  const small = [];
  let measured = 0;
  const slugs = await registry(browser);
  assert.ok(slugs.length >= 10, `registry: ${slugs}`);
  for (const slug of slugs) {
    const { page, context } = await open(browser, `?w=${slug}`, { viewport: { width: 360, height: 740 } });
    // The widget is drawn once its heading is there.
    await page.waitForSelector('main h1');
    await page.waitForTimeout(200);
    const targets = await page.evaluate(() => [...document.querySelectorAll('main button, main label.choice-option, main label.check')]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => [`${el.tagName.toLowerCase()}.${el.className} “${el.textContent.trim().slice(0, 30)}”`, el.getBoundingClientRect().height]));
    measured += targets.length;
    for (const [what, h] of targets) if (h < 44) small.push(`${slug}: ${what} ${Math.round(h)} px`);
    await context.close();
  }
  assert.ok(measured > 100, `only ${measured} targets measured`);
  assert.deepEqual(small, []);
});
