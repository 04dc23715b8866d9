// Shared by the end-to-end tests: start the real shop server on a free
// loopback port with a fresh database, and open Debian's Chromium at a phone
// viewport.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, ADMIN_TOKEN } from './server.mjs';

export { startShop, ADMIN_TOKEN } from './server.mjs';

// Not the committed screenshots: a test run leaves the work tree alone.
// scripts/refresh-screenshots.sh points this at tests/e2e/screenshots/.
export const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.join(repoRoot, 'target/e2e-screenshots');

/** Places an order straight through the API, as another shopper would. */
export async function placeOrder(shopUrl, items) {
  const response = await fetch(`${shopUrl}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${Date.now()}-${Math.random()}` },
    body: JSON.stringify({
      items,
      contact: { name: '李蜂', phone: '13912345678' },
      address: { province: '天津市', city: '天津市', district: '西青区', detail: '精武镇1号' },
    }),
  });
  if (response.status !== 201) throw new Error(`order failed: ${response.status} ${await response.text()}`);
  return (await response.json()).order_no;
}

/** Fills the checkout form with a valid Tianjin address. */
export async function fillCheckout(page, { name = '王小蜜', phone = '13800138000' } = {}) {
  await page.getByLabel('收货人').fill(name);
  await page.getByLabel('手机号').fill(phone);
  await chooseRegion(page, ['天津市', '天津市', '西青区']);
  await page.getByLabel('详细地址').fill('杨柳青镇柳口路1号');
}

/** Taps through the 省/市/区 sheet: province, city, district. */
export async function chooseRegion(page, names) {
  await page.locator('[id="address.province"]').click();
  for (const name of names) {
    await page.locator('.region-options').getByRole('button', { name, exact: true }).click();
  }
  await page.locator('.sheet').waitFor({ state: 'detached' });
}

/** An admin API call, as the shop's staff would make it from /admin. */
export async function adminPost(shopUrl, path, body) {
  const response = await fetch(`${shopUrl}/api/admin${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Records a bank transfer for an unpaid order, as staff do: it is paid. */
export async function markPaid(shopUrl, orderNo) {
  return adminPost(shopUrl, `/orders/${orderNo}/bank-transfer`, { reference: 'E2E-REF-1', payer: '李蜂', received_at: '2026-12-01 09:30' });
}

/** Headless Chromium from Debian; as root it needs --no-sandbox. */
/** The browser the tests drive. Its pages' `goto` and `reload` wait, after
 *  the load event, until the app has taken the page over from the server's
 *  rendering (`#boot` is gone), as a shopper's first tap usually does;
 *  taps before that are first-screen.test.mjs's subject, which asks for
 *  `waitUntil: 'commit'` or `'domcontentloaded'` to look at the page earlier. */
export async function launchBrowser() {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', waitForTheAppOnLoad);
    return context;
  };
  return browser;
}

function waitForTheAppOnLoad(page) {
  for (const method of ['goto', 'reload']) {
    const original = page[method].bind(page);
    page[method] = async (...args) => {
      const response = await original(...args);
      const options = (method === 'goto' ? args[1] : args[0]) ?? {};
      if (!['commit', 'domcontentloaded'].includes(options.waitUntil)) {
        await page.waitForFunction(() => !document.getElementById('boot'));
      }
      return response;
    };
  }
}

function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}

/** The phone sizes every page is checked at: a small Android/iPhone SE,
 *  today's common iPhone, and a large Android. */
export const PHONE_SIZES = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
  { width: 412, height: 915 },
];

/** WeChat's in-app browser on Android (XWeb), and the same phone's Chrome. */
export const USER_AGENTS = {
  wechat: 'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  plain: 'Mozilla/5.0 (Linux; Android 13; V2148A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36',
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function axeProblems(page) {
  // Evaluated over the DevTools protocol: the shop's CSP rightly blocks an
  // injected inline <script>, and the test's own tool is not the shop's code.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * What a phone page must get right, as readable problems (none is good):
 * nothing wider than the screen, and every tap target at least 44×44 px
 * except links inside a sentence (WCAG 2.5.8's inline exception).
 */
export async function layoutProblems(page) {
  return page.evaluate((tap) => {
    const problems = [];
    const describe = (el) => `<${el.localName}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''}> "${el.textContent.trim().slice(0, 20)}"`;
    // Not innerWidth: a mobile browser widens that to fit overflowing content
    // (zooming the page out), so it would always pass. clientWidth stays the
    // screen's width.
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5);
      problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width}; ${wide.slice(0, 3).map(describe).join(', ')}`);
    }
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
      // A radio button is tapped through its label.
      const target = el.matches('input[type=radio], input[type=checkbox]') ? el.closest('label') ?? el : el;
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.right <= 0) continue; // not shown, or the skip link waiting off-screen
      const inSentence = el.localName === 'a' && [...el.parentElement.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      if (inSentence) continue;
      if (box.width < tap - 0.5 || box.height < tap - 0.5) problems.push(`small tap target ${Math.round(box.width)}×${Math.round(box.height)}: ${describe(el)}`);
    }
    return problems;
  }, 44);
}
