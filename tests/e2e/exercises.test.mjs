// ?w=exercises: keyboard-only completion, wrong answers reported, tabs, scores
// shown only for the answers checked, and the tabs on a phone.
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

/** What the "Right answers" result shows: its visible text and its data-value. */
async function rightAnswers(page) {
  const output = page.getByRole('status', { name: 'Right answers' });
  return { text: (await output.innerText()).trim(), value: await output.getAttribute('data-value'), visible: await output.isVisible() };
}

/** Nothing judged on screen: no score, no verdicts, no status line. */
async function assertNoFeedback(page, why) {
  assert.deepEqual(await rightAnswers(page), { text: 'not checked yet', value: '', visible: true }, why);
  assert.equal(await page.getByRole('tabpanel').getByText(/ of \d+ right\.$/).count(), 0, why);
  assert.equal(await page.locator('.right, .wrong, .why, .verdict-text').count(), 0, why);
}

test('order: a wrong order is reported wrong, then completed with the keyboard alone', async () => {
  const { page, errors, context } = await open(browser, '?w=exercises&tab=order', W);
  assert.equal(await value(page, 'total'), '9');
  // No score before checking, and none while reordering: nothing to try moves against.
  await assertNoFeedback(page, 'before checking');
  const first = page.getByRole('list', { name: 'The debugging flow' });
  await first.getByRole('button', { name: /^Move up: Check the connection/ }).click();
  await assertNoFeedback(page, 'after a move, unchecked');
  await first.getByRole('button', { name: /^Move down: Check the connection/ }).click();
  await page.getByRole('button', { name: 'Check my answers' }).click();
  // As first shown: 0 of 4 and 1 of 5 in place.
  assert.deepEqual(await rightAnswers(page), { text: '1', value: '1', visible: true });
  assert.ok(await page.locator('.order-list li.wrong').count() > 0);
  assert.equal(await page.locator('.announce').innerText(), '1 of 9 right.');
  assert.ok(await page.getByText('Not here.').first().isVisible());
  // One move after checking takes the score and every mark away until the next check.
  await sortByKeyboard(page, 0);
  await assertNoFeedback(page, 'after sorting the first list, unchecked');
  await sortByKeyboard(page, 1);
  await assertNoFeedback(page, 'after sorting both lists, unchecked');
  await page.getByRole('button', { name: 'Check my answers' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '9');
  assert.deepEqual(await rightAnswers(page), { text: '9', value: '9', visible: true });
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
  await assertNoFeedback(page, 'two definitions chosen, unchecked');
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '1');
  assert.equal(await page.locator('.announce').innerText(), '1 of 9 right.');
  assert.equal(await page.getByText('Right', { exact: true }).count(), 1);
  // The match tab's feedback stays under the match tab.
  await page.getByRole('tab', { name: 'Label the flow' }).click();
  assert.equal((await params(page)).get('tab'), 'label');
  assert.equal(await value(page, 'total'), '4');
  await assertNoFeedback(page, 'the label tab, after checking the match tab');
  for (const [i, tool] of ['Serial Monitor', 'MQTT Explorer', "mosquitto_sub -t '#' -v", 'Payload decode test'].entries()) {
    await page.getByLabel(`Box ${i + 1}:`).selectOption({ label: tool });
  }
  await assertNoFeedback(page, 'every box labelled, unchecked');
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '4');
  assert.equal(await page.locator('.announce').innerText(), '4 of 4 right.');
  // Back on the match tab, its own check is shown again, its answers unchanged.
  await page.getByRole('tab', { name: 'Match the concepts' }).click();
  assert.deepEqual(await rightAnswers(page), { text: '1', value: '1', visible: true });
  assert.equal(await page.locator('.announce').innerText(), '1 of 9 right.');
  // Reset forgets it.
  await page.getByRole('button', { name: 'Reset this exercise' }).click();
  await assertNoFeedback(page, 'after reset');
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
  await assertNoFeedback(page, 'the right line and fix, unchecked');
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await page.waitForFunction(() => document.querySelector('output[name="score"]').dataset.value === '1');
  assert.match(await first.locator('.why').innerText(), /^Right\./);
  assert.deepEqual(errors, []);
  await context.close();
});

test('tabs: one row that fits at 360 px and at 700 px, each tab a full tap target', async () => {
  for (const width of [360, 700]) {
    const { page, errors, context } = await open(browser, '?w=exercises', { ...W, viewport: { width, height: 740 } });
    const tabs = page.getByRole('tab');
    assert.equal(await tabs.count(), 4);
    const boxes = [];
    for (let i = 0; i < 4; i++) {
      assert.ok(await tabs.nth(i).isVisible());
      boxes.push(await tabs.nth(i).boundingBox());
    }
    for (const b of boxes) {
      assert.equal(Math.round(b.y), Math.round(boxes[0].y), `${width} px: one row ${JSON.stringify(boxes)}`);
      assert.ok(b.x >= 0 && b.x + b.width <= width, `${width} px: inside the screen ${JSON.stringify(b)}`);
      assert.ok(b.height >= 44, `${width} px: ${b.height} px tall`);
    }
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
