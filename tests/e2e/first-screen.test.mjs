// The first screen comes from the server: each shop page's HTML, as fetched
// with no script run, already holds its content; the wasm then takes the
// page over without moving it, and taps made before it did are not lost.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE } from './support.mjs';

let shop, browser;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

test('every shop page arrives as HTML with its own title, heading, prices and products', async () => {
  const pages = [
    ['/', 200, '西青区扶贫网店', '景泰的好物，西青人的心意', ['津景蜜园百花蜜', '¥68.00']],
    ['/products?category=honey', 200, '蜂蜜 · 西青区扶贫网店', '全部商品', ['津景蜜园百花蜜', '枸杞花蜜']],
    ['/products/jingtai-red-goji', 200, '景泰红枸杞 · 西青区扶贫网店', '景泰红枸杞', ['¥39.90', '净含量']],
    ['/producers/wufo-bee-coop', 200, null, null, ['津景蜜园百花蜜']],
    ['/products/no-such-thing', 404, '页面不存在 · 西青区扶贫网店', '页面不存在', []],
  ];
  for (const [path, status, title, heading, texts] of pages) {
    const response = await fetch(shop.url + path);
    assert.equal(response.status, status, path);
    const html = await response.text();
    if (title) assert.ok(html.includes(`<title>${title}</title>`), `${path}: its title`);
    if (heading) assert.match(html, new RegExp(`<h1[^>]*>${heading}</h1>`), `${path}: its heading`);
    for (const text of texts) assert.ok(html.includes(text), `${path}: ${text}`);
  }
});

/** A phone page whose wasm is held back until `release()`, as on a slow line. */
async function pageWithHeldWasm() {
  const page = await browser.newPage({ ...PHONE });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.addInitScript(() => {
    window.__shifts = 0;
    window.__cspViolations = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.effectiveDirective));
  });
  page.release = release;
  page.appReady = () => page.waitForFunction(() => !document.getElementById('boot'));
  return page;
}

test('a shared product link shows that product before the app, and the app does not move it', async () => {
  const page = await pageWithHeldWasm();
  await page.goto(shop.url + '/products/jingtai-red-goji', { waitUntil: 'domcontentloaded' });
  assert.equal(await page.getByText('景泰的好物，西青人的心意').count(), 0, 'never the home banner');
  assert.ok(await page.locator('#boot h1', { hasText: '景泰红枸杞' }).isVisible(), 'the product, before the app');
  const parts = ['h1', '.price.large', '.product-images img', '.buy-bar .button'];
  const boxes = () => page.evaluate((parts) => parts.map((part) => {
    const box = document.querySelector(part).getBoundingClientRect();
    return [part, Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)];
  }), parts);
  const before = await boxes();
  page.release();
  await page.appReady();
  const after = await boxes();
  for (const [i, [part, ...box]] of before.entries()) {
    after[i].slice(1).forEach((value, j) => assert.ok(Math.abs(value - box[j]) <= 1, `${part} moved: ${box} → ${after[i].slice(1)}`));
  }
  assert.ok(await page.evaluate(() => window.__shifts) <= 0.01, 'layout shift total');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.close();
});

test('a variant, the quantity and add-to-cart tapped before the app are applied once it is there', async () => {
  const page = await pageWithHeldWasm();
  await page.goto(shop.url + '/products/jinjing-wildflower-honey', { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: '500克 × 2瓶' }).click();
  await page.getByRole('button', { name: '增加' }).click();
  await page.locator('.buy-bar').getByRole('button', { name: '加入购物车' }).click();
  page.release();
  await page.appReady();
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
  const cart = await page.evaluate(() => JSON.parse(localStorage.getItem('xq-shop.cart')).lines);
  assert.deepEqual(cart.map((line) => [line.label, line.quantity]), [['500克 × 2瓶', 2]]);
  assert.equal(await page.locator('.cart-count').innerText(), '2');
  await page.close();
});

test('the language switch tapped before the app turns the page to English, and the server remembers it', async () => {
  const page = await pageWithHeldWasm();
  await page.goto(shop.url + '/products', { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'English' }).click();
  page.release();
  await page.appReady();
  await page.getByRole('heading', { level: 1, name: 'All products' }).waitFor();
  // The next page comes from the server in English.
  const html = await page.evaluate(async () => (await fetch('/products/jingtai-red-goji')).text());
  assert.match(html, /<html lang=en/);
  await page.close();
});
