// ?w=packets: the packet inspector on its own, offline: a pasted hex dump
// decodes field by field, a broken packet names the byte and the rule, the
// diagram is an ordered list a screen reader reads in order and the keyboard
// moves through, and an exported session opens again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, value, buttonNames } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// CONNECT (5.0, client id "mqtt-lab"), CONNACK with Receive Maximum 20 and
// Topic Alias Maximum 10, then a QoS 2 exchange of one message "hi" on a/b.
const CONNECT = '10 15 00 04 4d 51 54 54 05 02 00 3c 00 00 08 6d 71 74 74 2d 6c 61 62';
const CONNACK = '20 09 00 00 06 21 00 14 22 00 0a';
const QOS2 = '34 0a 00 03 61 2f 62 00 01 00 68 69 50 02 00 01 62 02 00 01 70 02 00 01';
const q = (hex, v = 5) => `?w=packets&v=${v}&hex=${encodeURIComponent(hex)}`;

// The accessible name of each row, as a screen reader announces it (from
// the accessibility tree, not the markup).
const rowNames = (page) => buttonNames(page, 'ol.seq-list');
const fieldRows = (page) => page.locator('.fields-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));

test('a pasted dump decodes offline, field by field, with each field linked to its section', async () => {
  const { page, errors, context } = await open(browser, q(`${CONNECT} ${CONNACK}`));
  // Offline: from here on every request fails; decoding needs none.
  await context.route('**/*', (route) => route.abort());
  assert.equal(await value(page, 'packets'), '2');
  assert.equal(await value(page, 'error-rule'), '');
  assert.deepEqual(await rowNames(page), [
    '#1, client → broker: CONNECT clean_start=1 keepalive=60 id="mqtt-lab"',
    '#2, broker → client: CONNACK session_present=0 0x00',
  ]);
  // The first packet is open: every field with its value, bytes and a § link.
  const rows = await fieldRows(page);
  assert.deepEqual(rows.map((r) => r[0]), ['Packet Type', 'Flags', 'Remaining Length', 'Protocol Name', 'Protocol Level',
    'Connect Flags', 'Keep Alive', 'Properties', 'Property Length', 'Client Identifier']);
  assert.deepEqual(rows.find((r) => r[0] === 'Keep Alive'), ['Keep Alive', '60', '10–11', '§3.1.2.10']);
  assert.ok(rows.every((r) => r[3].startsWith('§')), 'every field links to its section');
    // Links open the section itself: the standard's own bookmarks (2.1.2 MQTT
  // Control Packet type, 3.1.2.10 Keep Alive in the 5.0 contents).
  const spec = 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html';
  assert.equal(await page.locator('.fields-table a').first().getAttribute('href'), `${spec}#_Toc3901022`);
  assert.equal(await page.locator('.fields-table tr', { hasText: 'Keep Alive' }).locator('a').getAttribute('href'), `${spec}#_Toc3901045`);
  // Choosing a field highlights exactly its bytes.
  await page.getByRole('button', { name: 'Client Identifier' }).click();
  assert.deepEqual(await page.locator('.hex-view .byte.sel').allInnerTexts(), ['00', '08', '6d', '71', '74', '74', '2d', '6c', '61', '62']);
  // The CONNACK's properties, in the version the session speaks.
  await page.getByRole('button', { name: /^#2, / }).click();
  const connack = await fieldRows(page);
  assert.deepEqual(connack.find((r) => r[0] === 'Receive Maximum'), ['Receive Maximum', '20', '5–7', '§3.2.2.3']);
  assert.deepEqual(errors.filter((e) => !e.includes('net::ERR_FAILED')), []);
  await context.close();
});

test('a broken packet names the byte and the rule, and the packets after it are still read', async () => {
  // PINGRESP, a PUBLISH with QoS 3, PINGRESP.
  const { page, errors, context } = await open(browser, q('d0 00 36 03 00 01 74 d0 00', 3));
  assert.equal(await value(page, 'error-rule'), '[MQTT-3.3.1-4]');
  assert.equal(await page.locator('output[name="error-rule"]').innerText(), '[MQTT-3.3.1-4] at byte 2');
  await page.getByRole('button', { name: /^#2, / }).click();
  assert.match(await page.locator('.packet-detail .problem').innerText(), /Malformed packet at byte 0: QoS 3: both QoS bits are 1 \(\[MQTT-3\.3\.1-4\]\)/);
  assert.equal(await page.locator('.hex-view .byte.err').innerText(), '36');
  assert.equal((await rowNames(page)).length, 3);
  // Bad hex is a message beside the field; the rest of the page keeps working.
  await page.getByLabel('Bytes in hex', { exact: true }).fill('12 3');
  await page.waitForFunction(() => document.querySelector('#t-hex-error').textContent.includes('odd number'));
  await page.getByLabel('Bytes in hex', { exact: true }).fill('zz');
  await page.waitForFunction(() => document.querySelector('#t-hex-error').textContent.includes('not hexadecimal'));
  await page.getByRole('button', { name: 'QoS 2, one message (5.0)' }).click();
  assert.equal(await value(page, 'packets'), '4');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the diagram reads in order and the keyboard moves through it', async () => {
  const { page, errors, context } = await open(browser, q(QOS2));
  // What a screen reader reads, in order: each row says its direction in words.
  assert.equal(await page.getByRole('list', { name: 'Packets in the dump' }).count(), 1);
  assert.deepEqual(await rowNames(page), ['#1, either direction: PUBLISH qos=2 id=1 "a/b"', '#2, either direction: PUBREC id=1',
    '#3, either direction: PUBREL id=1', '#4, either direction: PUBCOMP id=1']);
  await page.locator('button.seq-row').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.packet-detail h3').textContent === 'PUBREL id=1');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.packet-detail h3').textContent === 'PUBCOMP id=1');
  assert.equal(await page.locator('button.seq-row[aria-pressed="true"]').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an exported session opens again, with its directions and times; a bad file is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-session-'));
  const good = join(dir, 'session.json');
  writeFileSync(good, JSON.stringify({
    format: 'mqtt-lab-session/1', protocol: '5.0',
    packets: [
      { seq: 1, at_ms: 1000, dir: 'sent', hex: 'c000', summary: 'PINGREQ', error: null, fields: [] },
      { seq: 2, at_ms: 1012, dir: 'received', hex: 'd000', summary: 'PINGRESP', error: null, fields: [] },
    ],
  }));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"format": "something else", "packets": []}');
  const { page, errors, context } = await open(browser, '?w=packets');
  await page.getByLabel(/Or open a session/).setInputFiles(good);
  await page.waitForFunction(() => document.querySelector('output[name="packets"]').textContent.includes('session.json'));
  assert.deepEqual(await rowNames(page), ['0 ms, client → broker: PINGREQ (keepalive)', '12 ms, broker → client: PINGRESP (keepalive)']);
  await page.getByLabel(/Or open a session/).setInputFiles(bad);
  await page.waitForFunction(() => document.querySelector('[role=alert].field-error').textContent.includes('bad.json: format'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('axe-clean with a packet open, light and dark, 1280 and 360 px', async () => {
  const failures = [];
  for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 360], ['dark', 360]]) {
    const { page, context } = await open(browser, q(`${CONNECT} ${CONNACK} 36 03 00 01 74`), { colorScheme: scheme, viewport: { width, height: 800 } });
    await page.getByRole('button', { name: 'Client Identifier' }).click();
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() => window.axe.run(document));
    for (const v of result.violations) failures.push(`${scheme} ${width}: ${v.id} ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) failures.push(`${scheme} ${width}: ${overflow}px sideways scroll`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});
