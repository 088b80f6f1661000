// The packet inspector on the live page, against a real mosquitto: a QoS 2
// exchange shows every packet type with every field explained, reads in
// order, exports a session that opens again offline, and is axe-clean at
// 360 px in both themes. And the WebSocket rules of MQTT §6, against a
// WebSocket server of this file's own (the `ws` package): the client offers
// the subprotocol "mqtt", sends only binary frames, and closes on a text frame.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { launch, open, value, buttonNames, exportSession } from './browser.mjs';
import { startMosquitto, freePort } from './mosquitto.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-inspector-'));
chmodSync(dir, 0o755);
let browser, broker, ws;

before(async () => {
  const tcp = await freePort();
  ws = await freePort();
  broker = await startMosquitto(join(dir, 'open.conf'),
    `per_listener_settings true\npersistence false\nlistener ${tcp} 127.0.0.1\nallow_anonymous true\nlistener ${ws} 127.0.0.1\nprotocol websockets\nallow_anonymous true\n`, tcp);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  broker?.kill('SIGKILL');
});

const W = { waitFor: 'output[name="status"]' };
const status = (page, s) => page.waitForFunction(
  (want) => document.querySelector('output[name="status"]').dataset.value === want, s, { timeout: 15000 });
/** The accessible names of the diagram's rows, from the accessibility tree. */
const rowNames = buttonNames;

async function qos2Exchange(options = {}) {
  const { page, errors, context } = await open(browser, `?w=live&url=ws://127.0.0.1:${ws}&v=5&topic=mqtt-lab/inspect&qos=2`, { ...W, ...options });
  await page.getByLabel('Watch $SYS/broker/clients/connected on connect').uncheck();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await status(page, 'connected');
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.subs').innerText.includes('granted QoS 2'));
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  // Ours out (PUBLISH, PUBREC in, PUBREL, PUBCOMP in) and the broker's back to us.
  await page.waitForFunction(() => [...document.querySelectorAll('.inspector button.seq-row')]
    .filter((b) => b.textContent.includes('PUBCOMP')).length >= 2, null, { timeout: 15000 });
  return { page, errors, context };
}

test('a QoS 2 exchange with mosquitto: every packet type, every field explained, in reading order', async () => {
  const { page, errors, context } = await qos2Exchange();
  const names = await rowNames(page, '.inspector ol.seq-list');
  // The order of the learner's own message: CONNECT … PUBCOMP, each with its direction in words.
  const wanted = ['client → broker: CONNECT', 'broker → client: CONNACK', 'client → broker: SUBSCRIBE', 'broker → client: SUBACK',
    'client → broker: PUBLISH qos=2', 'broker → client: PUBREC', 'client → broker: PUBREL', 'broker → client: PUBCOMP'];
  let at = -1;
  for (const w of wanted) {
    const i = names.findIndex((n, k) => k > at && n.includes(w));
    assert.ok(i > at, `${w} after row ${at}: ${names.join(' | ')}`);
    at = i;
  }
  assert.match(names[0], /^0 ms, note: WebSocket open, subprotocol mqtt$/);
  // Open each of the eight: a fields table in which every field has a value, bytes and a § link.
  for (const type of ['CONNECT', 'CONNACK', 'SUBSCRIBE', 'SUBACK', 'PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP']) {
    await page.locator('.inspector button.seq-row', { hasText: type }).first().click();
    await page.waitForFunction((t) => document.querySelector('.packet-detail h3')?.textContent.startsWith(t), type);
    const rows = await page.locator('.fields-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
    assert.ok(rows.length >= 4, `${type}: ${rows.length} fields`);
    for (const [name, v, bytes, section] of rows) {
      assert.ok(name && bytes && /^§\d/.test(section), `${type} ${name}: value ${v}, bytes ${bytes}, section ${section}`);
    }
    assert.equal(await page.locator('.packet-detail .problem').count(), 0, type);
  }
  // MQTT 5 sections, in the version the session speaks.
  await page.locator('.inspector button.seq-row', { hasText: 'CONNECT' }).first().click();
  const connect = await page.locator('.fields-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[0].innerText.trim()));
  assert.ok(connect.includes('Maximum Packet Size') && connect.includes('Topic Alias Maximum'), connect.join(', '));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the session exports as JSON and opens again in the standalone inspector', async () => {
  const { page, errors, context } = await qos2Exchange();
  const file = join(dir, 'session.json');
  const session = await exportSession(page, file);
  assert.equal(session.format, 'mqtt-lab-session/1');
  const types = session.packets.map((p) => p.summary.split(' ')[0]);
  for (const t of ['CONNECT', 'CONNACK', 'SUBSCRIBE', 'SUBACK', 'PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP']) assert.ok(types.includes(t), t);
  assert.ok(session.packets.find((p) => p.summary.startsWith('CONNECT')).fields.some((f) => f.name === 'Client Identifier'));
  await context.close();
  const standalone = await open(browser, '?w=packets');
  await standalone.page.getByLabel(/Or open a session/).setInputFiles(file);
  await standalone.page.waitForFunction(() => document.querySelector('output[name="packets"]').textContent.includes('session.json'));
  const names = await rowNames(standalone.page, 'ol.seq-list');
  assert.ok(names.some((n) => /client → broker: PUBREL id=\d+$/.test(n)), names.join(' | '));
  assert.equal(await value(standalone.page, 'error-rule'), '');
  assert.deepEqual([...errors, ...standalone.errors], []);
  await standalone.context.close();
});

test('axe-clean with packets shown and one open, light and dark, at 360 px', async () => {
  const failures = [];
  for (const scheme of ['light', 'dark']) {
    const { page, context } = await qos2Exchange({ colorScheme: scheme, viewport: { width: 360, height: 800 } });
    await page.locator('.inspector button.seq-row', { hasText: 'PUBLISH' }).first().click();
    await page.getByRole('button', { name: 'Topic Name' }).click();
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() => window.axe.run(document));
    for (const v of result.violations) failures.push(`${scheme}: ${v.id} ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) failures.push(`${scheme}: ${overflow}px sideways scroll`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

// MQTT §6 (both versions): the client offers "mqtt" [MQTT-6.0.0-3], sends
// its packets in binary frames, and closes when a text frame arrives
// [MQTT-6.0.0-1].
test('WebSocket rules: "mqtt" offered, binary frames only, a text frame closes the connection', async () => {
  const seen = { offered: null, frames: [], closed: false };
  const server = new WebSocketServer({
    host: '127.0.0.1', port: 0, perMessageDeflate: false,
    handleProtocols: (offered) => { seen.offered = [...offered]; return 'mqtt'; },
  });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (sock) => {
    sock.on('message', (data, isBinary) => {
      seen.frames.push(isBinary);
      // CONNACK 0, then a text frame where packets must be binary.
      if (seen.frames.length === 1) {
        sock.send(Buffer.from([0x20, 3, 0, 0, 0]));
        setTimeout(() => sock.send('not MQTT'), 200);
      }
    });
    sock.on('close', () => { seen.closed = true; });
  });
  const { page, errors, context } = await open(browser, `?w=live&url=ws://127.0.0.1:${server.address().port}&v=5`, W);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await status(page, 'failed');
  assert.match(await page.locator('.status-text').innerText(), /text frame.*\[MQTT-6\.0\.0-1\]/);
  assert.deepEqual(seen.offered, ['mqtt']);
  assert.ok(seen.frames.length >= 1 && seen.frames.every((b) => b === true), JSON.stringify(seen.frames));
  await page.waitForTimeout(300);
  assert.ok(seen.closed, 'the page closed the WebSocket');
  assert.deepEqual(errors, []);
  await context.close();
  await new Promise((r) => server.close(r));
});
