// Helpers of the platform tests (issue 25): rendering with Debian's pandoc and the
// extension's filter, a static server for the rendered pages on another origin than
// the widgets, frames' sizes, and axe-core in a page or a frame.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { BASE } from '../e2e/browser.mjs';

const require = createRequire(import.meta.url);
export const AXE = require.resolve('axe-core/axe.min.js');
export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const EXT = join(ROOT, 'integrations/quarto/_extensions/mqtt-lab');
export const EXAMPLE = join(ROOT, 'integrations/quarto/example');
export const SITE = new URL(BASE).href;

export const tempDir = (name) => mkdtemp(join(tmpdir(), `mqtt-lab-${name}-`));

/**
 * pandoc FILE (or markdown on stdin: `input`) with the filter, standalone HTML;
 * the widgets' address is the served site unless `base` says otherwise.
 */
export function pandoc({ file, input, args = [], base = SITE, filter = join(EXT, 'mqtt-lab-filter.lua') }) {
  const r = spawnSync('pandoc', ['-f', 'markdown', '-t', 'html', '--wrap=none', '--lua-filter', filter, ...args, ...(file ? [file] : [])],
    { input, encoding: 'utf8', env: { ...process.env, MQTT_LAB_BASE: base ?? '' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.xml': 'application/xml', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain' };

/** Serves DIR on 127.0.0.1; returns the server and its address as `localhost` (another origin than the widgets'). */
export async function serveDir(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (path === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://localhost:${server.address().port}/` };
}

/** The frame's document height and the height its parent gave the iframe element. */
export async function heights(page, frameElement) {
  const frame = await frameElement.contentFrame();
  const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const outer = await frameElement.evaluate((f) => f.clientHeight);
  return { inner, outer };
}

/** Scrolls the frame into view and waits until embed.js has sized it to its widget (within a pixel). */
export async function settle(page, frameElement) {
  await frameElement.scrollIntoViewIfNeeded();
  // The widget is mounted: the frame has its page and the page its results.
  await page.waitForFunction((f) => f.src && f.contentWindow, frameElement);
  for (let i = 0; i < 100; i++) {
    const frame = await frameElement.contentFrame();
    if (frame && frame.url().includes('embed=1')) {
      const mounted = await frame.waitForSelector('main output, main [role="tab"]', { timeout: 20000 }).catch(() => null);
      if (mounted) break;
    }
    await page.waitForTimeout(100);
  }
  let h;
  for (let i = 0; i < 200; i++) {
    // A lazy frame may still be navigating from about:blank to its widget.
    h = await heights(page, frameElement).catch(() => ({ inner: -1, outer: 0 }));
    if (Math.abs(h.inner - h.outer) <= 1) return h;
    await page.waitForTimeout(100);
  }
  return h;
}

/** axe-core with every rule (experimental included) in a page or a frame; frames are checked one by one. */
export async function axeViolations(target) {
  await target.addScriptTag({ path: AXE });
  const result = await target.evaluate(() => {
    const experimental = Object.fromEntries(window.axe.getRules(['experimental']).map((r) => [r.ruleId, { enabled: true }]));
    return window.axe.run(document, { rules: experimental, iframes: false });
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
