// Issue 21's blocker, tested the way it broke: the sequence diagrams drew
// rows of an earlier flow (keyed by position, a changed list kept the old
// drawing). Every QoS pair, session and drop point is reached fresh from its
// URL and again after other choices in a seeded random order, and every time
// each row's accessible name and visible label equal the rows the core's
// model gives (crates/core/examples/diagram_rows.rs). The packets page's
// samples and an opened session are checked the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, BASE, buttonNames } from './browser.mjs';
import { diagramRows } from './model.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Each row as a screen reader announces it (the accessibility tree) and as
// a student reads it (the visible label, with its tag), in order.
const shown = (page, list) => page.locator(list).evaluate((ol) => [...ol.querySelectorAll('.seq-label')].map((l) => {
  // What is drawn for the eye: the label without its screen-reader copy.
  const label = l.cloneNode(true);
  label.querySelectorAll('.visually-hidden').forEach((e) => e.remove());
  return label.textContent.replace(/\s+/g, ' ').trim();
}));

// "#3, broker → subscriber: PUBLISH qos=1 id=1 (delivered)" is drawn as the
// label "PUBLISH qos=1 id=1 delivered" (the tag without brackets).
const visibleLabel = (name) => {
  const text = name.slice(name.indexOf(': ') + 2);
  const m = text.match(/^(.*) \((.*)\)$/s);
  return m ? `${m[1]} ${m[2]}` : text;
};

async function assertRows(page, list, expected, context) {
  // The diagram follows the model within a frame or two: poll briefly, then
  // compare (a failure shows the whole difference).
  let got = [];
  for (let i = 0; i < 50; i++) {
    got = await buttonNames(page, list);
    if (JSON.stringify(got) === JSON.stringify(expected)) break;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(got, expected, context);
  const drawn = await shown(page, list);
  assert.deepEqual(drawn, expected.map(visibleLabel), `${context}: visible labels`);
}

const FLOWS = diagramRows('qos');
const flowOf = (pub, sub, session, drop) => FLOWS.find((f) => f.pub === pub && f.sub === sub && f.session === session && f.drop === drop);
const STEPPER = '.stepper ol.seq-list';

test('the QoS stepper, reached fresh: every pair, session and drop point draws the model\'s rows', async () => {
  const { page, errors, context } = await open(browser, '?w=qos', { waitFor: STEPPER });
  // Both sessions × Σ over the nine QoS pairs of (arrows in + arrows out + no drop).
  assert.equal(FLOWS.length, 90);
  for (const f of FLOWS) {
    const q = `?w=qos&pub=${f.pub}&sub=${f.sub}&session=${f.session}${f.drop ? `&drop=${f.drop}` : ''}`;
    await page.goto(new URL(q, BASE).href);
    await page.waitForSelector(`${STEPPER} li`);
    await assertRows(page, STEPPER, f.names, q);
    assert.equal(await page.locator('output[name="step-delivered"]').getAttribute('data-value'), String(f.delivered), q);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// A small seeded generator, so that a failing order can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
}

test('the QoS stepper after other choices in random order: the rows always equal the model\'s', async () => {
  const seed = Number(process.env.E2E_SEED ?? 21);
  const random = rng(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const { page, errors, context } = await open(browser, '?w=qos&pub=2&sub=2', { waitFor: STEPPER });
  // The page's state as a student would track it: the drop stays chosen
  // while it is an arrow of the current pair, and is ignored when not.
  const state = { pub: 2, sub: 2, session: 'persistent', drop: null };
  const points = () => FLOWS.filter((f) => f.pub === state.pub && f.sub === state.sub && f.session === state.session && f.drop).length;
  const expected = () => flowOf(state.pub, state.sub, state.session, state.drop && state.drop <= points() ? state.drop : null);
  for (let step = 0; step < 120; step++) {
    const action = pick(['pub', 'sub', 'session', 'drop', 'drop', 'arrow']);
    let did;
    if (action === 'pub' || action === 'sub') {
      const q = pick([0, 1, 2]);
      state[action] = q;
      await page.getByRole('group', { name: action === 'pub' ? 'Publisher QoS' : 'Subscriber QoS' }).getByLabel(String(q), { exact: true }).check();
      did = `${action}=${q}`;
    } else if (action === 'session') {
      state.session = pick(['persistent', 'clean']);
      await page.getByLabel(state.session === 'persistent' ? 'Persistent (resend after reconnect)' : 'Clean (the broker resends nothing)').check();
      did = `session=${state.session}`;
    } else if (action === 'drop') {
      const d = pick([null, ...Array.from({ length: points() }, (_, i) => i + 1)]);
      await page.getByLabel('The connection drops at').selectOption(d ? String(d) : 'none');
      state.drop = d;
      did = `drop=${d}`;
    } else {
      // Clicking an arrow of the first attempt cuts the connection there.
      const now = expected();
      const limit = now.drop ?? points();
      const k = Math.floor(random() * limit) + 1;
      await page.locator(`${STEPPER} li`).nth(k - 1).locator('button').click();
      state.drop = k;
      did = `arrow ${k}`;
    }
    const want = expected();
    await assertRows(page, STEPPER, want.names, `seed ${seed}, step ${step} (${did}): pub=${state.pub} sub=${state.sub} ${state.session} drop=${want.drop}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// Ten packets of a 5.0 session: CONNECT, CONNACK, SUBSCRIBE, SUBACK, a QoS 2
// exchange and a keepalive ping.
const SESSION = {
  format: 'mqtt-lab-session/1', protocol: '5.0',
  packets: [
    ['sent', '10 15 00 04 4d 51 54 54 05 02 00 3c 00 00 08 6d 71 74 74 2d 6c 61 62'],
    ['received', '20 09 00 00 06 21 00 14 22 00 0a'],
    ['sent', '82 09 00 02 00 00 03 61 2f 62 02'],
    ['received', '90 04 00 02 00 02'],
    ['sent', '34 0a 00 03 61 2f 62 00 01 00 68 69'],
    ['received', '50 02 00 01'],
    ['sent', '62 02 00 01'],
    ['received', '70 02 00 01'],
    ['sent', 'c0 00'],
    ['received', 'd0 00'],
  ].map(([dir, hex], i) => ({ seq: i + 1, at_ms: 1000 + 7 * i, dir, hex: hex.replace(/ /g, ''), summary: '', error: null, fields: [] })),
};

test('the packets page: samples in any order and an opened session draw exactly their own rows', async () => {
  const samples = diagramRows('samples');
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-rows-'));
  const file = join(dir, 'session.json');
  writeFileSync(file, JSON.stringify(SESSION));
  const session = diagramRows('session', file).names;
  assert.equal(session.length, 10);
  const { page, errors, context } = await open(browser, '?w=packets', { waitFor: 'ol.seq-list li' });
  const list = 'ol.seq-list';
  await assertRows(page, list, samples[0].names, 'the default sample');
  const random = rng(Number(process.env.E2E_SEED ?? 21));
  for (let step = 0; step < 12; step++) {
    if (step % 4 === 3) {
      await page.getByLabel(/Or open a session/).setInputFiles(file);
      await assertRows(page, list, session, `step ${step}: the opened session`);
    } else {
      const s = samples[Math.floor(random() * samples.length)];
      await page.getByRole('button', { name: s.name, exact: true }).click();
      await assertRows(page, list, s.names, `step ${step}: sample ${s.name}`);
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});
