// Takes screenshots for a human look: node tests/e2e/screenshot.mjs "?w=capacity" out.png [width] [dark]
import { launch, open } from './browser.mjs';
const [query, out, width = '1200', scheme = 'light'] = process.argv.slice(2);
const browser = await launch();
try {
  const { page, errors } = await open(browser, query, { viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
  await page.waitForTimeout(400);
  await page.screenshot({ path: out, fullPage: process.env.FULL !== '0' });
  if (errors.length) console.error(errors.join('\n'));
} finally {
  await browser.close();
}
