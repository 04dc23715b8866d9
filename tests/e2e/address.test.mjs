// Addresses at 390×844: the 省/市/区 sheet by taps and by search, 智能填写
// from a pasted block, and the address book reused on the next order. The
// region file is fetched only once the checkout opens.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, screenshot, chooseRegion } from './support.mjs';

let shop, browser, context, page;
const regionRequests = [];
const refusedQuotes = [];

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.url().endsWith('/api/quote') && response.status() >= 400) refusedQuotes.push(response.status());
  });
  page.on('request', (request) => {
    if (/\/regions-[0-9a-f]{16}\.json$/.test(request.url())) regionRequests.push(request.url());
  });
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

async function addToCartAndCheckout(slug) {
  const fetched = regionRequests.length;
  await page.goto(`${shop.url}/products/${slug}`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
  assert.equal(regionRequests.length, fetched, 'no region data before the address form opens');
  await page.goto(`${shop.url}/checkout`);
  await page.locator('#checkout-total').waitFor();
}

const region = () => page.locator('[id="address.province"]');

test('choose 甘肃省 → 白银市 → 景泰县 with taps, then find 景泰 by search', async () => {
  await addToCartAndCheckout('jinjing-wildflower-honey');
  assert.equal(await region().innerText(), '请选择省 / 市 / 区县');
  await region().click();
  const sheet = page.getByRole('dialog', { name: '请选择省 / 市 / 区县' });
  await sheet.getByRole('button', { name: '甘肃省', exact: true }).click();
  // The choice names its tab, and the next tab asks.
  assert.deepEqual(await sheet.getByRole('tab').allInnerTexts(), ['甘肃省', '请选择']);
  await sheet.getByRole('button', { name: '白银市', exact: true }).click();
  await screenshot(page, 'region-sheet');
  await sheet.getByRole('button', { name: '景泰县', exact: true }).click();
  await sheet.waitFor({ state: 'detached' });
  assert.equal(await region().innerText(), '甘肃省 白银市 景泰县');
  assert.equal(regionRequests.length, 1, 'the region file, fetched once');

  await region().click();
  await sheet.getByRole('searchbox').fill('景泰');
  const matches = sheet.locator('.region-options button');
  assert.deepEqual(await matches.allInnerTexts(), ['甘肃省 白银市 景泰县']);
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
});

test('a pasted block fills the form, highlighted, and the order shows the full address', async () => {
  await page.getByLabel('智能填写').fill('收货人:李华 手机号码:+86 139-1234-5678 所在地区:甘肃白银景泰 详细地址:一条山镇人民路18号');
  await page.getByRole('button', { name: '识别' }).click();
  assert.equal(await page.getByLabel('收货人').inputValue(), '李华');
  assert.equal(await page.getByLabel('手机号').inputValue(), '13912345678');
  assert.equal(await page.getByLabel('详细地址').inputValue(), '一条山镇人民路18号');
  assert.equal(await region().innerText(), '甘肃省 白银市 景泰县');
  assert.equal(await page.locator('.just-filled').count(), 4, 'name, phone, region and detail highlighted');
  await page.getByRole('status').filter({ hasText: '已填写，请核对' }).waitFor();
  await screenshot(page, 'address-pasted');

  await page.getByRole('button', { name: '提交订单' }).click();
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  assert.match(await page.locator('.order').innerText(), /李华 13912345678\s*甘肃省白银市景泰县 一条山镇人民路18号/);
});

test('a paste without a name or phone says what it could not find', async () => {
  await addToCartAndCheckout('jingtai-red-goji');
  // The saved address filled the form: clear what the paste will not bring.
  await page.getByLabel('收货人').fill('');
  await page.getByLabel('智能填写').fill('天津市西青区杨柳青镇柳口路1号');
  await page.getByRole('button', { name: '识别' }).click();
  await page.getByRole('status').filter({ hasText: '未识别：收货人、手机号' }).waitFor();
  assert.equal(await region().innerText(), '天津市 西青区');
});

test('the address book offers the last address first and an order reuses it', async () => {
  await page.reload();
  await page.locator('#checkout-total').waitFor();
  const book = page.getByRole('region', { name: '常用地址' });
  assert.equal(await book.locator('.saved-address').count(), 1);
  assert.match(await book.innerText(), /李华 13912345678\s*默认\s*甘肃省白银市景泰县 一条山镇人民路18号/);
  // The default is already in the form.
  assert.equal(await page.getByLabel('收货人').inputValue(), '李华');
  assert.equal(await region().innerText(), '甘肃省 白银市 景泰县');
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  assert.match(await page.locator('.order').innerText(), /甘肃省白银市景泰县 一条山镇人民路18号/);
});

test('a district missing from the data is typed after 找不到我的区县 and marked for staff', async () => {
  await addToCartAndCheckout('jinjing-wildflower-honey');
  await region().click();
  const sheet = page.getByRole('dialog');
  await sheet.getByRole('tab', { name: '甘肃省' }).waitFor();
  await sheet.getByRole('button', { name: '找不到我的区县' }).click();
  await page.getByLabel('区/县').fill('新设区');
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();
  assert.match(await page.locator('.order').innerText(), /甘肃省白银市新设区 一条山镇人民路18号（区县待核实）/);
});

test('no quote was refused on the way (an emptied cart after an order asks for none)', () => {
  assert.deepEqual(refusedQuotes, []);
});
