// ?w=debug and ?w=battery: the must-holds, links, and corrected arithmetic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('debug: no messages with no loop is a missing network loop, found at message flow', async () => {
  const { page, errors, context } = await open(browser, '?w=debug&symptom=no-messages&loop=no', { waitFor: 'output[name="cause"]' });
  assert.equal(await value(page, 'cause'), 'missing-network-loop');
  assert.equal(await value(page, 'step'), 'message-flow');
  assert.equal(await page.locator('.step.current').count(), 1);
  assert.match(await page.locator('.step.current').innerText(), /Verify the message flow/);
  // The keepalive-timeout reason code links to the explorer.
  await page.getByRole('link', { name: /141 \(0x8D\)/ }).click();
  await page.waitForSelector('output[name="code-name"]');
  assert.equal(await value(page, 'code-name'), 'Keep Alive timeout');
  assert.deepEqual(errors, []);
  await context.close();
});

test('debug: intermittent loss with publisher QoS 1 and subscriber QoS 0 is a QoS mismatch', async () => {
  const { page, errors, context } = await open(browser, '?w=debug&symptom=intermittent-loss&pub_qos=1&sub_qos=0', { waitFor: 'output[name="cause"]' });
  assert.equal(await value(page, 'cause'), 'qos-mismatch');
  await page.getByRole('group', { name: 'Subscriber QoS' }).getByLabel('1').check();
  await page.waitForFunction(() => document.querySelector('output[name="cause"]').dataset.value === 'connection-drops-in-flight');
  assert.equal((await params(page)).get('sub_qos'), '1');
  // The checklist is keyboard operable.
  await page.locator('#step-connection').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#step-connection').isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('debug: cannot connect on a public broker recommends a private one, never another public one', async () => {
  const { page, errors, context } = await open(browser, '?w=debug&symptom=cannot-connect&broker=public', { waitFor: 'output[name="cause"]' });
  assert.equal(await value(page, 'cause'), 'broker-unreachable');
  const card = await page.locator('.diagnosis').innerText();
  assert.match(card, /private broker/);
  assert.doesNotMatch(card, /hivemq\.com/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('battery: 3000 mAh at 180 mA and 20 mA give 16.7 h, 150 h and 9.0', async () => {
  const { page, errors, context } = await open(browser, '?w=battery&capacity_mah=3000&busy_ma=180&idle_ma=20', { waitFor: 'output[name="ratio"]' });
  assert.equal(Number(await value(page, 'busy-hours')).toFixed(1), '16.7');
  assert.equal(await value(page, 'event-hours'), '150');
  assert.equal(await value(page, 'ratio'), '9');
  assert.equal(await page.locator('output[name="ratio"]').innerText(), '9.0×');
  assert.equal(await value(page, 'average-ma'), '1.2099');
  const awake = await typeInto(page, 'Awake time per wake-up (s)', '400');
  // Beside the awake-time field, which it names.
  await page.waitForFunction(() => document.querySelector('#f-active_s-error').textContent.includes('must not exceed the wake interval (300 s)'));
  assert.equal(await awake.getAttribute('aria-invalid'), 'true');
  await typeInto(page, 'Awake time per wake-up (s)', '6');
  await page.waitForFunction(() => document.querySelector('output[name="average-ma"]').dataset.value === '2.4098');
  await page.getByLabel('loop() in your own loop').check();
  await page.waitForFunction(() => document.querySelector('.snippet pre').innerText.includes('enters deep sleep'));
  assert.equal((await params(page)).get('strategy'), 'loop');
  assert.deepEqual(errors, []);
  await context.close();
});

test('debug: "Also possible" only over a list of other causes', async () => {
  // A garbled payload has one cause in the rules: no heading over nothing.
  const one = await open(browser, '?w=debug&symptom=garbled-payload', { waitFor: 'output[name="cause"]' });
  assert.equal(await one.page.getByRole('heading', { name: 'Also possible' }).count(), 0);
  assert.equal(await one.page.getByRole('region', { name: 'Other possible causes' }).count(), 0);
  assert.deepEqual(one.errors, []);
  await one.context.close();
  const many = await open(browser, '?w=debug&symptom=cannot-connect', { waitFor: 'output[name="cause"]' });
  assert.ok(await many.page.getByRole('heading', { name: 'Also possible' }).isVisible());
  assert.ok(await many.page.getByRole('region', { name: 'Other possible causes' }).getByRole('listitem').count() > 0);
  assert.deepEqual(many.errors, []);
  await many.context.close();
});
