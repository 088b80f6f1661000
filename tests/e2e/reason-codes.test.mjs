// ?w=reason-codes: the table against the spec, the chapter's errors, search, permalinks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const W = { waitFor: 'output[name="code-name"]' };

test('permalink: 149 is Packet too large, not a rate limit', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&v=5&code=149', W);
  assert.equal(await value(page, 'code-name'), 'Packet too large');
  assert.equal(await value(page, 'code-hex'), '0x95');
  assert.equal(await value(page, 'code-packets'), 'CONNACK,DISCONNECT');
  assert.equal(await value(page, 'code-kind'), 'failure');
  assert.equal(await value(page, 'retry'), 'no');
  assert.deepEqual(errors, []);
  await context.close();
});

test('hex code 0x9F: connection rate exceeded, with the chapter correction and a handler', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&code=0x9F', W);
  assert.equal(await value(page, 'code-name'), 'Connection rate exceeded');
  assert.equal(await value(page, 'retry'), 'with-backoff');
  assert.match(await page.locator('.widget-grid .callout').innerText(), /149/);
  assert.match(await page.locator('.snippet pre').innerText(), /if reason_code == 159:/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('162 filtered to CONNACK is explained as not a CONNACK code', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&code=162&packet=connack', W);
  assert.equal(await value(page, 'code-packets'), 'SUBACK,DISCONNECT');
  assert.equal(await page.locator('.problem').innerText(), '162 (0xA2) is not a CONNACK code; it appears in SUBACK, DISCONNECT.');
  // The CONNACK table has 21 codes and 162 is not among them.
  assert.match(await page.locator('.codes h2').innerText(), /21 shown/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('MQTT 3.1.1: return code 3 is a refusal, paho\'s conversion to 136, with its source', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&v=3&code=3', W);
  assert.equal(await value(page, 'code-name'), 'Connection Refused, Server unavailable');
  // Issue 13, point 1: every 3.1.1 return code but 0 is "Connection Refused".
  assert.equal(await value(page, 'code-kind'), 'failure');
  const note = page.locator('.note').first();
  assert.match(await note.innerText(), /reason code 136 before it calls a VERSION2 on_connect/);
  assert.match(await note.innerText(), /"Server unavailable"/);
  assert.match(await note.locator('a.source').first().getAttribute('href'), /^https:\/\/github\.com\/eclipse\/paho\.mqtt\.python\/blob\/v2\.1\.0\//);
  assert.match(await page.locator('.snippet pre').innerText(), /if reason_code == 136:  # 0x88, "Server unavailable" in paho-mqtt/);
  await typeInto(page, 'Code (decimal or 0x hex)', '7');
  await page.waitForFunction(() => document.querySelector('.problem').textContent.includes('6–255 are reserved'));
  assert.equal(await value(page, 'code-name'), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('search by word and by hex, select from the table, URL follows', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes', W);
  await typeInto(page, 'Search the table', 'password');
  await page.waitForFunction(() => document.querySelectorAll('.codes-table tbody tr').length === 1);
  await page.getByRole('button', { name: 'Show 134' }).click();
  await page.waitForFunction(() => document.querySelector('output[name="code-name"]').dataset.value === 'Bad User Name or Password');
  assert.equal((await params(page)).get('code'), '134');
  assert.equal((await params(page)).get('q'), 'password');
  await typeInto(page, 'Search the table', '0x8E');
  await page.waitForFunction(() => document.querySelector('.codes-table tbody tr td:nth-child(3)')?.textContent === 'Session taken over');
  await typeInto(page, 'Code (decimal or 0x hex)', 'abc');
  await page.waitForFunction(() => document.querySelector('#t-code-error').textContent.includes('not a code'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad code in the URL is ignored with a notice', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&code=zzz', W);
  assert.match(await page.locator('.notices').innerText(), /Ignored code=zzz/);
  assert.equal(await value(page, 'code-hex'), '0x9F');
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 21, item 9: on a phone the table hid its Packets and Show columns in
// a sideways scroll. Each code is now a card: what a student reads and taps
// is on screen, and a row's button is a 44 px target.
test('on a 360 px phone every code is a card: packets, retry and Show in view, no sideways scroll', async () => {
  const { page, errors, context } = await open(browser, '?w=reason-codes&v=5', { ...W, viewport: { width: 360, height: 740 } });
  const region = page.getByRole('region', { name: 'Reason codes' });
  assert.ok(await region.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the table scrolls sideways');
  const row = page.getByRole('row').filter({ hasText: 'Not authorized' }).first();
  await row.scrollIntoViewIfNeeded();
  const inView = (loc) => loc.evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.width > 0; });
  // Every cell of the row, with its words, is on screen.
  const cells = row.getByRole('cell');
  assert.equal(await cells.count(), 6);
  for (let i = 0; i < 6; i++) assert.ok(await inView(cells.nth(i)), `cell ${i + 1} in view`);
  const words = (await row.innerText()).replace(/\s+/g, ' ');
  for (const text of ['135', '0x87', 'Not authorized', 'CONNACK, PUBACK', ' no ']) {
    assert.ok(words.includes(text), `${text} in “${words}”`);
  }
  // Without column headers in view, the card names what each line is.
  const label = (i) => cells.nth(i).evaluate((el) => getComputedStyle(el, '::before').content);
  assert.equal(await label(3), '"Packets: "');
  assert.equal(await label(4), '"Retry: "');
  const show = row.getByRole('button', { name: 'Show 135' });
  assert.ok(await inView(show), 'Show in view');
  const box = await show.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, `Show is ${box.width}×${box.height} px`);
  await show.click();
  assert.equal(await value(page, 'code-name'), 'Not authorized');
  // The same table is still a table to assistive technology.
  assert.equal(await page.getByRole('columnheader', { name: 'Packets' }).count(), 1);
  assert.ok(await page.getByRole('cell', { name: /CONNACK/ }).count() > 5);
  assert.deepEqual(errors, []);
  await context.close();
});
