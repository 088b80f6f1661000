// Faults with a real broker (issue 23): the live page talks to mosquitto through a
// proxy (tests/interop/proxy.mjs) that cuts its connection in the middle of packets,
// with a persistent session (clean start 0, session expiry 1 h). Publishing from the
// page, an independent mosquitto_sub on the broker's TCP listener counts what arrived;
// receiving, mosquitto_pub sends to the page while its connection is down, and the
// page's own counts say what arrived. The broker logs every packet (log_type all), so
// the page's count of its resends is checked against what the broker received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, typeInto, value } from './browser.mjs';
import { sleep } from './mosquitto.mjs';
import { BROKERS, USER, PASSWORD } from '../interop/brokers.mjs';
import { startProxy } from '../interop/proxy.mjs';

let browser;
let broker;
let proxy;
const procs = [];
// Persistence on (for the restart test; mosquitto.conf(5): saved on exit and every
// autosave_interval), and every packet in the log.
let dir;
const persistent = () => `persistence true\npersistence_location ${dir}/\nlog_type all\n`;
before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-faults-'));
  broker = await BROKERS.mosquitto.start(dir, { extra: persistent() });
  proxy = await startProxy(broker.wsPort);
});
after(async () => {
  await browser?.close();
  for (const p of procs) p.kill('SIGKILL');
  await proxy?.close();
  broker?.stop();
});

const status = (page) => page.locator('output[name="status"]').getAttribute('data-value');

/**
 * What mosquitto logged receiving from `clientId` (log_type all): "Received PUBLISH from
 * ID (d0, q1, r0, m5, 'topic', ... (N bytes))", first copies (d0) and resends (d1).
 */
function brokerReceived(clientId) {
  const lines = broker.output().split('\n').filter((l) => l.includes(`Received PUBLISH from ${clientId} (`));
  return { first: lines.filter((l) => l.includes('(d0,')).length, again: lines.filter((l) => l.includes('(d1,')).length };
}

/** Publishes of mosquitto to `clientId` (log_type all): first copies (d0) and resends (d1). */
function brokerSent(clientId, log) {
  const lines = log.split('\n').filter((l) => l.includes(`Sending PUBLISH to ${clientId} (`));
  return { first: lines.filter((l) => l.includes('(d0,')).length, again: lines.filter((l) => l.includes('(d1,')).length };
}
async function until(what, f, ms) {
  for (let t = 0; t < ms; t += 50) {
    if (await f()) return;
    await sleep(50);
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** A seeded random number generator (mulberry32), so that a failing run can be repeated. */
function random(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const qos of [1, 2]) test(`1,000 QoS ${qos} messages from the page while the proxy cuts its connection 5 times: mosquitto_sub gets every one${qos === 2 ? ', once' : ''}`, async () => {
  const seed = Number(process.env.FAULTS_SEED ?? 23) + qos;
  const rnd = random(seed);
  const { page, errors, context } = await open(browser, `?w=live&url=ws://127.0.0.1:${proxy.port}&v=5&qos=${qos}`, { waitFor: 'output[name="status"]' });
  const clientId = `faults-out-q${qos}`;
  await typeInto(page, 'Client id (empty: a random one)', clientId);
  await page.getByLabel('Watch $SYS/broker/clients/connected on connect').uncheck();
  await page.getByLabel('Clean start (off: keep the session for an hour)').uncheck();
  await typeInto(page, 'User name', USER);
  await typeInto(page, 'Password (never stored or put in the address)', PASSWORD);
  // The round trip's QoS: the one QoS choice, or also the publish form's own where the page has one.
  const own = page.getByRole('group', { name: 'Publish QoS', exact: true });
  if (await own.count()) await own.getByLabel(String(qos), { exact: true }).check();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await until('connected', async () => (await status(page)) === 'connected', 10000);

  // The independent subscriber: every round-trip message, at QoS 1, each line counted.
  const sub = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(broker.tcp), '-u', USER, '-P', PASSWORD,
    '-t', 'mqtt-lab/rtt/#', '-q', String(qos), '-d', '-F', 'MSG\t%p'], { stdio: ['ignore', 'pipe', 'inherit'] });
  procs.push(sub);
  let out = '';
  sub.stdout.on('data', (d) => { out += d; });
  await until('mosquitto_sub subscribed', () => out.includes('received SUBACK'), 5000);
  const payloads = () => out.split('\n').filter((l) => l.startsWith('MSG\t')).map((l) => l.slice(4));

  await typeInto(page, 'Messages in the round-trip test', '1000');
  const cuts = 5;
  const before = proxy.cuts.length;
  proxy.cutAfter(500 + Math.floor(rnd() * 4000));
  const started = Date.now();
  await page.getByRole('button', { name: 'Publish to myself and count' }).click();
  // Each time the page is connected again, the next cut is armed, at a random byte.
  // How long each reconnect took (cut to connected, polled every 50 ms): the backoff's
  // full jitter, then WebSocket, CONNECT and CONNACK.
  const reconnectMs = [];
  for (let i = 1; i <= cuts; i++) {
    await until(`cut ${i}`, () => proxy.cuts.length >= before + i, 60000);
    const cutAt = Date.now();
    await until(`reconnected after cut ${i}`, async () => (await status(page)) === 'connected', 60000);
    reconnectMs.push(Date.now() - cutAt);
    if (i < cuts) proxy.cutAfter(500 + Math.floor(rnd() * 4000));
  }
  await until('all 1,000 at mosquitto_sub', () => new Set(payloads()).size >= 1000, 90000);
  const allMs = Date.now() - started;
  await sleep(500);
  const got = payloads();
  const distinct = new Set(got);
  const duplicates = got.length - distinct.size;
  console.log(`# faults, QoS ${qos} (seed ${seed}): cuts at bytes ${proxy.cuts.slice(before).join(', ')} of their connections; ${proxy.connections} connections so far; `
    + `${distinct.size} distinct of ${got.length} received, ${duplicates} duplicates; reconnected after ${reconnectMs.join(', ')} ms; all 1,000 in ${allMs} ms`);
  assert.equal(proxy.cuts.length - before, cuts);
  assert.equal(distinct.size, 1000);
  // QoS 2 end to end (page to broker at QoS 2, broker to mosquitto_sub at QoS 2): exactly once.
  if (qos === 2) assert.equal(duplicates, 0);
  // The page's own subscription (kept by the session) got every one back too.
  const result = page.getByRole('status').filter({ hasText: /^Round trip 1:/ });
  await result.filter({ hasText: `1000 of 1000 delivered at QoS ${qos}` }).waitFor({ timeout: 30000 });
  if (qos === 2) assert.match(await result.innerText(), /1000 of 1000 delivered at QoS 2, 0 duplicates/);
  // The page's count of its own resends (DUP 1) against what the broker received from
  // it: every PUBLISH the broker got was forwarded once to mosquitto_sub, whose own
  // connection is never cut, so its duplicates are the broker's receptions beyond the
  // 1,000; the resends that reached the broker are at most the page's count, and the
  // page lost at most what was in flight at each cut (mosquitto's Receive Maximum, 20).
  const resent = Number(await value(page, 'resent'));
  const received = brokerReceived(clientId);
  console.log(`# faults, QoS ${qos}: the page resent ${resent}; the broker received ${received.first} first copies and ${received.again} resends`);
  assert.equal(duplicates, qos === 1 ? received.first + received.again - 1000 : 0);
  assert.ok(received.again <= resent && resent <= received.again + 20 * cuts, `${received.again} <= ${resent} <= ${received.again} + ${20 * cuts}`);
  assert.ok(resent > 0);
  // The browser logs a WebSocket that failed; nothing else may appear.
  assert.deepEqual(errors.filter((e) => !e.includes('WebSocket connection to')), []);
  await context.close();
});

/**
 * Opens the live page through the proxy as `clientId` with a persistent session on
 * MQTT 5, connects, and subscribes to `filter` at `qos`; resolves with the page once
 * SUBACK granted it.
 */
async function persistentSubscriber(clientId, filter, qos) {
  const { page, errors, context } = await open(browser, `?w=live&url=ws://127.0.0.1:${proxy.port}&v=5&qos=${qos}`, { waitFor: 'output[name="status"]' });
  await typeInto(page, 'Client id (empty: a random one)', clientId);
  await page.getByLabel('Watch $SYS/broker/clients/connected on connect').uncheck();
  await page.getByLabel('Clean start (off: keep the session for an hour)').uncheck();
  await typeInto(page, 'User name', USER);
  await typeInto(page, 'Password (never stored or put in the address)', PASSWORD);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await until('connected', async () => (await status(page)) === 'connected', 10000);
  await typeInto(page, 'Topic filter', filter);
  await page.getByRole('group', { name: 'QoS', exact: true }).getByLabel(String(qos), { exact: true }).check();
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: filter }).filter({ hasText: `granted QoS ${qos}` }).waitFor({ timeout: 10000 });
  return { page, errors, context };
}

/** mosquitto_pub sends `n` messages, "m0" to "m(n-1)", to `topic` at `qos`, one per line of its input. */
function publishLines(topic, qos, n) {
  const lines = join(dir, `lines-${qos}.txt`);
  writeFileSync(lines, Array.from({ length: n }, (_, i) => `m${i}`).join('\n') + '\n');
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', `mosquitto_pub -h 127.0.0.1 -p ${broker.tcp} -u ${USER} -P ${PASSWORD} -V mqttv5 -t ${topic} -q ${qos} -l < ${lines}`], { stdio: 'inherit' });
    procs.push(p);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited with ${code}`))));
  });
}

for (const restart of [false, true]) for (const qos of [1, 2]) test(`1,000 QoS ${qos} messages to the page while its connection is down${restart ? ' and mosquitto restarts (persistence true)' : ''}: every one arrives after the reconnect${qos === 2 ? ', none twice' : ''}`, async () => {
  const seed = Number(process.env.FAULTS_SEED ?? 23) + 10 * qos + (restart ? 100 : 0);
  const rnd = random(seed);
  const clientId = `faults-in-q${qos}${restart ? '-restart' : ''}`;
  const topic = `faults/in/${clientId}`;
  const { page, errors, context } = await persistentSubscriber(clientId, topic, qos);
  const logBefore = broker.output().length;

  // The network goes down; the broker queues what comes for the session.
  proxy.pause();
  await until('the page lost its connection', async () => (await status(page)) !== 'connected', 10000);
  await publishLines(topic, qos, 1000);
  let log = '';
  if (restart) {
    log = broker.output().slice(logBefore);
    await broker.terminate();
    broker = await BROKERS.mosquitto.start(dir, { extra: persistent(), tcp: broker.tcp, ws: broker.wsPort });
  }
  // Back up, with a cut in the middle of the delivery (the page's PUBACKs, or PUBRECs
  // and PUBCOMPs, pass the proxy): the broker must send the unacknowledged ones again.
  const cutsBefore = proxy.cuts.length;
  proxy.cutAfter(200 + Math.floor(rnd() * 2000));
  const back = Date.now();
  proxy.resume();
  const received = async () => Number(await value(page, 'messages-received'));
  const copies = async () => Number(await value(page, 'arrived-twice'));
  try {
    await until('all 1,000 at the page', async () => (await received()) - (qos === 1 ? await copies() : 0) >= 1000, 90000);
  } catch (e) {
    // Why it stopped, as the page says it (e.g. a broker over our Receive Maximum).
    throw new Error(`${e.message} (${await received()} received, ${await copies()} arrived twice); the page says: ${(await page.locator('.status-text').allInnerTexts()).join(' | ')}`);
  }
  const recoverMs = Date.now() - back;
  await sleep(1000);
  log += broker.output().slice(restart ? 0 : logBefore);
  const sent = brokerSent(clientId, log);
  const [got, twice] = [await received(), await copies()];
  console.log(`# faults, to the page at QoS ${qos}${restart ? ', mosquitto restarted' : ''} (seed ${seed}): cut at byte ${proxy.cuts.slice(cutsBefore).join(', ')}; `
    + `all 1,000 in ${recoverMs} ms after the network came back; the page received ${got}, ${twice} arrived twice; `
    + `mosquitto sent ${sent.first} first copies and ${sent.again} again`);
  assert.equal(proxy.cuts.length - cutsBefore, 1);
  // The queue was kept: nothing before the network came back, all 1,000 after.
  assert.equal(sent.first, 1000);
  if (qos === 2) {
    // Exactly once: each message shown once; a copy the broker resent before PUBREL
    // is recognised by the client and not shown again.
    assert.equal(got, 1000);
    assert.ok(twice <= sent.again, `${twice} <= ${sent.again}`);
  } else {
    // At least once: every copy beyond the 1,000 is one the page recognised as
    // arrived twice, and each came from a resend of the broker (DUP 1).
    assert.equal(got - twice, 1000);
    assert.ok(twice <= sent.again, `${twice} <= ${sent.again}`);
  }
  // The log shows the last message too.
  await page.locator('.log-table td.payload').filter({ hasText: /^m999$/ }).first().waitFor({ timeout: 10000 });
  assert.deepEqual(errors.filter((e) => !e.includes('WebSocket connection to')), []);
  await context.close();
});
