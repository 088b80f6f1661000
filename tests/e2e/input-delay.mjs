// Responsiveness measured while load arrives: real key presses sent through
// playwright, timed by the browser. Three views of the same presses:
// - Event Timing API (PerformanceObserver type 'event'): input delay =
//   processingStart - startTime. It reports only events of 16 ms or more in
//   all (its smallest durationThreshold), so an unreported press waited less.
// - A keydown listener: handler start - event.timeStamp, for every press.
// - Long Tasks API: main-thread tasks over 50 ms, during which input waits.
// The page's messages-received count is watched too, so that a test can keep
// the presses made while a flood was being taken in: from when it was sent
// (or the first message counted) to the last message counted.

/** Starts recording on `page` (call before the load starts); resolves with the page's time. */
export function startProbe(page) {
  return page.evaluate(() => {
    const m = { events: [], longTasks: [], keys: [], counts: [] };
    window.__probe = m;
    new PerformanceObserver((l) => m.events.push(...l.getEntries().map((e) => ({
      name: e.name, startTime: e.startTime, delay: e.processingStart - e.startTime, duration: e.duration }))))
      .observe({ type: 'event', durationThreshold: 16 });
    new PerformanceObserver((l) => m.longTasks.push(...l.getEntries().map((e) => ({ startTime: e.startTime, duration: e.duration }))))
      .observe({ type: 'longtask' });
    const out = document.querySelector('output[name="messages-received"]');
    new MutationObserver(() => m.counts.push({ t: performance.now(), count: Number(out.dataset.value) }))
      .observe(out, { attributes: true, attributeFilter: ['data-value'] });
    document.addEventListener('keydown', (e) => m.keys.push({ t: e.timeStamp, delay: performance.now() - e.timeStamp }), true);
    return performance.now();
  });
}

/** The page's messages-received count. */
export async function received(page) {
  return Number(await page.locator('output[name="messages-received"]').getAttribute('data-value'));
}

/**
 * Presses `key` in the focused element, one press after the other (with
 * `gapMs` between them: 0 presses as fast as playwright can, a few hundred a
 * second), until the page's count reaches `want` or `ms` pass. The count is
 * watched inside the page, so that nothing but key presses is asked of it
 * meanwhile.
 */
export async function pressUntil(page, want, ms, key = 'k', gapMs = 0) {
  let done = false;
  const reached = page.waitForFunction((n) => Number(document.querySelector('output[name="messages-received"]').dataset.value) >= n,
    want, { timeout: ms, polling: 50 }).then(() => { done = true; }, () => { done = true; });
  while (!done) {
    await page.keyboard.press(key);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  await reached;
}

/**
 * What was recorded while the count went from `from` to `to` (the load in
 * progress: from `since`, a page time, or else the first message counted, to
 * the last message counted): key presses, Event Timing entries and long
 * tasks; `ms`, how long that took, and `rate`, the messages per second
 * counted after the first batch.
 */
export async function probeResult(page, from, to, since) {
  const m = await page.evaluate(() => window.__probe);
  const first = m.counts.find((c) => c.count > from);
  const end = m.counts.find((c) => c.count >= to)?.t ?? -Infinity;
  const start = since ?? first?.t ?? Infinity;
  const keys = m.keys.filter((k) => k.t >= start && k.t <= end);
  return {
    ms: end - start,
    rate: (to - (first?.count ?? to)) / ((end - (first?.t ?? end)) / 1000),
    allKeys: m.keys.length,
    keys,
    events: m.events.filter((e) => e.startTime >= start && e.startTime <= end),
    longTasks: m.longTasks.filter((e) => e.startTime + e.duration >= start && e.startTime <= end),
  };
}

const max = (xs) => Math.max(0, ...xs);

/** One line: how many presses, the worst input delay by each view, the longest task. */
export function describeProbe(r) {
  const worst = r.events.reduce((w, e) => (e.delay > (w?.delay ?? -1) ? e : w), null);
  return `${r.keys.length} key presses during the load (${r.ms.toFixed(0)} ms); input delay by listener max ${max(r.keys.map((k) => k.delay)).toFixed(1)} ms; `
    + `Event Timing: ${r.events.length} entries of 16 ms or more, max input delay ${(worst?.delay ?? 0).toFixed(1)} ms${worst ? ` (${worst.name})` : ''}; `
    + `long tasks: ${r.longTasks.length}, longest ${max(r.longTasks.map((e) => e.duration))} ms`;
}
