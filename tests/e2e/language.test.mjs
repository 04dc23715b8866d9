// A visitor who reads English: the switch in the header turns the interface
// English, the choice survives a reload, and checkout explains a bad phone
// number in English. Product content stays as the shop wrote it (Chinese),
// prices stay ¥ with two decimals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, screenshot } from './support.mjs';

let shop, browser, page;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  const context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

const htmlLang = () => page.evaluate(() => document.documentElement.lang);

test('switch to English, reload, and stay English', async () => {
  await page.goto(shop.url + '/');
  await page.getByRole('heading', { level: 1, name: '景泰的好物，西青人的心意' }).waitFor();
  assert.equal(await htmlLang(), 'zh-CN', 'Chinese by default');

  const toEnglish = page.getByRole('button', { name: 'English' });
  assert.equal(await toEnglish.getAttribute('lang'), 'en');
  const box = await toEnglish.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `tap target ${box.width}×${box.height}`);
  await toEnglish.click();

  await page.getByRole('heading', { level: 1, name: /Good things from Jingtai/ }).waitFor();
  assert.equal(await htmlLang(), 'en');
  assert.equal(await page.title(), 'Xiqing Aid Shop');
  assert.match(await page.locator('.site-nav').innerText(), /All products/);
  const toChinese = page.getByRole('button', { name: '中文' });
  assert.equal(await toChinese.getAttribute('lang'), 'zh-CN');
  assert.ok(await toChinese.evaluate((b) => b === document.activeElement), 'the switch keeps focus');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the English header fits a phone');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: /Good things from Jingtai/ }).waitFor();
  assert.equal(await htmlLang(), 'en', 'still English after a reload');
  await page.locator('.product-card a').first().waitFor();
  await screenshot(page, 'home-en');
});

test('in English, product content stays Chinese and checkout errors are English', async () => {
  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('heading', { level: 1, name: '津景蜜园百花蜜' }).waitFor();
  assert.equal(await page.locator('.price.large').innerText(), '¥68.00');
  assert.equal(await page.title(), '津景蜜园百花蜜 · Xiqing Aid Shop');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to the cart' }).waitFor();

  await page.goto(`${shop.url}/checkout`);
  await page.getByRole('heading', { level: 1, name: 'Confirm your order' }).waitFor();
  await page.getByLabel('Mobile number').fill('1380013800');
  await page.getByLabel('Mobile number').blur();
  assert.equal(
    await page.locator('[id="contact.phone-error"]').innerText(),
    'Enter an 11-digit mobile number, e.g. 13800138000',
  );
  await page.getByRole('button', { name: 'Place order' }).click();
  assert.equal(await page.locator('[id="contact.name-error"]').innerText(), 'Please fill this in');
  await page.locator('.totals', { hasText: '¥68.00' }).waitFor(); // the subtotal, as in Chinese
  await screenshot(page, 'checkout-error-en');

  // And back: the page is Chinese again at once.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: '确认订单' }).waitFor();
  assert.equal(await htmlLang(), 'zh-CN');
});
