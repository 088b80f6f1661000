// Browser benchmarks against a served release build (see scripts/bench.sh):
// time to first render, update latency per input change, simulation time.
// Prints a Markdown table; numbers are milliseconds unless stated.
import { launch, BASE } from '../e2e/browser.mjs';

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const fmt = (x) => x.toFixed(2);
const rows = [];

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Records when the first result appears, from navigation start.
  await context.addInitScript(() => {
    // Times every animation-frame callback the app queues (the chart redraws).
    const raf = window.requestAnimationFrame.bind(window);
    window.__raf = raf;
    window.__frameWork = [];
    window.requestAnimationFrame = (cb) => raf((ts) => {
      const t = performance.now(); cb(ts); window.__frameWork.push(performance.now() - t);
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

  // Update latency per input change, two figures: until the outputs hold the
  // new values (a MutationObserver sees the data-value change), and the chart's
  // redraw, which runs in the next animation frame (the app's frame callbacks, timed).
  const latency = async (query, label, output, values) => {
    await page.goto(new URL(query, BASE).href);
    await page.waitForFunction(() => window.__firstResult !== undefined);
    return page.evaluate(async ({ label, output, values }) => {
      const field = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === label).control;
      const out = document.querySelector(`output[name="${output}"]`);
      const frame = () => new Promise((r) => window.__raf(() => setTimeout(r, 0)));
      const toOutput = [];
      const toFrame = [];
      for (const v of values) {
        await frame();
        let changed = 0;
        const obs = new MutationObserver(() => { if (!changed) changed = performance.now(); });
        obs.observe(out, { attributes: true, attributeFilter: ['data-value'] });
        const t0 = performance.now();
        field.value = String(v);
        field.dispatchEvent(new Event('input', { bubbles: true }));
        window.__frameWork = [];
        await frame();
        await frame();
        obs.disconnect();
        if (changed) toOutput.push(changed - t0);
        toFrame.push(window.__frameWork.reduce((a, b) => a + b, 0));
      }
      return { toOutput, toFrame };
    }, { label, output, values });
  };
  const report = (name, r) => {
    rows.push([`update latency, ${name}: input to outputs`, fmt(quantile(r.toOutput, 0.5)), fmt(quantile(r.toOutput, 0.95)), r.toOutput.length]);
    rows.push([`update latency, ${name}: chart redraw in the next frame`, fmt(quantile(r.toFrame, 0.5)), fmt(quantile(r.toFrame, 0.95)), r.toFrame.length]);
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
      await new Promise((r) => setTimeout(r, 0));
      while (!done()) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    });
    sims.push(ms);
  }
  rows.push(['fleet simulation, 100,000 devices at 1,000/s, 4 strategies (wall time, in slices)', fmt(quantile(sims, 0.5)), fmt(quantile(sims, 0.95)), sims.length]);
  // QoS Monte Carlo: 1,000,000 messages, run in slices, from a seed change to the result.
  const qos = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(new URL('?w=qos&pub=1&sub=0&loss_pct=5&messages=1000000', BASE).href);
    await page.waitForFunction(() => document.querySelector('output[name="simulated-delivered"]').dataset.value !== '', null, { timeout: 60000 });
    const ms = await page.evaluate(async () => {
      const seed = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Random seed').control;
      const out = document.querySelector('output[name="simulated-delivered"]');
      const t0 = performance.now();
      seed.value = String(100 + Math.floor(Math.random() * 1000));
      seed.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      while (out.dataset.value === '') await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    });
    qos.push(ms);
  }
  rows.push(['QoS Monte Carlo, 1,000,000 messages, publish 1 → subscribe 0 (wall time, in slices)', fmt(quantile(qos, 0.5)), fmt(quantile(qos, 0.95)), qos.length]);
} finally {
  await browser.close();
}
console.log('| measurement | median (ms) | p95 (ms) | runs |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
