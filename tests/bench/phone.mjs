// A student's phone on a slow network (issue 24): every page of a release build,
// loaded cold in Chromium under Lighthouse's "Slow 4G" figures (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up) with the CPU slowed 4x, from a static server of
// our own that compresses as common hosts do (gzip, or brotli with --brotli).
//
// "Interactive" is the time from navigation start until the page's first control
// is usable with its result shown: a widget's first <output> holds a value (the
// calculators, debug, reason codes), the gallery's cards are links, the live
// page's Connect button is enabled, the inspector has drawn its diagram's rows,
// the knowledge checks show their tabs. Each page is loaded three times in a
// fresh context (no HTTP cache, service workers blocked); the table gives the
// median and the bytes transferred (compressed, as on the wire), and for a page
// whose bundle is split, when its last chunk had arrived (what comes after the
// first screen: backoff's fleet, qos's stepper, live's client and all below
// its connection form).
//
// The lesson row is a course page, 390 px wide, with three frames (backoff, qos,
// exercises) as the Share panel's embed code makes them, but loaded eagerly (a
// lazy frame far down the page would not load at all), timed until all three
// are interactive.
//
// --cache: the browser's HTTP cache is empty but on, as on a student's first visit,
// instead of disabled (the issue's measure); the server sends an ETag and answers
// a request that carries it with 304, as common hosts do with `no-cache`. Only the
// lesson page differs: its frames may reuse what another frame fetched.
//
// --timeline: also prints, per run and document, when its bundle's script and wasm
// were asked for and had arrived and when it was interactive (ms from navigation
// start): how much of the time is the network and how much is what runs after.
//
// Usage: node tests/bench/phone.mjs DIST [--brotli | --precompressed] [--cache] [--timeline] [--only=gallery,qos,lesson]
// (scripts/bench.sh --phone runs it on dist/).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { launch } from '../e2e/browser.mjs';

const [dist, ...flags] = process.argv.slice(2);
if (!dist) { console.error('usage: node tests/bench/phone.mjs DIST [--brotli | --precompressed] [--cache] [--timeline] [--only=NAME,...]'); process.exit(2); }
// --precompressed: the build's own NAME.br files, as a host that serves them would.
const PRECOMPRESSED = flags.includes('--precompressed');
const BROTLI = flags.includes('--brotli') || PRECOMPRESSED;
// --only=gallery,qos,lesson: those rows alone.
const ONLY = flags.find((f) => f.startsWith('--only='))?.slice(7).split(',');
const wanted = (name) => !ONLY || ONLY.includes(name);
const CACHE = flags.includes('--cache');
const TIMELINE = flags.includes('--timeline');
const RUNS = 3;

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };
// What a static host compresses: text and wasm, at its usual levels (gzip 6,
// brotli 5 on the fly; a precompressed file would be smaller).
const compress = (body) => BROTLI
  ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
  : gzipSync(body, { level: 6 });

const PREFIX = '/widgets/mqtt/';
const lesson = (base) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Lesson</title></head>
<body><main><h1>Reconnecting well</h1><p>A lesson with three widgets.</p>
${['backoff', 'qos', 'exercises'].map((w) => `<iframe src="${base}?w=${w}&amp;embed=1" title="${w}" style="width:100%;height:1500px;border:0"></iframe>`).join('\n<p>Some text between the widgets.</p>\n')}
<script src="${base}public/embed.js" async></script></main></body></html>`;

// What each path is served as, compressed once (as a host's cache or CDN keeps
// it), so that no run's time includes the server compressing the same bundle.
const served = new Map();
async function response(pathname) {
  if (served.has(pathname)) return served.get(pathname);
  let answer = null;
  if (pathname === '/lesson.html') {
    answer = { type: TYPES['.html'], body: compress(Buffer.from(lesson(PREFIX))), encoded: true };
  } else if (pathname.startsWith(PREFIX) && !normalize(pathname.slice(PREFIX.length)).startsWith('..')) {
    let rel = normalize(pathname.slice(PREFIX.length));
    if (rel === '' || rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
    const type = TYPES[extname(rel)] ?? 'application/octet-stream';
    const stored = PRECOMPRESSED ? await readFile(join(dist, `${rel}.br`)).catch(() => null) : null;
    const raw = stored ? null : await readFile(join(dist, rel)).catch(() => null);
    if (stored) answer = { type, body: stored, encoded: true };
    else if (raw && type === TYPES['.png']) answer = { type, body: raw, encoded: false };
    else if (raw) answer = { type, body: compress(raw), encoded: true };
  }
  if (answer) answer.etag = `"${createHash('sha256').update(answer.body).digest('hex').slice(0, 16)}"`;
  served.set(pathname, answer);
  return answer;
}

const server = createServer(async (req, res) => {
  const answer = await response(new URL(req.url, 'http://x').pathname);
  if (!answer) {
    res.writeHead(404);
    res.end();
    return;
  }
  if (CACHE && req.headers['if-none-match'] === answer.etag) {
    res.writeHead(304, { etag: answer.etag, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  const headers = { 'content-type': answer.type, 'cache-control': 'no-cache', 'content-length': answer.body.length };
  if (CACHE) headers.etag = answer.etag;
  if (answer.encoded) headers['content-encoding'] = BROTLI ? 'br' : 'gzip';
  res.writeHead(200, headers);
  res.end(answer.body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// Runs in the page's document from its start (an init script) and in each
// frame as soon as the harness sees it (Chromium under network emulation did not
// run init scripts in the frames): notes when the document is interactive.
function watch() {
  // A frame's first, empty document hands its window on to the widget's (same
  // origin): watch each document once.
  if (window.__watching === document) return;
  window.__watching = document;
  const ready = () => {
    const q = new URLSearchParams(location.search);
    const w = q.get('w');
    if (location.pathname.endsWith('/lesson.html')) return false;
    if (!w) return !!document.querySelector('.gallery .card a');
    if (w === 'live') return !!document.querySelector('main button:not([disabled])');
    if (w === 'packets') return !!document.querySelector('main .seq .seq-item');
    if (w === 'exercises') return !!document.querySelector('main [role="tab"]');
    const out = document.querySelector('main output[data-value]');
    return !!out && out.dataset.value !== '';
  };
  const mark = () => {
    if (window.__interactive === undefined && ready()) window.__interactive = performance.timeOrigin + performance.now();
    return window.__interactive !== undefined;
  };
  if (mark()) return;
  new MutationObserver((_, obs) => { if (mark()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-value', 'disabled'] });
}

const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(path, viewport, frames) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block', isMobile: viewport.width < 500 });
  await context.addInitScript(watch);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !CACHE });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(origin + path, { waitUntil: 'commit' });
  const start = await page.evaluate(() => performance.timeOrigin);
  const docs = async () => (frames ? page.frames().filter((f) => f !== page.mainFrame()) : [page.mainFrame()]);
  const deadline = Date.now() + 60000;
  let times;
  for (;;) {
    const list = await docs();
    times = await Promise.all(list.map((f) => f.evaluate(`(${watch})(); window.__interactive`).catch(() => undefined)));
    if (list.length >= (frames ?? 1) && times.every((t) => t !== undefined)) break;
    if (Date.now() > deadline) throw new Error(`${path}: not interactive after 60 s (${list.map((f) => f.url()).join(' ')}: ${times})`);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (TIMELINE) {
    for (const f of await docs()) {
      const t = await f.evaluate(() => ({
        doc: location.search || location.pathname,
        interactive: window.__interactive,
        files: performance.getEntriesByType('resource').filter((e) => /(_bg\.wasm|\/w\/.*\.js)$/.test(e.name))
          .map((e) => [e.name.split('/').pop(), performance.timeOrigin + e.startTime, performance.timeOrigin + e.responseEnd, e.transferSize]),
      }));
      const ms = (x) => Math.round(x - start);
      console.error(`${path} ${t.doc.slice(0, 40)}: ${t.files.map(([n, a, b, size]) => `${n} ${ms(a)}-${ms(b)} ms (${size} B)`).join(', ')}; interactive ${ms(t.interactive)} ms`);
    }
  }
  // Whatever is still arriving for the first view (a chart's font, say) counts too.
  await page.waitForLoadState('networkidle').catch(() => {});
  // A split page's chunks: when the last had arrived.
  const chunks = (await Promise.all((await docs()).map((f) => f.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /\/split_[^/]*\.wasm$/.test(e.name)).map((e) => performance.timeOrigin + e.responseEnd)).catch(() => []))))
    .flat();
  await context.close();
  const ms = Math.max(...times) - start;
  return { ms, bytes, all: chunks.length ? Math.max(ms, Math.max(...chunks) - start) : undefined };
}

const registry = JSON.parse((await readFile(join(dist, 'index.html'), 'utf8'))
  .match(/<script type="application\/json" id="mqtt-lab-widgets">([^<]*)<\/script>/)[1]);
const pages = [['gallery', PREFIX], ...registry.map((w) => [w, `${PREFIX}?w=${w}`])];
const PHONE = { width: 390, height: 844 };
const rows = [];
for (const [name, path] of pages.filter(([name]) => wanted(name))) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load(path, PHONE));
  rows.push([name, runs]);
}
if (wanted('lesson')) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load('/lesson.html', PHONE, 3));
  rows.push(['lesson page: backoff, qos, exercises', runs]);
}
await browser.close();
server.close();

const enc = BROTLI ? 'brotli' : 'gzip';
const s = (ms) => (ms / 1000).toFixed(2);
console.log(`| page | interactive, median of ${RUNS} (s) | fastest-slowest (s) | chunks in, median (s) | transferred (${enc}, KB) |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, runs] of rows) {
  const ms = runs.map((r) => r.ms);
  const all = runs[0].all === undefined ? '—' : s(median(runs.map((r) => r.all)));
  console.log(`| ${name} | ${s(median(ms))} | ${s(Math.min(...ms))}-${s(Math.max(...ms))} | ${all} | ${(median(runs.map((r) => r.bytes)) / 1000).toFixed(1)} |`);
}
