// One static build, an order API on another origin: the storefront is
// served from one port (as a CDN would serve it) with the API's origin in
// <meta name="xq-api-base"> (PUBLIC_API_BASE fills it in); the API on
// another port allows exactly that storefront origin (CORS_ALLOWED_ORIGINS).
// An order placed in the browser lands in the API's database.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startShop, launchBrowser, fillCheckout, PHONE } from './support.mjs';

let api, storefront, browser;

/** A loopback port nothing listens on right now. */
function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  const storefrontPort = await freePort();
  api = await startShop({ env: { CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${storefrontPort}` } });
  storefront = await startShop({ env: { BIND: `127.0.0.1:${storefrontPort}`, PUBLIC_API_BASE: api.url } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await storefront?.stop();
  await api?.stop();
});

test('an order placed on the storefront origin lands in the API on another origin', async () => {
  const page = await (await browser.newContext(PHONE)).newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  const apiOrigins = new Set();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) apiOrigins.add(url.origin);
  });

  await page.goto(`${storefront.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
  await page.goto(`${storefront.url}/checkout`);
  await fillCheckout(page);
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  const orderNo = await page.locator('.order-no').innerText();

  assert.deepEqual([...apiOrigins], [api.url], 'every API call went to the API origin');
  const lookup = (origin) => fetch(`${origin}/api/orders/${orderNo}?phone=13800138000`);
  assert.equal((await lookup(api.url)).status, 200, 'the order is in the API database');
  assert.equal((await lookup(storefront.url)).status, 404, 'and not in the storefront server’s own');
});
