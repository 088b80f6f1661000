// The SCORM 1.2 package (scripts/scorm.sh, issue 25) in scorm-again, the SCORM runtime
// that LMS players embed: a page of the "LMS" (localhost) creates scorm-again's
// Scorm12API as window.API and opens the package's launch page in a frame, as a player
// does. The learner labels the troubleshooting flow and checks; the runtime must hold
// the score, the status, one interaction per item and suspend data; a second launch with
// that data must show the answers again. Also: the manifest's structure, and a wrong
// widget list stops the build with a message naming the widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../e2e/browser.mjs';
import { serveDir, tempDir, settle, axeViolations, ROOT } from './lib.mjs';

const SCORM12 = join(ROOT, 'node_modules/scorm-again/dist/scorm12.js');
// The built site that goes into the package (scripts/test.sh: dist/).
const DIST = process.env.SCORM_DIST ?? join(ROOT, 'dist');

let browser;
let host;
let dir;

function scorm(args) {
  return spawnSync(join(ROOT, 'scripts/scorm.sh'), args, { encoding: 'utf8' });
}

before(async () => {
  browser = await launch();
  dir = await tempDir('scorm');
  const zip = join(dir, 'lesson.zip');
  const r = scorm(['--widgets', 'backoff?base=1&cap=60,exercises', '--title', 'Reconnecting well', '--dist', DIST, '--out', zip]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^wrote .*lesson\.zip: SCORM 1\.2, \d+ files, \d+ KB; widgets: backoff, exercises\n$/);
  const x = spawnSync('python3', ['-m', 'zipfile', '-e', zip, join(dir, 'pkg')], { encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  await copyFile(SCORM12, join(dir, 'scorm12.js'));
  // The LMS's page: scorm-again as window.API, loaded from `?data=` (what the LMS kept
  // of an earlier attempt), then the package's launch page in a frame.
  await writeFile(join(dir, 'lms.html'), `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.js"></script><script>
  const Api = window.Scorm12API.Scorm12API ?? window.Scorm12API.default ?? window.Scorm12API;
  window.API = new Api({ autocommit: false, logLevel: 5 });
  window.commits = 0;
  window.API.on('LMSCommit', () => { window.commits++; });
  const data = new URLSearchParams(location.search).get('data');
  if (data) window.API.loadFromJSON(JSON.parse(data));
</script></head><body><main><iframe id="sco" title="Lesson" src="pkg/index.html" style="width:100%;height:2000px;border:0"></iframe></main></body></html>`);
  host = await serveDir(dir);
});
after(async () => { await browser?.close(); host?.server.close(); });

async function openLms(data) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(new URL(`lms.html${data ? `?data=${encodeURIComponent(JSON.stringify(data))}` : ''}`, host.url).href);
  const sco = page.frameLocator('#sco');
  const quiz = sco.frameLocator('iframe[data-slug="exercises"]');
  await quiz.getByRole('tab', { name: 'Order the steps' }).waitFor({ timeout: 20000 });
  return { page, errors, context, sco, quiz };
}

// What the runtime holds, as it would send it to the LMS (its JSON rendering, which
// includes SCORM 1.2's write-only elements).
const cmi = (page) => page.evaluate(() => {
  const c = JSON.parse(JSON.stringify(window.API.cmi));
  const interactions = Array.isArray(c.interactions) ? c.interactions : Object.values(c.interactions ?? {});
  return {
    status: c.core.lesson_status, raw: c.core.score.raw, min: c.core.score.min, max: c.core.score.max,
    exit: c.core.exit, suspend: c.suspend_data, raw_json: c,
    interactions: interactions.filter((i) => i && i.id !== undefined).map((i) => ({ id: i.id, type: i.type, response: i.student_response, result: i.result, weighting: i.weighting })),
  };
});

const TOOLS = ['Serial Monitor', 'MQTT Explorer', "mosquitto_sub -t '#' -v", 'Payload decode test'];

test('a learner checks the flow labels: score, status, interactions and suspend data in scorm-again; resumed on relaunch', async () => {
  const first = await openLms();
  assert.equal((await cmi(first.page)).status, 'incomplete');
  await first.quiz.getByRole('tab', { name: 'Label the flow' }).click();
  // Box 4 wrongly labelled.
  for (const [i, tool] of [TOOLS[0], TOOLS[1], TOOLS[2], TOOLS[0]].entries()) {
    await first.quiz.locator(`#label-${i}`).selectOption({ label: tool });
  }
  await first.quiz.getByRole('button', { name: 'Check my answers' }).click();
  await first.page.waitForFunction(() => window.API.cmi.core.score.raw !== '');
  const got = await cmi(first.page);
  if (process.env.SCORM_DEBUG) console.log(JSON.stringify(got.raw_json));
  assert.equal(got.raw, '75'); // 3 of 4 right, over the one tab checked
  assert.equal(got.min, '0');
  assert.equal(got.max, '100');
  assert.equal(got.status, 'incomplete'); // three tabs not checked yet
  assert.equal(got.exit, 'suspend');
  assert.deepEqual(got.interactions, [1, 2, 3, 4].map((n) => ({
    id: `exercises-label-item-${n}`, type: 'matching', response: `${n}.${n === 4 ? 1 : n}`,
    result: n === 4 ? 'wrong' : 'correct', weighting: '1',
  })));
  const suspend = JSON.parse(got.suspend);
  assert.deepEqual(suspend, { v: 1, tabs: { label: { responses: ['1[.]1', '2[.]2', '3[.]3', '4[.]1'], raw: 3, max: 4 } } });
  assert.ok(await first.page.evaluate(() => window.commits) >= 2);
  assert.deepEqual(first.errors, []);
  await first.context.close();

  // Relaunch with what the LMS kept: the answers and their marks are back.
  const second = await openLms({ core: { entry: 'resume', lesson_status: 'incomplete' }, suspend_data: got.suspend });
  await second.quiz.getByRole('tab', { name: 'Label the flow' }).click();
  for (const [i, tool] of [TOOLS[0], TOOLS[1], TOOLS[2], TOOLS[0]].entries()) {
    assert.equal(await second.quiz.locator(`#label-${i} option:checked`).textContent(), tool, `box ${i + 1}`);
  }
  await second.quiz.getByRole('status').filter({ hasText: 'right' }).waitFor();
  assert.equal(await second.quiz.getByRole('status').filter({ hasText: 'right' }).textContent(), '3 of 4 right.');
  assert.equal(await second.quiz.locator('output[name="score"]').getAttribute('data-value'), '3');
  // Nothing was posted again: no new interactions.
  assert.equal((await cmi(second.page)).interactions.length, 0);

  // Answering and checking the other three tabs completes the lesson; the score is over every tab.
  const check = () => second.quiz.getByRole('button', { name: 'Check my answers' }).click();
  await second.quiz.getByRole('tab', { name: 'Order the steps' }).click();
  await check();
  await second.quiz.getByRole('tab', { name: 'Match the concepts' }).click();
  for (let i = 0; i < 9; i++) await second.quiz.locator(`#match-${i}`).selectOption({ index: 1 + (i % 9) });
  await check();
  await second.quiz.getByRole('tab', { name: 'Find the bug' }).click();
  for (let i = 0; i < 7; i++) {
    await second.quiz.locator(`input[name="line-${i}"]`).first().check();
    await second.quiz.locator(`input[name="fix-${i}"]`).first().check();
  }
  assert.equal((await cmi(second.page)).status, 'incomplete');
  await check();
  await second.page.waitForFunction(() => window.API.cmi.core.lesson_status === 'completed');
  const done = await cmi(second.page);
  const tabs = JSON.parse(done.suspend).tabs;
  assert.deepEqual(Object.keys(tabs).sort(), ['code', 'label', 'match', 'order']);
  const right = Object.values(tabs).reduce((s, t) => s + t.raw, 0);
  const total = Object.values(tabs).reduce((s, t) => s + t.max, 0);
  assert.equal(total, 9 + 9 + 7 + 4);
  assert.equal(done.raw, String(Math.round((100 * right) / total)));
  assert.deepEqual(second.errors, []);
  await second.context.close();
});

test('the launch page: both widgets, sized, titled, and axe finds nothing', async () => {
  const { page, errors, context, sco } = await openLms();
  const frame = page.frame({ url: /pkg\/index\.html/ });
  const titles = await frame.locator('iframe').evaluateAll((fs) => fs.map((f) => f.title));
  assert.deepEqual(titles, ['Reconnect backoff (MQTT Lab)', 'Knowledge checks (MQTT Lab)']);
  const backoff = await frame.$('iframe[data-slug="backoff"]');
  const h = await settle(frame, backoff);
  assert.ok(Math.abs(h.inner - h.outer) <= 1, JSON.stringify(h));
  assert.equal(await sco.frameLocator('iframe[data-slug="backoff"]').getByLabel('Maximum delay (s)', { exact: true }).inputValue(), '60');
  assert.deepEqual(await axeViolations(frame), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the manifest: SCORM 1.2, one SCO launching index.html, every file of the package listed and present', async () => {
  const manifest = await readFile(join(dir, 'pkg', 'imsmanifest.xml'), 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  const parsed = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const CP = 'http://www.imsproject.org/xsd/imscp_rootv1p1p2';
    const ADL = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';
    const one = (name) => doc.getElementsByTagNameNS(CP, name);
    const org = one('organization')[0];
    const item = one('item')[0];
    const res = one('resource');
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.localName, ns: doc.documentElement.namespaceURI,
      schema: one('schema')[0]?.textContent, version: one('schemaversion')[0]?.textContent,
      defaultOrg: one('organizations')[0].getAttribute('default'), orgId: org.getAttribute('identifier'),
      title: org.getElementsByTagNameNS(CP, 'title')[0].textContent,
      itemRef: item.getAttribute('identifierref'), resources: res.length, resId: res[0].getAttribute('identifier'),
      scormtype: res[0].getAttributeNS(ADL, 'scormtype'), href: res[0].getAttribute('href'), type: res[0].getAttribute('type'),
      files: [...res[0].getElementsByTagNameNS(CP, 'file')].map((f) => f.getAttribute('href')),
    };
  }, manifest);
  await context.close();
  assert.equal(parsed.error, 0);
  assert.deepEqual([parsed.root, parsed.ns], ['manifest', 'http://www.imsproject.org/xsd/imscp_rootv1p1p2']);
  assert.deepEqual([parsed.schema, parsed.version], ['ADL SCORM', '1.2']);
  assert.equal(parsed.defaultOrg, parsed.orgId);
  assert.equal(parsed.title, 'Reconnecting well');
  assert.equal(parsed.itemRef, parsed.resId);
  assert.deepEqual([parsed.resources, parsed.scormtype, parsed.href, parsed.type], [1, 'sco', 'index.html', 'webcontent']);
  for (const f of parsed.files) assert.ok(existsSync(join(dir, 'pkg', f)), f);
  for (const f of ['index.html', 'launch.js', 'widgets/index.html', 'widgets/public/embed.js']) assert.ok(parsed.files.includes(f), f);
  // The chosen widgets' bundles only.
  const bundles = [...new Set(parsed.files.filter((f) => f.startsWith('widgets/w/')).map((f) => f.split('/')[2]))].sort();
  assert.deepEqual(bundles, ['backoff', 'exercises']);
});

test('a wrong widget list stops the build with a message naming the widget or parameter', () => {
  const out = join(dir, 'bad.zip');
  const cases = [
    [['--widgets', 'exercises,quizz'], 'scripts/scorm.sh: no widget "quizz" in --widgets; the widgets are capacity, reason-codes, backoff'],
    [['--widgets', 'qos?pub_qos=2'], 'scripts/scorm.sh: widget "qos" has no parameter "pub_qos"; its parameters are pub, sub'],
    [['--widgets', 'exercises,exercises'], 'scripts/scorm.sh: widget "exercises" is listed twice in --widgets'],
    [['--widgets', ' , '], 'scripts/scorm.sh: --widgets names no widget'],
  ];
  for (const [args, message] of cases) {
    const r = scorm([...args, '--dist', DIST, '--out', out]);
    assert.equal(r.status, 2, args.join(' '));
    assert.ok(r.stderr.startsWith(message), `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!existsSync(out), 'no package written');
  }
});
