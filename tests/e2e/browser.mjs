// Shared helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core, with every page error and console error collected so that
// a WebAssembly panic fails the test that caused it.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080/';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts the browser; `args` adds command-line switches, e.g. a certificate pin
 * (`--ignore-certificate-errors-spki-list=...`) for a test's own TLS server.
 */
export async function launch({ args = [] } = {}) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...ARGS, ...args] });
}

/** Opens `query` (e.g. "?w=capacity") in a fresh page; returns the page and its error list. */
export async function open(browser, query, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1200, height: 900 },
    colorScheme: options.colorScheme ?? 'light' });
  // E.g. routes that hold or refuse some of the page's files.
  await options.setup?.(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(new URL(query, BASE).href);
  await page.waitForSelector(options.waitFor ?? 'main');
  return { page, errors, context };
}

/** The `data-value` of `<output name=KEY>`. */
export async function value(page, key) {
  return page.locator(`output[name="${key}"]`).getAttribute('data-value');
}

/**
 * The query parameters in the address bar. The page writes them in a task
 * of its own after the one that handled the input (src/url_state.rs), so
 * they are read in a task queued after that one.
 */
export async function params(page) {
  return new URLSearchParams(await page.evaluate(() => new Promise((r) => setTimeout(() => r(location.search), 0))));
}

/**
 * Replaces the text of the field labelled `label` as a user would type it. A
 * number box counts its text once it is finished (src/components/number_field.rs):
 * this one presses Enter, as a student who wants the result now does.
 */
export async function typeInto(page, label, text) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill('');
  await field.pressSequentially(text);
  if (await field.getAttribute('inputmode') === 'decimal') await field.press('Enter');
  return field;
}

/** The widget registry's slugs, as the build wrote them into index.html. */
export async function registry(browser) {
  const { page, context } = await open(browser, '?');
  const list = JSON.parse(await page.locator('#mqtt-lab-widgets').textContent());
  await context.close();
  return list;
}

/**
 * The accessible names of the buttons in `selector`, in order, read from the
 * accessibility tree as a screen reader gets them. The tree comes as YAML: a
 * name with quotes in it is single-quoted with its apostrophes doubled.
 */
export async function buttonNames(page, selector) {
  const yaml = await page.locator(selector).ariaSnapshot();
  return yaml.split('\n').map((line) => {
    let item = line.trim().replace(/^- /, '');
    if (item.startsWith("'")) item = item.slice(1, -1).replace(/''/g, "'");
    const m = item.match(/^button "((?:[^"\\]|\\.)*)"/);
    return m && m[1].replace(/\\(.)/g, '$1');
  }).filter((n) => n !== null);
}

/**
 * Saves the live page's session through its "Export the session (JSON)" button
 * to `file`; returns the session as parsed.
 */
export async function exportSession(page, file) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the session (JSON)' }).click(),
  ]);
  await download.saveAs(file);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Holds the chunks of a split bundle (scripts/build.sh splits some widgets)
 * until `release()`, then lets them through (`arrives`) or refuses them
 * (`refused`); `asked()` waits (up to 5 s) for the page to ask for one and
 * says how many requests it made.
 */
export async function holdChunks(page, bundle, outcome) {
  let asked = 0;
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/w/${bundle}/split_*.wasm`, async (route) => {
    asked += 1;
    await held;
    await (outcome === 'arrives' ? route.continue() : route.abort());
  });
  const requested = async () => {
    for (let i = 0; asked === 0 && i < 100; i++) await page.waitForTimeout(50);
    return asked;
  };
  return { asked: requested, release };
}
