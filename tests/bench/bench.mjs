// Browser benchmarks against a served release build (see scripts/bench.sh):
// time to first render, update latency per input change, simulation time.
// Prints a Markdown table; numbers are milliseconds unless stated.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, BASE } from '../e2e/browser.mjs';
import { startFakeBroker, answering, publish } from '../e2e/fake-broker.mjs';
import { startMosquitto, freePort } from '../e2e/mosquitto.mjs';
import { startProbe, pressUntil, probeResult, received } from '../e2e/input-delay.mjs';

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const fmt = (x) => x.toFixed(2);
const rows = [];
const floods = [];

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Records when the first result appears, from navigation start.
  await context.addInitScript(() => {
    // Times every animation-frame callback the app queues (the chart redraws),
    // and the whole frame: from the first of them to a message posted from it,
    // which the browser delivers once it has done the frame's style, layout
    // and paint.
    const raf = window.requestAnimationFrame.bind(window);
    window.__raf = raf;
    window.__frameWork = [];
    window.__frameWhole = [];
    const after = new MessageChannel();
    let start = null;
    after.port1.onmessage = () => { window.__frameWhole.push(performance.now() - start); start = null; };
    window.requestAnimationFrame = (cb) => raf((ts) => {
      const t = performance.now(); cb(ts); window.__frameWork.push(performance.now() - t);
      if (start === null) { start = t; after.port2.postMessage(0); }
    });
    new MutationObserver((_, obs) => {
      const out = document.querySelector('output[data-value]');
      if (out && out.dataset.value !== '') { window.__firstResult = performance.now(); obs.disconnect(); }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const page = await context.newPage();

  for (const slug of ['capacity', 'backoff']) {
    const firsts = [];
    for (let i = 0; i < 15; i++) {
      await page.goto(new URL(`?w=${slug}`, BASE).href);
      await page.waitForFunction(() => window.__firstResult !== undefined);
      firsts.push(await page.evaluate(() => window.__firstResult));
    }
    rows.push([`first render, ?w=${slug} (navigation start to first result)`, fmt(quantile(firsts, 0.5)), fmt(quantile(firsts, 0.95)), firsts.length]);
  }

  // Update latency per input change, three figures: until the outputs hold the
  // new values (a MutationObserver sees the data-value change); the chart's
  // redraw, which runs in the next animation frame (the app's frame callbacks,
  // timed); and that frame whole, the browser's rendering of the change included.
  const latency = async (query, label, output, values) => {
    await page.goto(new URL(query, BASE).href);
    await page.waitForFunction(() => window.__firstResult !== undefined);
    return page.evaluate(async ({ label, output, values }) => {
      const field = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === label).control;
      const out = document.querySelector(`output[name="${output}"]`);
      const frame = () => new Promise((r) => window.__raf(() => setTimeout(r, 0)));
      const toOutput = [];
      const toFrame = [];
      const whole = [];
      for (const v of values) {
        await frame();
        let changed = 0;
        const obs = new MutationObserver(() => { if (!changed) changed = performance.now(); });
        obs.observe(out, { attributes: true, attributeFilter: ['data-value'] });
        const t0 = performance.now();
        // Typed and finished (Enter or leaving the box): a typed number counts
        // once finished (src/components/number_field.rs).
        field.value = String(v);
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
        window.__frameWork = [];
        window.__frameWhole = [];
        await frame();
        await frame();
        obs.disconnect();
        if (changed) toOutput.push(changed - t0);
        toFrame.push(window.__frameWork.reduce((a, b) => a + b, 0));
        whole.push(window.__frameWhole.reduce((a, b) => a + b, 0));
      }
      return { toOutput, toFrame, whole };
    }, { label, output, values });
  };
  const report = (name, r) => {
    rows.push([`update latency, ${name}: input to outputs`, fmt(quantile(r.toOutput, 0.5)), fmt(quantile(r.toOutput, 0.95)), r.toOutput.length]);
    rows.push([`update latency, ${name}: chart redraw in the next frame`, fmt(quantile(r.toFrame, 0.5)), fmt(quantile(r.toFrame, 0.95)), r.toFrame.length]);
    rows.push([`update latency, ${name}: that frame with the browser's style, layout and paint`, fmt(quantile(r.whole, 0.5)), fmt(quantile(r.whole, 0.95)), r.whole.length]);
  };
  const devices = Array.from({ length: 200 }, (_, i) => 500 + i * 37);
  report('capacity (device count)', await latency('?w=capacity', 'Devices', 'required-connections', devices));
  const attempts = Array.from({ length: 200 }, (_, i) => 5 + (i % 25));
  report('backoff (attempts)', await latency('?w=backoff&jitter=full', 'Attempts shown', 'total-wait-s', attempts));

  // Fleet simulation: 100,000 devices, all four strategies, run in slices.
  const sims = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(new URL('?w=backoff&devices=100000&accept_rate=1000&jitter=full', BASE).href);
    await page.waitForFunction(() => window.__firstResult !== undefined);
    const ms = await page.evaluate(async () => {
      const t0 = performance.now();
      const done = () => document.querySelector('.progress')?.textContent === '';
      const seed = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Random seed').control;
      seed.value = '7';
      seed.dispatchEvent(new Event('input', { bubbles: true }));
      seed.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      while (!done()) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    });
    sims.push(ms);
  }
  rows.push(['fleet simulation, 100,000 devices at 1,000/s, 4 strategies (wall time; in workers where the page has them, else in slices)', fmt(quantile(sims, 0.5)), fmt(quantile(sims, 0.95)), sims.length]);
  // QoS Monte Carlo: 1,000,000 messages, run in slices, from a seed change to the result.
  const qos = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(new URL('?w=qos&pub=1&sub=0&loss_pct=5&messages=1000000', BASE).href);
    await page.waitForFunction(() => (document.querySelector('output[name="simulated-delivered"]')?.dataset.value ?? '') !== '', null, { timeout: 60000 });
    const ms = await page.evaluate(async () => {
      const seed = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Random seed').control;
      const out = document.querySelector('output[name="simulated-delivered"]');
      const t0 = performance.now();
      seed.value = String(100 + Math.floor(Math.random() * 1000));
      seed.dispatchEvent(new Event('input', { bubbles: true }));
      seed.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      while (out.dataset.value === '') await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    });
    qos.push(ms);
  }
  rows.push(['QoS Monte Carlo, 1,000,000 messages, publish 1 → subscribe 0 (wall time, in slices)', fmt(quantile(qos, 0.5)), fmt(quantile(qos, 0.95)), qos.length]);

    // The live page under a flood: messages per second through the WebSocket,
  // decoding, the client and the message log, and the input delay of key
  // presses made meanwhile (tests/e2e/input-delay.mjs). Throughput runs from
  // the first message counted to the last, timed in the page. Each flood is
  // taken three ways, three runs each: with nothing else asked of the page;
  // with a key press every 100 ms or so (a fast typist); with key presses as
  // fast as playwright sends them (a few hundred a second, the e2e bar's way
  // of finding any moment the page does not answer). Presses travel through
  // the DevTools protocol and cost the browser, not only the page, so the
  // last figure is also taken for a page that only counts frames (`bare`).
  const flood = async (label, n, url, before, send, bare = false) => {
    const row = [label];
    const delays = [];
    let longest = 0;
    for (const gap of [null, 100, 0]) {
      const rates = [];
      for (let run = 0; run < 3; run++) {
        const p = await context.newPage();
        if (bare) {
          await p.setContent(BARE);
          await p.evaluate((u) => window.connect(u), url);
          await p.waitForFunction(() => window.connected);
        } else {
          await p.goto(new URL(`?w=live&url=${url}&v=5&topic=mqtt-lab/bench&qos=0`, BASE).href);
          await p.getByRole('button', { name: 'Connect', exact: true }).click();
          await p.waitForFunction(() => document.querySelector('output[name="status"]').dataset.value === 'connected');
        }
        await before?.(p);
        const from = await received(p);
        await p.getByLabel('Payload', { exact: true }).focus();
        const sent = await startProbe(p);
        send();
        if (gap === null) {
          await p.waitForFunction((want) => Number(document.querySelector('output[name="messages-received"]').dataset.value) >= want,
            from + n, { timeout: 60000, polling: 50 });
        } else {
          await pressUntil(p, from + n, 60000, 'k', gap);
        }
        const r = await probeResult(p, from, from + n, sent);
        rates.push(r.rate);
        if (gap === 100) {
          delays.push(...r.keys.map((k) => k.delay));
          longest = Math.max(longest, ...r.longTasks.map((t) => t.duration));
        }
        await p.close();
      }
      row.push(Math.round(quantile(rates, 0.5)).toLocaleString('en'));
    }
    row.push(fmt(quantile(delays, 0.5)), fmt(quantile(delays, 0.95)), fmt(Math.max(...delays)), delays.length, longest);
    floods.push(row);
  };
  // A page that only counts frames: what the browser itself allows.
  const BARE = `<!doctype html><html lang="en"><body><label>Payload <input></label>
    <output name="messages-received" data-value="0">0</output><script>
    window.connect = (url) => {
      const ws = new WebSocket(url, 'mqtt'); ws.binaryType = 'arraybuffer';
      const out = document.querySelector('output');
      let n = -1, timer = null; // the first frame is the CONNACK
      ws.onopen = () => ws.send(new Uint8Array([16, 18, 0, 4, 77, 81, 84, 84, 5, 2, 0, 60, 0, 0, 5, 98, 97, 114, 101, 49]));
      ws.onmessage = () => {
        n += 1; window.connected = true;
        timer ??= setTimeout(() => { timer = null; out.dataset.value = String(n); }, 100);
      };
    };</script></body></html>`;


  const N = 50000;
  let conn;
  const fake = await startFakeBroker((c) => { answering(c); conn = c; });
  const packets = Array.from({ length: N }, (_, i) => publish({ topic: 'mqtt-lab/bench', payload: `{"n": ${i}}` }));
    await flood(`fake broker, ${N.toLocaleString('en')} QoS 0 PUBLISH, one per WebSocket frame`, N, fake.url, null,
    () => { for (const b of packets) conn.send(b); });
  await flood(`the same, to a bare page that only counts frames`, N, fake.url, null,
    () => { for (const b of packets) conn.send(b); }, true);
  await flood(`fake broker, ${N.toLocaleString('en')} QoS 0 PUBLISH, 100 per WebSocket frame`, N, fake.url, null,
    () => { for (let i = 0; i < N; i += 100) conn.send(Buffer.concat(packets.slice(i, i + 100))); });
  await fake.close();

  const M = 20000;
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-lab-bench-'));
  const [ws, tcp] = [await freePort(), await freePort()];
  const broker = await startMosquitto(join(dir, 'bench.conf'),
    `per_listener_settings true\npersistence false\nlistener ${tcp} 127.0.0.1\nallow_anonymous true\nlistener ${ws} 127.0.0.1\nprotocol websockets\nallow_anonymous true\n`, tcp);
  try {
    const lines = Array.from({ length: M }, (_, i) => `{"n": ${i}}`).join('\n') + '\n';
    await flood(`mosquitto 2.0.11, ${M.toLocaleString('en')} QoS 0 messages from mosquitto_pub -l`, M, `ws://127.0.0.1:${ws}`,
      async (p) => {
        await p.getByRole('button', { name: 'Subscribe', exact: true }).click();
        await p.waitForFunction(() => document.querySelector('.subs').innerText.includes('granted QoS 0'));
      },
      () => spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(tcp), '-t', 'mqtt-lab/bench', '-l', '-q', '0'],
        { stdio: ['pipe', 'ignore', 'inherit'] }).stdin.end(lines));
  } finally {
    broker.kill('SIGKILL');
  }
} finally {
  await browser.close();
}
console.log('| measurement | median (ms) | p95 (ms) | runs |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log();
console.log('Live page under a flood (`?w=live`, MQTT 5): messages per second through the WebSocket, decoding, client and log (median of 3 runs each way), and the input delay of the key presses made every 100 ms meanwhile (all presses of the 3 runs).');
console.log();
console.log('| flood | messages/s, nothing else | messages/s, a key every 100 ms | messages/s, keys as fast as playwright sends | input delay median (ms) | p95 (ms) | max (ms) | key presses | longest long task (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of floods) console.log(`| ${r.join(' | ')} |`);
