// ?w=broker-cost: the worked example, and a verdict that flips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('hosting 50, setup 8 h at 75, no upkeep, 3 years, 10 %, 47,000', async () => {
  const { page, errors, context } = await open(browser,
    '?w=broker-cost&hosting_usd_month=50&setup_hours=8&hourly_usd=75&maint_hours_month=0&years=3&breach_pct_year=10&breach_usd=47000',
    { waitFor: 'output[name="private-usd"]' });
  assert.equal(await value(page, 'private-usd'), '2400');
  assert.equal(await value(page, 'public-expected-loss-usd'), '14100');
  assert.equal(Number(await value(page, 'break-even-pct-year')).toFixed(2), '1.70');
  assert.equal(await value(page, 'net-saving-usd'), '11700');
  assert.equal(await value(page, 'verdict'), 'private');
  assert.equal(await page.locator('output[name="private-usd"]').innerText(), '$2,400');
  assert.match(await page.locator('.verdict').innerText(), /5\.9× as much/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a small breach chance with real upkeep flips the verdict, with the security caveat', async () => {
  const { page, errors, context } = await open(browser, '?w=broker-cost', { waitFor: 'output[name="verdict"]' });
  await typeInto(page, 'Upkeep per month (hours)', '4');
  await typeInto(page, 'Chance of a breach per year (%)', '1');
  await page.waitForFunction(() => document.querySelector('output[name="verdict"]').dataset.value === 'public');
  assert.equal(await value(page, 'private-usd'), '13200');
  assert.match(await page.locator('.verdict').innerText(), /anyone can read and send commands/);
  assert.equal((await params(page)).get('maint_hours_month'), '4');
  assert.deepEqual(errors, []);
  await context.close();
});
