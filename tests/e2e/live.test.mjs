// ?w=live against real mosquitto brokers that this file starts on 127.0.0.1
// (one open, one with a password file and an ACL), and restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, value, typeInto } from './browser.mjs';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync) ?? 'mosquitto';
const dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-brokers-'));
// mosquitto started as root drops to its own user, which must read these files.
chmodSync(dir, 0o755);
let browser;
const brokers = {};

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function startBroker(name, extra = '') {
  const b = brokers[name] ?? { ws: await freePort(), tcp: await freePort() };
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `per_listener_settings true\npersistence false\nlistener ${b.tcp} 127.0.0.1\n${extra}\nlistener ${b.ws} 127.0.0.1\nprotocol websockets\n${extra}\n`);
  b.proc = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  brokers[name] = b;
  // Ready when the TCP listener accepts.
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise((r) => {
      const s = connect(b.tcp, '127.0.0.1');
      s.on('connect', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mosquitto ${name} did not start`);
}

function stopBroker(name) {
  brokers[name]?.proc?.kill('SIGKILL');
}

before(async () => {
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  execFileSync('mosquitto_passwd', ['-b', passwd, 'alice', 'right-password']);
  chmodSync(passwd, 0o644);
  writeFileSync(join(dir, 'acl'), 'user alice\ntopic readwrite mqtt-lab/#\n');
  await startBroker('open', 'allow_anonymous true');
  await startBroker('auth', `allow_anonymous false\npassword_file ${passwd}\nacl_file ${join(dir, 'acl')}`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const name of Object.keys(brokers)) stopBroker(name);
});

const W = { waitFor: 'output[name="status"]' };
const status = (page, s, timeout = 15000) => page.waitForFunction(
  (want) => document.querySelector('output[name="status"]').dataset.value === want, s, { timeout });

async function connectPage(query, { user, pass, will } = {}) {
  const { page, errors, context } = await open(browser, query, W);
  if (user) await typeInto(page, 'User name', user);
  if (pass) await typeInto(page, 'Password (never stored or put in the address)', pass);
  if (will) {
    await page.locator('details.overrides summary').first().click();
    await typeInto(page, 'Will topic (empty: no Will)', will);
  }
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  return { page, errors, context };
}

test('connect, subscribe, publish to itself at QoS 0, 1 and 2', async () => {
  const url = `ws://127.0.0.1:${brokers.open.ws}`;
  const { page, errors, context } = await connectPage(`?w=live&url=${url}&v=5&topic=mqtt-lab/t1`);
  await status(page, 'connected');
  assert.equal(await value(page, 'reason-code'), '0');
  assert.ok(Number(await value(page, 'connect-ms')) >= 0);
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.subs').innerText.includes('granted QoS 1'));
  for (const q of ['0', '1', '2']) {
    await page.getByRole('group', { name: 'QoS' }).getByLabel(q, { exact: true }).check();
    await typeInto(page, 'Payload', `<b>hello ${q}</b>`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForFunction((q) => [...document.querySelectorAll('.log-table tbody tr')].some((tr) => tr.innerText.includes(`hello ${q}`)), q);
  }
  // Payloads are text, never markup.
  assert.equal(await page.locator('.log-table b').count(), 0);
  assert.ok(Number(await value(page, 'messages-received')) >= 3);
  // The password never reaches the URL.
  assert.ok(!page.url().includes('password'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a retained message arrives on subscribe; the round trip counts every message', async () => {
  const port = brokers.open.tcp;
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'mqtt-lab/retained', '-m', 'kept', '-r', '-q', '1']);
  const { page, errors, context } = await connectPage(`?w=live&url=ws://127.0.0.1:${brokers.open.ws}&v=3&topic=mqtt-lab/retained&qos=1`);
  await status(page, 'connected');
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.log-table tbody tr')].some((tr) => tr.innerText.includes('kept') && tr.cells[2].innerText === 'yes'));
  await typeInto(page, 'Messages in the round-trip test', '50');
  await page.getByRole('button', { name: 'Publish to myself and count' }).click();
  await page.waitForFunction(() => document.querySelector('.rtt-result').innerText.includes('50 of 50 delivered at QoS 1, 0 duplicates'), null, { timeout: 15000 });
  // A flood: 1,000 messages at once. The log keeps the newest 200 and counts the rest.
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'mqtt-lab/retained', '-l', '-q', '0'],
    { input: Array.from({ length: 1000 }, (_, i) => `flood ${i}`).join('\n') + '\n' });
  await page.waitForFunction(() => document.querySelector('.log-table tbody tr')?.innerText.includes('flood 999'), null, { timeout: 15000 });
  assert.equal(await page.locator('.log-table tbody tr').count(), 200);
  assert.match(await page.locator('.dropped').innerText(), /older or paused messages not shown/);
  // Still responsive: the page reacts to a click at once.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 2000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Will is delivered when a connection is dropped', async () => {
  const url = `ws://127.0.0.1:${brokers.open.ws}`;
  const watcher = await connectPage(`?w=live&url=${url}&v=5&topic=mqtt-lab/will/pump&qos=1`);
  await status(watcher.page, 'connected');
  await watcher.page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await watcher.page.waitForFunction(() => document.querySelector('.subs').innerText.includes('granted'));
  const device = await connectPage(`?w=live&url=${url}&v=5`, { will: 'mqtt-lab/will/pump' });
  await status(device.page, 'connected');
  await device.page.getByRole('button', { name: 'Drop the connection (sends the Will)' }).click();
  await watcher.page.waitForFunction(() => [...document.querySelectorAll('.log-table tbody tr')].some((tr) => tr.innerText.includes('offline')), null, { timeout: 15000 });
  // The dropped client reconnects by itself.
  await status(device.page, 'connected', 20000);
  assert.deepEqual([...watcher.errors, ...device.errors], []);
  await watcher.context.close();
  await device.context.close();
});

// The specs have "bad user name or password" codes (MQTT 5: 134; 3.1.1: 4), but
// mosquitto 2.0.11 answers a wrong password with "not authorized": 135 on MQTT 5
// and 5 on 3.1.1 (observed here). The page shows what the broker sends.
test('a wrong password is refused with the code mosquitto sends (135 on MQTT 5, 5 on 3.1.1); the right one connects', async () => {
  const url = `ws://127.0.0.1:${brokers.auth.ws}`;
  for (const [v, code] of [['3', '5'], ['5', '135']]) {
    const { page, errors, context } = await connectPage(`?w=live&url=${url}&v=${v}`, { user: 'alice', pass: 'wrong' });
    await status(page, 'failed');
    assert.equal(await value(page, 'reason-code'), code);
    assert.match(await page.locator('.status-text').innerText(), /retrying cannot help/);
    assert.deepEqual(errors, []);
    await context.close();
  }
  const { page, errors, context } = await connectPage(`?w=live&url=${url}&v=5`, { user: 'alice', pass: 'right-password' });
  await status(page, 'connected');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the broker restarts and the page reconnects with backoff', async () => {
  const { page, errors, context } = await connectPage(`?w=live&url=ws://127.0.0.1:${brokers.open.ws}&v=5`);
  await status(page, 'connected');
  stopBroker('open');
  await status(page, 'reconnecting');
  assert.match(await page.locator('.status-text').innerText(), /retrying in [\d.]+ s \(attempt \d/);
  await startBroker('open', 'allow_anonymous true');
  await status(page, 'connected', 40000);
  // An attempt made while the broker is down is logged by the browser itself.
  assert.deepEqual(errors.filter((e) => !e.includes('WebSocket connection to')), []);
  await context.close();
});

test('bad input: an unparsable URL and a refused connection are messages, not crashes', async () => {
  const { page, errors, context } = await open(browser, '?w=live&url=mqtt://nope', W);
  assert.match(await page.locator('.notices').innerText(), /Ignored url=mqtt:\/\/nope/);
  await typeInto(page, 'Broker WebSocket URL', 'http://x');
  await page.waitForFunction(() => document.querySelector('#t-url-error').textContent.includes('ws:// or wss://'));
  await typeInto(page, 'Broker WebSocket URL', 'ws://test.mosquitto.org:8080');
  await page.waitForFunction(() => document.querySelector('.warnings').innerText.includes('public test broker'));
  // Nothing listens on this port: the page says so and keeps retrying.
  const closed = await freePort();
  await typeInto(page, 'Broker WebSocket URL', `ws://127.0.0.1:${closed}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await status(page, 'reconnecting');
  assert.match(await page.locator('.status-text').innerText(), /could not be made/);
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await status(page, 'disconnected');
  // The browser logs failed WebSocket connections itself; nothing else may appear.
  assert.deepEqual(errors.filter((e) => !e.includes('WebSocket connection to')), []);
  await context.close();
});
