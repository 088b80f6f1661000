// Faults with a real broker (issue 23): the live page publishes through a proxy
// (tests/interop/proxy.mjs) that cuts its connection in the middle of packets, with
// a persistent session (clean start 0, session expiry 1 h); an independent
// mosquitto_sub, on the broker's TCP listener, counts what arrived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, typeInto } from './browser.mjs';
import { sleep } from './mosquitto.mjs';
import { BROKERS, USER, PASSWORD } from '../interop/brokers.mjs';
import { startProxy } from '../interop/proxy.mjs';

let browser;
let broker;
let proxy;
const procs = [];
before(async () => {
  browser = await launch();
  broker = await BROKERS.mosquitto.start(mkdtempSync(join(tmpdir(), 'mqtt-lab-faults-')));
  proxy = await startProxy(Number(new URL(broker.ws).port));
});
after(async () => {
  await browser?.close();
  for (const p of procs) p.kill('SIGKILL');
  await proxy?.close();
  broker?.stop();
});

const status = (page) => page.locator('output[name="status"]').getAttribute('data-value');
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
  await page.getByRole('button', { name: 'Publish to myself and count' }).click();
  // Each time the page is connected again, the next cut is armed, at a random byte.
  for (let i = 1; i < cuts; i++) {
    await until(`cut ${i}`, () => proxy.cuts.length >= before + i, 60000);
    await until(`reconnected after cut ${i}`, async () => (await status(page)) === 'connected', 60000);
    proxy.cutAfter(500 + Math.floor(rnd() * 4000));
  }
  await until('all 1,000 at mosquitto_sub', () => new Set(payloads()).size >= 1000, 90000);
  await sleep(500);
  const got = payloads();
  const distinct = new Set(got);
  const duplicates = got.length - distinct.size;
  console.log(`# faults, QoS ${qos} (seed ${seed}): cuts at bytes ${proxy.cuts.slice(before).join(', ')} of their connections; ${proxy.connections} connections so far; `
    + `${distinct.size} distinct of ${got.length} received, ${duplicates} duplicates`);
  assert.equal(proxy.cuts.length - before, cuts);
  assert.equal(distinct.size, 1000);
  // QoS 2 end to end (page to broker at QoS 2, broker to mosquitto_sub at QoS 2): exactly once.
  if (qos === 2) assert.equal(duplicates, 0);
  // The page's own subscription (kept by the session) got every one back too.
  const result = page.getByRole('status').filter({ hasText: /^Round trip 1:/ });
  await result.filter({ hasText: `1000 of 1000 delivered at QoS ${qos}` }).waitFor({ timeout: 30000 });
  if (qos === 2) assert.match(await result.innerText(), /1000 of 1000 delivered at QoS 2, 0 duplicates/);
  // The browser logs a WebSocket that failed; nothing else may appear.
  assert.deepEqual(errors.filter((e) => !e.includes('WebSocket connection to')), []);
  await context.close();
});
