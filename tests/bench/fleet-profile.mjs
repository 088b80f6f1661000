// Where the fleet bench's wall time goes (issue 24): a Chromium trace of one
// 100,000-device run of the four strategies, split into script (the slices),
// the browser's rendering (style, layout, paint, commit) and idle gaps.
// E2E_BASE_URL=... node tests/bench/fleet-profile.mjs [runs]
import { launch, BASE } from '../e2e/browser.mjs';

const runs = Number(process.argv[2] ?? 5);
const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit', 'Layerize', 'UpdateLayer',
  'CompositeLayers', 'RasterTask', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'IntersectionObserverController::computeIntersections',
  'HitTest', 'ParseHTML', 'BeginMainThreadFrame', 'UpdateLayerTree', 'PaintImage']);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const rows = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(new URL('?w=backoff&devices=100000&accept_rate=1000&jitter=full', BASE).href);
    await page.waitForFunction(() => document.querySelector('.progress')?.textContent === '' &&
      document.querySelector('output[data-value]')?.dataset.value, null, { timeout: 30000 });
    await new Promise((r) => setTimeout(r, 300));
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing', 'v8.execute'] });
    const wall = await page.evaluate(async () => {
      const done = () => document.querySelector('.progress')?.textContent === '';
      const seed = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Random seed').control;
      performance.mark('fleet-start');
      const t0 = performance.now();
      seed.value = String(7 + Math.floor(Math.random() * 1000));
      seed.dispatchEvent(new Event('input', { bubbles: true }));
      seed.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      while (!done()) await new Promise((r) => setTimeout(r, 1));
      const ms = performance.now() - t0;
      performance.mark('fleet-end');
      return ms;
    });
    const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const start = trace.find((e) => e.name === 'fleet-start');
    const end = trace.find((e) => e.name === 'fleet-end');
    const main = trace.filter((e) => e.pid === start.pid && e.tid === start.tid && e.ts >= start.ts && e.ts <= end.ts && e.ph === 'X');
    const tasks = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
    // Top-level tasks only (not nested in another).
    tasks.sort((a, b) => a.ts - b.ts);
    const top = [];
    for (const t of tasks) if (!top.length || t.ts >= top[top.length - 1].ts + top[top.length - 1].dur) top.push(t);
    const busy = top.reduce((a, t) => a + t.dur, 0) / 1000;
    const cpu = top.reduce((a, t) => a + (t.tdur ?? 0), 0) / 1000;
    // Rendering: outermost rendering events.
    const rend = main.filter((e) => RENDER.has(e.name)).sort((a, b) => a.ts - b.ts);
    let render = 0; let until = 0;
    for (const e of rend) { if (e.ts >= until) { render += e.dur; until = e.ts + e.dur; } }
    render /= 1000;
    const big = top.filter((t) => t.dur > 1000).length;
    const longest = Math.max(...top.map((t) => t.dur)) / 1000;
    const names = {};
    for (const e of main) names[e.name] = (names[e.name] ?? 0) + (e.dur ?? 0) / 1000;
    rows.push({ wall, traced: (end.ts - start.ts) / 1000, busy, cpu, render, idle: (end.ts - start.ts) / 1000 - busy, tasks: top.length, tasksOver1ms: big, longest });
    if (process.env.TIMELINE && i === runs - 1) {
      for (const t of top) {
        const inner = main.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.dur > 200).map((e) => `${e.name}:${(e.dur / 1000).toFixed(1)}`);
        console.log(((t.ts - start.ts) / 1000).toFixed(1), (t.dur / 1000).toFixed(2), [...new Set(inner)].slice(0, 6).join(' '));
      }
    }
    if (process.env.NAMES) console.log(Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 25));
  }
  const med = (k) => { const s = rows.map((r) => r[k]).sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  for (const r of rows) console.log(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 10) / 10])));
  console.log('median', Object.fromEntries(Object.keys(rows[0]).map((k) => [k, Math.round(med(k) * 10) / 10])));
} finally {
  await browser.close();
}
