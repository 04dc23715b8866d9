// The shop and the order pages are two apps (two wasm files): the first
// screen loads only the shop's, prefetches the order pages' once it has
// loaded (not when the shopper saves data), and links between them load the
// other app, the cart and the language carried across.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE } from './support.mjs';

let shop, browser;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

/** The order pages' files this page fetched, and when, against its load event. */
const orderAppFetches = (page) => page.evaluate(() => {
  const loaded = performance.getEntriesByType('navigation')[0].loadEventEnd;
  return performance.getEntriesByType('resource')
    .filter((r) => r.name.includes('/order-app/order-app-'))
    .map((r) => ({ name: r.name, afterLoad: r.startTime >= loaded, transferSize: r.transferSize }));
});

test('the first screen loads the shop alone, then prefetches the order pages, which the cart then reuses', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  await page.goto(`${shop.url}/products/jingtai-red-goji`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').filter((r) => r.name.includes('/order-app/order-app-')).length === 2);
  const prefetched = await orderAppFetches(page);
  assert.ok(prefetched.every((f) => f.afterLoad), `prefetched after the first screen loaded: ${JSON.stringify(prefetched)}`);
  assert.ok(prefetched.some((f) => f.name.endsWith('_bg.wasm')) && prefetched.some((f) => f.name.endsWith('.js')));

  await page.locator('.cart-link').click();
  await page.waitForURL('**/cart');
  await page.locator('.cart-line').waitFor();
  assert.match(await page.locator('.cart-line').innerText(), /景泰红枸杞/);
  const onCart = await orderAppFetches(page);
  const wasm = onCart.find((f) => f.name.endsWith('_bg.wasm'));
  assert.equal(wasm?.transferSize, 0, 'the order pages\' wasm came from the prefetch, not the network');

  // And back: a link into the shop loads the shop.
  await page.getByRole('link', { name: '全部商品' }).click();
  await page.waitForURL('**/products');
  await page.locator('.product-card').first().waitFor();
  await context.close();
});

test('a shopper who saves data gets no prefetch', async () => {
  const context = await browser.newContext(PHONE);
  await context.addInitScript(() => {
    Object.defineProperty(navigator, 'connection', { value: { saveData: true } });
  });
  const page = await context.newPage();
  await page.goto(`${shop.url}/`);
  await page.locator('.product-card').first().waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(await orderAppFetches(page), []);
  await context.close();
});
