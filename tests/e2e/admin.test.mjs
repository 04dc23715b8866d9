// Shop staff sign in, preview a draft at phone width, publish it, and move
// an order from unpaid to shipped; the shopper sees each change.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, screenshot, ADMIN_TOKEN, placeOrder } from './support.mjs';

let shop, browser, page;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  page.on('dialog', (dialog) => dialog.accept());
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

async function signIn(token) {
  await page.getByLabel('管理口令').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a wrong token gets nowhere; the right one shows every product, drafts included', async () => {
  await page.goto(`${shop.url}/admin`);
  await signIn('not-the-token');
  await page.getByRole('alert').filter({ hasText: '口令不对' }).waitFor(); // signed out again by the 401, and told why
  assert.equal(await page.getByLabel('管理口令').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.admin-list').count(), 0);
  await signIn(ADMIN_TOKEN);
  const draft = page.locator('.admin-list li', { hasText: '原蜂巢蜜礼盒' });
  await draft.waitFor();
  assert.match(await draft.innerText(), /草稿/);
  const elsewhere = await page.evaluate((t) => JSON.stringify(localStorage).includes(t) || document.cookie.includes(t), ADMIN_TOKEN);
  assert.equal(elsewhere, false, 'the token lives only in sessionStorage');
});

test('preview a draft at phone width, then publish it for shoppers', async () => {
  await page.goto(`${shop.url}/admin`);
  await page.getByRole('link', { name: '原蜂巢蜜礼盒' }).click();
  await page.getByText('预览/草稿 · 顾客不可见').waitFor();
  await page.getByRole('heading', { level: 1, name: '原蜂巢蜜礼盒' }).waitFor();
  const frame = page.locator('.preview-frame');
  assert.ok((await frame.boundingBox()).width <= 400, 'phone-width frame');
  await screenshot(page, 'admin-preview-desktop');
  await page.getByRole('button', { name: '整页' }).click();
  assert.ok((await frame.boundingBox()).width > 800, 'full-width frame');

  const shopper = await browser.newPage({ ...PHONE });
  await shopper.goto(`${shop.url}/products/honey-comb-gift`);
  await shopper.getByRole('heading', { name: '页面不存在' }).waitFor();

  await page.getByRole('button', { name: '上架' }).click();
  await page.getByText('已上架 · 顾客可见').waitFor();
  await page.locator('.history', { hasText: 'published' }).waitFor();

  await shopper.goto(`${shop.url}/products?category=honey`);
  await shopper.locator('.product-card', { hasText: '原蜂巢蜜礼盒' }).waitFor();
  await shopper.close();
});

test('record a bank transfer, ship, refund part; the shopper lookup shows it', async () => {
  const orderNo = await placeOrder(shop.url, [{ sku: 'HONEY-WF-500', quantity: 1 }]);
  await page.goto(`${shop.url}/admin/orders`);
  const card = page.locator('.admin-order', { hasText: orderNo });
  await card.waitFor();
  assert.match(await page.locator('.notice').first().innerText(), /今日订单 1 笔/);
  // A 对公转账 arrived: recorded with the bank's reference.
  await card.getByLabel('银行流水号').fill('ICBC2026120100012');
  await card.getByLabel('付款单位或付款人').fill('西青区总工会');
  await card.getByLabel('到账时间').fill('2026-12-01 9:30');
  await card.getByRole('button', { name: '登记到账，标记已付款' }).click();
  assert.match(await card.locator('[id^="transfer-received_at"][id$="-error"]').innerText(), /格式/, 'a bad time is named next to its field');
  await card.getByLabel('到账时间').fill('2026-12-01 09:30');
  await card.getByRole('button', { name: '登记到账，标记已付款' }).click();
  await card.locator('.order-status', { hasText: '已付款' }).waitFor();
  assert.match(await card.innerText(), /对公转账/);
  await card.getByLabel('快递单号').fill('SF1234567890');
  await card.getByRole('button', { name: '发货' }).click();
  await card.locator('.order-status', { hasText: '已发货' }).waitFor();
  // A spoilt jar: part of its price back, more than was paid refused with what is left.
  await card.getByLabel(/^金额/).fill('100.00');
  await card.getByRole('button', { name: '退款', exact: true }).click();
  await card.getByRole('alert').filter({ hasText: '最多还能退 ¥78.00' }).waitFor();
  await card.getByLabel(/^金额/).fill('20.00');
  await card.getByRole('button', { name: '退款', exact: true }).click();
  await card.getByText('退款 ¥20.00 · 由商店转账退回').waitFor();

  const shopper = await browser.newPage({ ...PHONE });
  await shopper.goto(`${shop.url}/orders/${orderNo}`);
  await shopper.getByLabel('手机号').fill('13912345678');
  await shopper.getByRole('button', { name: '查询' }).click();
  await shopper.locator('.order-status', { hasText: '已发货' }).waitFor();
  assert.match(await shopper.locator('.order').innerText(), /SF1234567890[\s\S]*退款 ¥20\.00 · 由商店转账退回/);
  await shopper.close();
});

test('sign out forgets the token', async () => {
  await page.goto(`${shop.url}/admin`);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('管理口令').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
});
