// Product text is rendered as text, never as HTML: a name and description
// full of markup, as a careless (or hostile) edit might leave them, show up
// literally on the product page and in the catalogue, and none of it runs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, ADMIN_TOKEN } from './support.mjs';

let shop, browser;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

const NAME = '<img src=x onerror="window.__xss=1">蜂蜜';
const DESCRIPTION = '<script>window.__xss=2</script><b>不加粗</b> <img src=x onerror="window.__xss=3">';

test('markup in product text is shown literally and never runs', async () => {
  const edit = await fetch(`${shop.url}/api/admin/products/jinjing-wildflower-honey`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ name: NAME, description: DESCRIPTION }),
  });
  assert.equal(edit.status, 200, await edit.text());

  const page = await (await browser.newContext(PHONE)).newPage();
  page.on('dialog', (dialog) => assert.fail(`a script ran: ${dialog.message()}`));
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));

  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await page.getByText(DESCRIPTION, { exact: true }).waitFor();
  await page.goto(`${shop.url}/products`);
  await page.locator('.product-name', { hasText: NAME }).waitFor();

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected handler or script ran');
  assert.equal(await page.locator('main img[src="x"], main b, main script').count(), 0, 'no element was made from product text');
});
