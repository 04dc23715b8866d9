// The Content-Security-Policy the server sends lets the shop, the admin
// area and its preview run with no violation: any blocked script, style,
// wasm compile, image or fetch fails this test.

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

/**
 * A page that records every CSP violation (the DOM event, which the policy
 * cannot block: the listener is installed through the DevTools protocol) and
 * every console message or page error that mentions the policy.
 */
async function watchedPage(contextOptions) {
  const page = await (await browser.newContext(contextOptions)).newPage();
  const violations = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  page.violations = async () => [...violations, ...(await page.evaluate(() => window.__cspViolations))];
  return page;
}

test('the shop runs under its policy: home, catalogue, product, cart', async () => {
  const page = await watchedPage(PHONE);
  const response = await page.goto(`${shop.url}/`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' 'sha256-/);
  await page.locator('.product-card a').first().waitFor(); // the wasm app mounted and fetched
  await page.goto(`${shop.url}/products?category=honey`);
  await page.locator('.product-card a').first().waitFor();
  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('heading', { level: 1, name: '津景蜜园百花蜜' }).waitFor();
  await page.locator('img').first().waitFor();
  await page.goto(`${shop.url}/cart`);
  await page.locator('main').waitFor();
  assert.deepEqual(await page.violations(), []);
});

test('the admin area and its preview run under the policy', async () => {
  const page = await watchedPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${shop.url}/admin`);
  await page.getByLabel('管理口令').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '原蜂巢蜜礼盒' }).click();
  await page.getByRole('heading', { level: 1, name: '原蜂巢蜜礼盒' }).waitFor();
  assert.deepEqual(await page.violations(), []);
});

test('the policy is enforced: an injected inline script is blocked and reported', async () => {
  const page = await watchedPage(PHONE);
  await page.goto(`${shop.url}/`);
  await page.locator('.product-card a').first().waitFor();
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  assert.match((await page.violations()).join('\n'), /script-src-elem blocked inline/);
});
