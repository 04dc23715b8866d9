// A shopper on a phone browses the catalogue: home → product → catalogue
// filters, search and sort that survive a reload, a 404, and a retry after
// the API was unreachable.

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

test('home page tells what the shop is and shows featured products', async () => {
  await page.goto(shop.url + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /景泰/);
  await page.locator('.category-shortcut').first().waitFor();
  assert.ok(await page.locator('.category-shortcut').count() >= 4, 'category shortcuts');
  await page.locator('.product-card a').first().waitFor();
  assert.equal(await page.locator('.product-card a').count(), 6);
  assert.equal(await page.title(), '西青区扶贫网店');
  await screenshot(page, 'home');
});

test('a shopper opens a product, picks a variant and sees its price', async () => {
  await page.goto(shop.url + '/');
  await page.locator('.product-card', { hasText: '津景蜜园百花蜜' }).click();
  await page.waitForURL('**/products/jinjing-wildflower-honey');
  await page.getByRole('heading', { level: 1, name: '津景蜜园百花蜜' }).waitFor();
  assert.equal(await page.locator('.price.large').innerText(), '¥68.00');
  assert.match(await page.locator('.specs').innerText(), /五佛乡/);
  assert.match(await page.locator('.story').innerText(), /蜂箱/);
  await page.getByRole('button', { name: /礼盒装/ }).click();
  assert.equal(await page.locator('.price.large').innerText(), '¥198.00');
  assert.equal(await page.title(), '津景蜜园百花蜜 · 西青区扶贫网店');
  await screenshot(page, 'product');

  // A deep link works after a reload, too.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '津景蜜园百花蜜' }).waitFor();
});

test('catalogue filter, search and sort live in the URL and survive reload', async () => {
  await page.goto(shop.url + '/products');
  await page.locator('.product-card a').first().waitFor();
  assert.match(await page.locator('.result-count').innerText(), /共 14 件商品/);

  await page.getByRole('button', { name: '蜂蜜' }).click();
  await page.waitForURL('**/products?category=honey');
  await page.locator('.result-count', { hasText: '共 4 件商品' }).waitFor();

  await page.getByRole('combobox').selectOption('price_desc');
  await page.waitForURL(/sort=price_desc/);
  await page.locator('.result-count', { hasText: '共 4 件商品' }).waitFor();
  const names = await page.locator('.product-card .product-name').allInnerTexts();
  // Lowest variant prices: the hive adoption ¥1280, 沙枣花蜜 ¥78, 百花蜜 ¥68, 枸杞花蜜 ¥48 (its 250 g jar).
  assert.deepEqual(names, ['蜂箱认养 · 津景蜜园', '沙枣花蜜', '津景蜜园百花蜜', '枸杞花蜜']);

  await page.reload();
  await page.locator('.result-count', { hasText: '共 4 件商品' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '蜂蜜' }).getAttribute('aria-pressed'), 'true');

  await page.getByRole('button', { name: '全部' }).click();
  await page.getByRole('searchbox').fill('麦积');
  await page.waitForURL(/q=%E9%BA%A6%E7%A7%AF/);
  await page.locator('.result-count', { hasText: '共 2 件商品' }).waitFor();
  await screenshot(page, 'catalogue');
});

test('unknown routes and products show a 404 page', async () => {
  await page.goto(shop.url + '/no/such/page');
  await page.getByRole('heading', { name: '页面不存在' }).waitFor();
  await page.goto(shop.url + '/products/honey-comb-gift'); // a draft
  await page.getByRole('heading', { name: '页面不存在' }).waitFor();
});

test('when the API is unreachable the page says so and retry recovers', async () => {
  // The server renders the first page from the database; the API is what
  // the app asks from then on.
  await page.goto(shop.url + '/');
  await page.route('**/api/products**', (route) => route.abort('internetdisconnected'));
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '全部商品' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /网络/);
  await page.unroute('**/api/products**');
  await page.getByRole('button', { name: '重新加载' }).click();
  await page.locator('.product-card').first().waitFor();
});

test('without WebAssembly the page says what to do instead of going blank', async () => {
  const old = await browser.newPage({ ...PHONE });
  await old.addInitScript(() => { delete window.WebAssembly; });
  await old.goto(shop.url + '/', { waitUntil: 'domcontentloaded' });
  const message = old.getByRole('alert');
  await message.waitFor();
  assert.match(await message.innerText(), /西青区扶贫网店暂时无法在这个浏览器里打开[\s\S]*更新/);
  await old.close();
});

