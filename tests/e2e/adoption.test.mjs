// Adopt a hive with a name, the shop marks the order paid, the certificate
// shows the hive; the home page's impact panel follows the paid order.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, screenshot, fillCheckout, markPaid } from './support.mjs';

let shop, browser, page;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  page = await (await browser.newContext(PHONE)).newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

test('adopt hive No.18 by name; once paid, its certificate shows it', async () => {
  await page.goto(`${shop.url}/`);
  await page.locator('.impact', { hasText: '还没有已付款的订单' }).waitFor();

  await page.goto(`${shop.url}/products/adopt-a-beehive`);
  await page.getByText('保底产量').waitFor();
  await page.getByRole('button', { name: '认养这个蜂箱' }).click();
  assert.match(await page.locator('#hive-name-error').innerText(), /请填写/);
  await page.getByLabel('给蜂箱起个名字').fill('<b>蜜</b>');
  await page.getByLabel('给蜂箱起个名字').blur();
  assert.match(await page.locator('#hive-name-error').innerText(), /格式不对/);
  await page.getByLabel('给蜂箱起个名字').fill('西青小蜜蜂');
  await page.getByLabel(/选择蜂箱/).selectOption('18');
  await page.getByRole('button', { name: '认养这个蜂箱' }).click();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();

  await page.goto(`${shop.url}/cart`);
  await page.getByText('蜂箱名「西青小蜜蜂」· No.18').waitFor();
  await page.getByRole('link', { name: '去结算' }).click();
  await fillCheckout(page);
  await page.locator('#checkout-total', { hasText: '¥1280.00' }).waitFor();
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  await page.getByText('认养蜂箱 No.18「西青小蜜蜂」').waitFor();
  await page.getByText('付款确认后可查看认养证书').waitFor();
  const orderNo = await page.locator('.order-no').first().innerText();

  await markPaid(shop.url, orderNo);

  // This tab remembers the order: opened afresh, its page asks the server, no phone needed.
  await page.goto(`${shop.url}/orders/${orderNo}`);
  await page.locator('.order-status', { hasText: '已付款' }).waitFor();
  await page.getByRole('link', { name: '查看认养证书' }).click();
  const certificate = page.getByRole('article', { name: '认养证书' });
  await certificate.waitFor();
  const text = await certificate.innerText();
  assert.match(text, /No\.18 「西青小蜜蜂」/);
  assert.match(text, /王小蜜/);
  assert.match(text, /20斤/);
  await screenshot(page, 'certificate');

  await page.goto(`${shop.url}/`);
  const impact = page.locator('.impact');
  await impact.locator('.impact-figures').waitFor();
  assert.match(await impact.innerText(), /¥1280\.00[\s\S]*景泰县[\s\S]*1 个[\s\S]*蜂箱已被认养/);
});
