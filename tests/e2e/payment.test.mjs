// Paying an order through the local WeChat Pay simulator, the way each
// browser pays: a phone browser through WeChat's H5 cashier and back; inside
// WeChat through the silent authorisation and WeixinJSBridge (the
// simulator's stand-in, injected); a desktop by QR code. Each ends with the
// order page saying 已付款, from the server, not from the browser's "ok".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, USER_AGENTS, fillCheckout, screenshot } from './support.mjs';

let shop, browser;

before(async () => {
  shop = await startShop({ payments: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

/** Puts a jar of honey in the cart and places the order; resolves on its page. */
async function placeOrder(page) {
  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
  await page.goto(`${shop.url}/checkout`);
  await fillCheckout(page);
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.waitForURL(/\/orders\/XQ[0-9A-Z]{10}$/);
  return new URL(page.url()).pathname.split('/').pop();
}

async function paidOnThePage(page) {
  await page.locator('.order-status', { hasText: '已付款' }).waitFor({ timeout: 15_000 });
  assert.match(await page.locator('.order').innerText(), /微信支付 ¥/);
}

test('a phone browser pays at the H5 cashier and comes back paid', async () => {
  const context = await browser.newContext({ ...PHONE, userAgent: USER_AGENTS.plain });
  const page = await context.newPage();
  const orderNo = await placeOrder(page);
  assert.match(await page.locator('.pay').innerText(), /前付款（还剩 2[34] 小时/, 'the deadline and the time left are said');
  await page.getByRole('button', { name: '去支付' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${shop.simulator.url}/cashier`));
  await page.getByRole('button', { name: '确认支付' }).click();
  // Back at the order's own address (the return's ?payment=check is spent), paid.
  await page.waitForURL(new RegExp(`/orders/${orderNo}$`));
  await paidOnThePage(page);
  await screenshot(page, 'paid-h5');
  await context.close();
});

test('inside WeChat: the silent authorisation, then the JSAPI sheet, then paid', async () => {
  const bridge = await (await fetch(`${shop.simulator.url}/bridge.js`)).text();
  // The stand-in bridge calls the simulator from the page, which the shop's
  // CSP rightly forbids; WeChat's real bridge is native code, outside the page.
  const context = await browser.newContext({ ...PHONE, userAgent: USER_AGENTS.wechat, bypassCSP: true });
  await context.addInitScript(bridge);
  const page = await context.newPage();
  const orderNo = await placeOrder(page);
  await page.getByRole('button', { name: '去支付' }).click();
  // To WeChat and straight back (snsapi_base is silent), then the sheet opens by itself.
  await paidOnThePage(page);
  const { pathname, search, hash } = new URL(page.url());
  assert.equal(pathname + search + hash, `/orders/${orderNo}`, 'the return address (?payment=pay) is spent: a reload will not pay again');
  const cookies = await context.cookies(`${shop.url}/api/`);
  assert.ok(cookies.some((c) => c.name === 'xq_wechat' && c.httpOnly && c.path === '/api'), 'the openid cookie is HttpOnly, for the API alone');
  await context.close();
});

test('inside WeChat, a cancelled sheet can be paid again', async () => {
  const bridge = await (await fetch(`${shop.simulator.url}/bridge.js`)).text();
  const context = await browser.newContext({ ...PHONE, userAgent: USER_AGENTS.wechat, bypassCSP: true });
  await context.addInitScript(bridge);
  await context.addInitScript(() => { window.__wechatPaySimulatorChoice = 'cancel'; });
  const page = await context.newPage();
  await placeOrder(page);
  await page.getByRole('button', { name: '去支付' }).click();
  await page.getByRole('alert').filter({ hasText: '已取消支付' }).waitFor();
  await page.evaluate(() => { window.__wechatPaySimulatorChoice = 'pay'; });
  await page.getByRole('button', { name: '重新支付' }).click();
  await paidOnThePage(page);
  await context.close();
});

test('a desktop shows a QR code and turns paid when it is scanned', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const orderNo = await placeOrder(page);
  await page.getByRole('button', { name: '去支付' }).click();
  const code = page.getByRole('img', { name: '微信支付二维码' });
  await code.waitFor();
  assert.match(await code.getAttribute('src'), /^data:image\/svg\+xml;base64,/);
  await screenshot(page, 'pay-qr-desktop');
  // The shopper's phone scans it: the simulator's page for that code.
  const trades = await (await fetch(`${shop.simulator.url}/sim/trades`)).json();
  const trade = trades.find((t) => t.out_trade_no.startsWith(orderNo));
  assert.equal(trade.trade_type, 'NATIVE');
  const phone = await browser.newPage();
  await phone.goto(`${shop.simulator.url}/scan?pr=${trade.prepay_id}`);
  await phone.getByRole('button', { name: '确认支付' }).click();
  await phone.locator('.outcome', { hasText: '支付成功' }).waitFor();
  await phone.close();
  await paidOnThePage(page);
  await context.close();
});
