// The Quarto extension and pandoc filter (integrations/quarto, issue 25): the example
// lesson rendered by Debian's pandoc with the filter, served from another origin than
// the widgets (`localhost`), opened in Chromium: every frame loads its widget with the
// lesson's parameters, is sized by embed.js, follows the theme, fits 360 px and is
// axe-clean; a wrong widget, parameter or value stops the render with a message naming
// it; the shortcode, run by a harness as Quarto calls it, gives the same embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from '../e2e/browser.mjs';
import { pandoc, serveDir, settle, axeViolations, tempDir, EXT, EXAMPLE, SITE } from './lib.mjs';

const LESSON = join(EXAMPLE, 'lesson.qmd');
let browser;
let host; // the rendered lessons, served as http://localhost:PORT/
let dir;

/** Renders the lesson's source `text` into DIR/NAME.html with the lesson's stylesheet. */
async function renderInto(name, text) {
  const r = pandoc({ input: text, args: ['-s', '--template', join(EXAMPLE, 'template.html'), '--css', 'lesson.css',
    '-o', join(dir, `${name}.html`)] });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

before(async () => {
  browser = await launch();
  dir = await tempDir('lesson');
  await copyFile(join(EXAMPLE, 'lesson.css'), join(dir, 'lesson.css'));
  const source = await readFile(LESSON, 'utf8');
  await renderInto('lesson', source);
  // The same lesson with the frames' theme set in its metadata.
  await renderInto('lesson-dark', source.replace('mqtt-lab:\n', 'mqtt-lab:\n  theme: dark\n'));
  host = await serveDir(dir);
});
after(async () => { await browser?.close(); host?.server.close(); });

async function openLesson(name, { width = 1200, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(new URL(`${name}.html`, host.url).href);
  return { page, errors, context };
}

/** The frames in page order, each sized by embed.js; returns their frames. */
async function settled(page) {
  const elements = await page.$$('iframe');
  const frames = [];
  for (const el of elements) {
    const h = await settle(page, el);
    assert.ok(Math.abs(h.inner - h.outer) <= 1, `${await el.getAttribute('title')}: ${JSON.stringify(h)}`);
    // Sized by embed.js: the embed code's 800 px are gone.
    assert.notEqual(await el.evaluate((f) => f.style.height), '800px', await el.getAttribute('title'));
    frames.push(await el.contentFrame());
  }
  return frames;
}

test('the lesson renders: three titled frames of the served site, a fallback link each, embed.js once', async () => {
  const html = await readFile(join(dir, 'lesson.html'), 'utf8');
  const frames = [...html.matchAll(/<iframe src="([^"]+)" title="([^"]+)"/g)].map((m) => [m[1].replaceAll('&amp;', '&'), m[2]]);
  assert.deepEqual(frames, [
    [`${SITE}?w=backoff&base=1&cap=60&jitter=none&devices=1000&embed=1`, 'Reconnect backoff (MQTT Lab)'],
    [`${SITE}?w=qos&pub=2&sub=1&loss_pct=10&embed=1`, 'QoS delivery simulator (MQTT Lab)'],
    [`${SITE}?w=exercises&tab=order&embed=1`, 'Knowledge checks (MQTT Lab)'],
  ]);
  const links = [...html.matchAll(/<p class="mqtt-lab-fallback"><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => m[2]);
  assert.deepEqual(links, ['Open Reconnect backoff (MQTT Lab) on a page of its own',
    'Open QoS delivery simulator (MQTT Lab) on a page of its own', 'Open Knowledge checks (MQTT Lab) on a page of its own']);
  assert.equal(html.match(/<script src="[^"]*public\/embed\.js" async><\/script>/g)?.length, 1);
  assert.ok(html.includes(`<script src="${SITE}public/embed.js" async></script>`));
  // The caption under the backoff frame is the div's text, rendered.
  assert.match(html, /with a first delay of 1 s and a cap of 60 s\.<\/p>\n<\/div>/);
});

test('each frame loads its widget with the lesson\'s parameters and is sized to it', async () => {
  const { page, errors, context } = await openLesson('lesson');
  const [backoff, qos, exercises] = await settled(page);
  // Backoff: the fields show the lesson's values; the schedule starts at 1 s.
  assert.equal(await backoff.getByLabel('First delay (s)', { exact: true }).inputValue(), '1');
  assert.equal(await backoff.getByLabel('Maximum delay (s)', { exact: true }).inputValue(), '60');
  assert.equal(await backoff.getByLabel('Devices in the fleet', { exact: true }).inputValue(), '1000');
  assert.ok(await backoff.getByRole('group', { name: 'Jitter' }).getByRole('radio', { name: 'None' }).isChecked());
  // QoS: publisher 2, subscriber 1, 10 % cut; the effective QoS is the lower one.
  assert.ok(await qos.getByRole('group', { name: 'Publisher QoS' }).getByRole('radio', { name: '2' }).isChecked());
  assert.ok(await qos.getByRole('group', { name: 'Subscriber QoS' }).getByRole('radio', { name: '1' }).isChecked());
  assert.equal(await qos.getByLabel('Messages cut in flight (%)', { exact: true }).inputValue(), '10');
  assert.equal(await qos.locator('output[name="effective-qos"]').getAttribute('data-value'), '1');
  // Knowledge checks: the ordering tab.
  assert.equal(await exercises.getByRole('tab', { name: 'Order the steps' }).getAttribute('aria-selected'), 'true');
  // A frame grows with its widget: embed.js follows; the other frames keep their heights.
  const qosFrame = page.locator('iframe').nth(1);
  const before = await qosFrame.evaluate((f) => f.clientHeight);
  const quiz = page.locator('iframe').nth(2);
  const shorter = await quiz.evaluate((f) => f.clientHeight);
  await exercises.getByRole('tab', { name: 'Find the bug' }).click();
  await page.waitForFunction(([f, h]) => f.clientHeight > h + 100, [await quiz.elementHandle(), shorter], { timeout: 10000 }).catch(() => {});
  const h = await settle(page, await quiz.elementHandle());
  assert.ok(Math.abs(h.inner - h.outer) <= 1 && h.outer > shorter + 100, `before ${shorter}: ${JSON.stringify(h)}`);
  assert.equal(await qosFrame.evaluate((f) => f.clientHeight), before);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`360 px, ${colorScheme}: the frames follow the reader's setting, fit the screen and axe finds nothing`, async () => {
    const { page, errors, context } = await openLesson('lesson', { width: 360, colorScheme });
    const frames = await settled(page);
    const failures = [];
    for (const f of frames) {
      assert.equal(await f.evaluate(() => document.documentElement.dataset.theme), colorScheme);
      const overflow = await f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) failures.push(`${f.url()}: ${overflow} px wider than its frame`);
      for (const v of await axeViolations(f)) failures.push(`${f.url()}: ${v}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) failures.push(`the lesson is ${overflow} px wider than the screen`);
    for (const v of await axeViolations(page)) failures.push(`the lesson: ${v}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('mqtt-lab: {theme: dark} in the metadata: every frame is dark on a light screen', async () => {
  const { page, errors, context } = await openLesson('lesson-dark', { colorScheme: 'light' });
  const frames = await settled(page);
  assert.equal(frames.length, 3);
  for (const f of frames) {
    assert.equal(new URL(f.url()).searchParams.get('theme'), 'dark');
    assert.equal(await f.evaluate(() => document.documentElement.dataset.theme), 'dark');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong widget, parameter or value stops the render with a message naming it', () => {
  const doc = (div) => `---\nmqtt-lab:\n  base: https://example.org/widgets/mqtt/\n---\n\n::: ${div}\n:::\n`;
  const cases = [
    ['{.mqtt-lab widget="qoss"}', 'mqtt-lab: no widget "qoss" (did you mean "qos"?); the widgets are capacity, reason-codes, backoff'],
    ['{.mqtt-lab widget="qos" pub_qos=2}', 'mqtt-lab: widget "qos" has no parameter "pub_qos" (did you mean "pub"?); its parameters are pub, sub, loss_pct'],
    ['{.mqtt-lab widget="backoff" cap=-5}', 'mqtt-lab: widget "backoff", parameter "cap": -5 is out of range; enter a number from 0.01 to 86,400 s'],
    ['{.mqtt-lab widget="backoff" attempts=2.5}', 'mqtt-lab: widget "backoff", parameter "attempts": 2.5 is not whole; enter a whole number from 1 to 200'],
    ['{.mqtt-lab widget="qos" pub=3}', 'mqtt-lab: widget "qos", parameter "pub": "3" is not one of 0, 1, 2'],
    ['{.mqtt-lab widget="qos" theme=blue}', 'mqtt-lab: widget "qos", parameter "theme": "blue" is not one of light, dark'],
    ['{.mqtt-lab widget="backoff" base=0x10}', 'mqtt-lab: widget "backoff", parameter "base": "0x10" is not a number'],
  ];
  for (const [div, message] of cases) {
    const r = pandoc({ input: doc(div), base: null });
    assert.notEqual(r.status, 0, div);
    assert.ok(r.stderr.includes(message), `${div}:\n${r.stderr}`);
    assert.equal(r.stdout, '', `${div}: no output`);
  }
  // No address for the widgets: the message says where to set it.
  const r = pandoc({ input: '::: {.mqtt-lab widget="qos"}\n:::\n', base: null });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /widget "qos": no address for the widgets; set it in the document's metadata:\nmqtt-lab:\n {2}base: https:\/\/your\.site\/widgets\/mqtt\//);
});

test('the shortcode, called as Quarto calls it, gives the fenced div\'s embed; embed.js once', async () => {
  const meta = '---\nmqtt-lab:\n  base: https://example.org/widgets/mqtt\n---\n\n';
  const shortcodes = ['{{< mqtt-lab backoff base=1 cap=60 >}}', '{{< mqtt-lab qos pub=2 sub=1 theme=dark title="QoS 2 to a QoS 1 subscriber" >}}',
    '{{< mqtt-lab qos pub_qos=2 >}}', '{{< mqtt-lab nope >}}'];
  const divs = ['{.mqtt-lab widget="backoff" cap=60 base=1}', '{.mqtt-lab widget="qos" sub=1 theme=dark pub=2 title="QoS 2 to a QoS 1 subscriber"}'];
  const cases = join(await tempDir('shortcode'), 'cases.md');
  await writeFile(cases, `${meta}\`\`\`\n${shortcodes.join('\n')}\n\`\`\`\n`);
  process.env.MQTT_LAB_EXT = EXT;
  const r = pandoc({ file: cases, filter: new URL('shortcode-harness.lua', import.meta.url).pathname, base: null });
  assert.equal(r.status, 0, r.stderr);
  // pandoc runs the harness with MQTT_LAB_EXT set below.
  const results = JSON.parse(r.stdout);
  const filtered = pandoc({ input: `${meta}${divs.map((d) => `::: ${d}\n:::\n`).join('\n')}`, base: null });
  assert.equal(filtered.status, 0, filtered.stderr);
  const [first, second] = filtered.stdout.trim().split(/\n(?=<div class="mqtt-lab")/);
  const pandocMode = results.filter((x) => x.mode === 'pandoc');
  assert.equal(`${pandocMode[0].html}\n${pandocMode[1].html}`, `${first}\n${second}`);
  assert.equal(pandocMode[0].kind, 'RawBlock');
  assert.match(pandocMode[2].error, /^mqtt-lab: widget "qos" has no parameter "pub_qos" \(did you mean "pub"\?\)/);
  assert.match(pandocMode[3].error, /^mqtt-lab: no widget "nope"/);
  // Under Quarto the script is a head dependency, one name for every embed, and no frame carries it.
  const quartoMode = results.filter((x) => x.mode === 'quarto');
  assert.ok(!quartoMode[0].html.includes('<script') && !quartoMode[1].html.includes('<script'));
  assert.equal(quartoMode[0].html, pandocMode[0].html.replace(/\n<script[^\n]*$/, ''));
  assert.deepEqual([...new Set(quartoMode.at(-1).dependencies)],
    ['mqtt-lab-embed <script src="https://example.org/widgets/mqtt/public/embed.js" async></script>']);
});
