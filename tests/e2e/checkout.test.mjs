// A shopper on a phone buys two products: cart kept across a reload, a bad
// phone number caught next to its field, the order confirmed, then found
// again through the lookup page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, screenshot, chooseRegion } from './support.mjs';

let shop, browser, context, page;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

async function addToCart(slug) {
  await page.goto(`${shop.url}/products/${slug}`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
}

test('buy two products, with a reload and a fixed phone number on the way', async () => {
  await addToCart('jinjing-wildflower-honey');
  await addToCart('jingtai-red-goji');
  assert.equal(await page.locator('.cart-count').innerText(), '2');

  await page.locator('.cart-link').click();
  await page.waitForURL('**/cart');
  await page.locator('.cart-line').nth(1).waitFor();
  assert.equal(await page.locator('.cart-line').count(), 2);
  await page.locator('.cart-line').first().getByRole('button', { name: '增加' }).click();
  await page.locator('.totals', { hasText: '¥175.90' }).waitFor(); // 2 × 68.00 + 39.90, free shipping

  await page.reload();
  await page.locator('.cart-line').nth(1).waitFor();
  assert.equal(await page.locator('.cart-line').first().locator('output').innerText(), '2', 'cart kept across reload');
  await page.locator('.totals', { hasText: '¥175.90' }).waitFor();
  await screenshot(page, 'cart');

  await page.getByRole('link', { name: '去结算' }).click();
  await page.waitForURL('**/checkout');
  await page.getByLabel('收货人').fill('王小蜜');
  await page.getByLabel('手机号').fill('1380013800');
  await page.getByLabel('手机号').blur();
  const phoneError = page.locator('[id="contact.phone-error"]');
  assert.match(await phoneError.innerText(), /11位手机号/);
  assert.equal(await page.getByLabel('手机号').getAttribute('aria-invalid'), 'true');

  await chooseRegion(page, ['天津市', '天津市', '西青区']);
  await page.getByLabel('详细地址').fill('杨柳青镇柳口路1号');
  await page.locator('#checkout-total', { hasText: '¥175.90' }).waitFor();
  await screenshot(page, 'checkout-error');

  // Submitting with the bad phone sends nothing and puts the cursor on it.
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.waitForFunction(() => document.activeElement.id === 'contact.phone');

  await page.getByLabel('手机号').fill('13800138000');
  await page.getByLabel('手机号').blur();
  assert.equal(await phoneError.innerText(), '');
  await page.getByRole('button', { name: '提交订单' }).click();

  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  const orderNo = await page.locator('.order-no').innerText();
  assert.match(orderNo, /^XQ[2-9A-HJKMNP-Z]{10}$/);
  assert.match(await page.locator('.order').innerText(), /待付款[\s\S]*津景蜜园百花蜜[\s\S]*¥175.90[\s\S]*西青区/);
  assert.equal(await page.locator('.cart-count').innerText(), '0', 'cart emptied after the order');
  await screenshot(page, 'confirmation');

  // Another phone (no saved state) finds the order with number + phone.
  const other = await browser.newPage({ ...PHONE });
  await other.goto(`${shop.url}/orders`);
  await other.getByLabel('订单号').fill(orderNo.toLowerCase());
  await other.getByLabel('手机号').fill('13900139000');
  await other.getByRole('button', { name: '查询' }).click();
  await other.getByRole('alert').filter({ hasText: '没有找到这个订单' }).waitFor();
  await other.getByLabel('手机号').fill('13800138000');
  await other.getByRole('button', { name: '查询' }).click();
  await other.locator('.order-no', { hasText: orderNo }).waitFor();
  assert.match(await other.locator('.order-status').innerText(), /待付款/);
  await other.close();
});

test('an emptied cart offers the way back, and a removal can be undone', async () => {
  await addToCart('wufo-jujube');
  await page.goto(`${shop.url}/cart`);
  await page.getByRole('button', { name: '减少' }).click(); // 1 → 0 removes
  await page.getByText('购物车还是空的').waitFor();
  await page.getByRole('button', { name: '撤销' }).click();
  await page.locator('.cart-line').waitFor();
  await page.getByRole('button', { name: '移除' }).click();
  await page.getByRole('link', { name: '去挑选好物' }).waitFor();
});

test('a corrupt saved cart is dropped quietly', async () => {
  await page.goto(`${shop.url}/`);
  await page.evaluate(() => localStorage.setItem('xq-shop.cart', '{"version":1,"lines":[{"sku":'));
  await page.goto(`${shop.url}/cart`);
  await page.getByText('购物车还是空的').waitFor();
  await page.evaluate(() => localStorage.setItem('xq-shop.cart', JSON.stringify({ version: 99, lines: [] })));
  await page.reload();
  await page.getByText('购物车还是空的').waitFor();
});
