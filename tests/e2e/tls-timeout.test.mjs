// ?w=tls-timeout: hand-worked defaults, the chapter's 6 s worst case, units in snippets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const W = { waitFor: 'output[name="connect-ms"]' };

test('ESP32 defaults: 1.7 s expected, 3.5 s worst, 7 s timeout, 60 s keepalive', async () => {
  const { page, errors, context } = await open(browser, '?w=tls-timeout&device=esp32&tls=1.2&rtt_ms=100', W);
  assert.equal(await value(page, 'connect-ms'), '1700');
  assert.equal(await value(page, 'worst-case-ms'), '3500');
  assert.equal(await value(page, 'recommended-timeout-s'), '7');
  assert.equal(await value(page, 'keepalive-s'), '60');
  const snippets = await page.locator('.snippet pre').allInnerTexts();
  assert.ok(snippets.some((s) => s.includes('net.setHandshakeTimeout(7);  // seconds')));
  // Issue 13, point 11: the BearSSL client's handshake timeout is fixed, and
  // no snippet calls a setTimeout whose unit depends on the version.
  assert.ok(snippets.some((s) => s.includes('a fixed 15 s')));
  assert.ok(!snippets.some((s) => /^\s*net\.setTimeout\(/m.test(s)));
  assert.deepEqual(errors, []);
  await context.close();
});

test('ESP8266 at 80 MHz with 500 ms latency and 2 s load: worst case at least 6 s', async () => {
  const { page, errors, context } = await open(browser, '?w=tls-timeout&device=esp8266-80&rtt_ms=500&load_ms=2000', W);
  assert.ok(Number(await value(page, 'worst-case-ms')) >= 6000);
  assert.ok(Number(await value(page, 'recommended-timeout-s')) * 1000 >= Number(await value(page, 'worst-case-ms')));
  assert.match(await page.locator('figure.chart canvas').getAttribute('aria-label'), /Recommended timeout 34 s/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('TLS 1.3 and resumption are faster; the custom device shows its crypto field', async () => {
  const { page, errors, context } = await open(browser, '?w=tls-timeout', W);
  const before12 = Number(await value(page, 'connect-ms'));
  await page.getByLabel('TLS 1.3').check();
  await page.waitForFunction((b) => Number(document.querySelector('output[name="connect-ms"]').dataset.value) === b - 100, before12);
  await page.getByLabel('Resumed session').check();
  await page.waitForFunction(() => Number(document.querySelector('output[name="connect-ms"]').dataset.value) === 640);
  assert.equal((await params(page)).get('tls'), '1.3');
  assert.equal((await params(page)).get('resume'), '1');
  assert.equal(await page.getByLabel('Crypto time, custom device (ms)', { exact: true }).count(), 0);
  // The note of where the device's figures come from follows the device.
  const sources = page.locator('.tls-notes .note').nth(1);
  assert.match(await sources.innerText(), /^Measured: about 1\.2 s per handshake/);
  await page.getByLabel('Device').selectOption('custom');
  await typeInto(page, 'Crypto time, custom device (ms)', '500');
  await page.waitForFunction(() => document.querySelector('output[name="connect-ms"]').dataset.value === '500');
  assert.equal(await sources.innerText(), 'Your own measured crypto time; the worst case takes it twice.');
  assert.deepEqual(errors, []);
  await context.close();
});
