// ?w=exercises: keyboard-only completion, wrong answers reported, tabs, scores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, value, params } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const W = { waitFor: 'output[name="score"]' };

// The right orders, by the start of each step's text (the page does not expose them).
const EXPECTED = [
  ['Check the connection', 'Verify the message flow', 'Validate the topics', 'Test the payloads'],
  ['Create a CA', 'Add a listener', 'Create users', 'Write an ACL', 'Restart the broker'],
];

// Sort a list with the keyboard alone: focus a "Move up" button and press Enter.
async function sortByKeyboard(page, k) {
  const list = page.locator('.order-list').nth(k);
  for (let guard = 0; guard < 40; guard++) {
    const texts = (await list.locator('.order-text').allInnerTexts()).map((t) => t.replace(/^\d+\. /, ''));
    const wrong = texts.findIndex((t, i) => !t.startsWith(EXPECTED[k][i]));
    if (wrong < 0) return;
    const from = texts.findIndex((t) => t.startsWith(EXPECTED[k][wrong]));
    await list.locator('li').nth(from).getByRole('button', { name: /^Move up/ }).focus();
    await page.keyboard.press('Enter');
  }
  throw new Error('did not converge');
}

test('order: a wrong order is reported wrong, then completed with the keyboard alone', async () => {
  const { page, errors, context } = await open(browser, '?w=exercises&tab=order', W);
  assert.equal(await value(page, 'total'), '9');
  await page.getByRole('button', { name: 'Check my answers' }).click();
  assert.ok(Number(await value(page, 'score')) < 9);
  assert.ok(await page.locator('.order-list li.wrong').count() > 0);
  assert.match(await page.locator('.announce').innerText(), /of 9 right/);
  await sortByKeyboard(page, 0);
  await sortByKeyboard(page, 1);
  await page.getByRole('button', { name: 'Check my answers' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '9');
  assert.equal(await page.locator('.announce').innerText(), '9 of 9 right.');
  assert.equal(await page.locator('.order-list li.wrong').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('tabs switch with the arrow keys and the URL follows; match and label score', async () => {
  const { page, errors, context } = await open(browser, '?w=exercises', W);
  await page.getByRole('tab', { name: 'Order the steps' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'match');
  assert.equal(await page.getByRole('tab', { name: 'Match the concepts' }).getAttribute('aria-selected'), 'true');
  assert.equal(await value(page, 'total'), '9');
  await page.getByLabel('Broker', { exact: true }).selectOption({ label: 'The server that routes each published message to every client subscribed to a matching topic' });
  await page.getByLabel('Keepalive', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '1');
  await page.keyboard.press('End');
  await page.getByRole('tab', { name: 'Label the flow' }).click();
  assert.equal((await params(page)).get('tab'), 'label');
  for (const [i, tool] of ['Serial Monitor', 'MQTT Explorer', "mosquitto_sub -t '#' -v", 'Payload decode test'].entries()) {
    await page.locator(`#label-${i}`).selectOption({ label: tool });
  }
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '4');
  assert.deepEqual(errors, []);
  await context.close();
});

test('code: the right line and fix, and a wrong fix reported with the explanation', async () => {
  const { page, errors, context } = await open(browser, '?w=exercises&tab=code', W);
  assert.equal(await value(page, 'total'), '7');
  const first = page.locator('.challenge').first();
  await first.getByText('while True:').click();
  await first.getByLabel('Subscribe with qos=0').check();
  await page.getByRole('button', { name: 'Check my answers' }).click();
  assert.match(await first.locator('.why').innerText(), /^Not yet\. No network loop runs/);
  await first.getByText('time.sleep(1)').click();
  await first.getByLabel('Replace the sleep loop with client.loop_forever()').check();
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '1');
  assert.match(await first.locator('.why').innerText(), /^Right\./);
  assert.deepEqual(errors, []);
  await context.close();
});
