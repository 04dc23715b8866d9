// What the shop says when something goes wrong must be true: an order whose
// answer came too late may have been placed (and submitting again shows it,
// never a second one); too many lookups say how long to wait; a server
// failure gives the shopper the request id to quote.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, fillCheckout, ADMIN_TOKEN } from './support.mjs';

let shop, browser, context, page;

before(async () => {
  shop = await startShop({ env: { RATE_LIMIT_LOOKUPS_PER_MINUTE: '2' } });
  browser = await launchBrowser();
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

async function orderCount() {
  const response = await fetch(`${shop.url}/api/admin/orders`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await response.json()).total;
}

test('an order whose answer timed out is shown when submitted again, not placed twice', async () => {
  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.goto(`${shop.url}/checkout`);
  await fillCheckout(page);

  // The order reaches the server and is placed, but the shopper's answer is
  // the deadline's 503 (as when the commit finished after the deadline).
  let keys = [];
  await page.route('**/api/orders', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    await route.fetch();
    await route.fulfill({
      status: 503,
      contentType: 'application/json',
      headers: { 'x-request-id': 'slow-request-42' },
      body: JSON.stringify({ error: { code: 'timeout', message: 'the server took too long; try again' } }),
    });
  }, { times: 1 });
  const before = await orderCount();
  await page.getByRole('button', { name: '提交订单' }).click();
  const status = page.locator('.form-status');
  await status.filter({ hasText: '可能已经提交' }).waitFor();
  assert.doesNotMatch(await status.innerText(), /没有提交成功/);
  assert.match(await status.innerText(), /slow-request-42/, 'the request id to quote');
  assert.equal(await orderCount(), before + 1, 'the order was placed');

  await page.route('**/api/orders', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    await route.continue();
  });
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.waitForURL(/\/orders\/XQ/);
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry sent the same idempotency key');
  assert.equal(await orderCount(), before + 1, 'still one order');
  await page.unroute('**/api/orders');
});

test('too many lookups say how many seconds to wait', async () => {
  await page.goto(`${shop.url}/orders`);
  const status = page.getByRole('alert');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.getByLabel('订单号').fill('XQ2222222222');
    await page.getByLabel('手机号').fill('13800138000');
    await page.getByRole('button', { name: '查询' }).click();
    await status.filter({ hasText: attempt < 2 ? '没有找到' : '秒后再试' }).waitFor();
  }
  assert.match(await status.innerText(), /尝试次数太多，请 \d+ 秒后再试/);
  assert.equal(await page.getByRole('button', { name: '查询' }).isDisabled(), true, 'no retry before Retry-After');
});

test('a server failure shows the request id to quote', async () => {
  await page.route('**/api/products*', (route) => route.fulfill({
    status: 500,
    contentType: 'application/json',
    headers: { 'x-request-id': 'broken-request-7' },
    body: JSON.stringify({ error: { code: 'internal', message: 'internal error' } }),
  }));
  // The first page comes from the server; the app asks the API from then on.
  await page.goto(`${shop.url}/`);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '全部商品' }).click();
  const alert = page.locator('.load-error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /broken-request-7/);
  await page.unroute('**/api/products*');
});
