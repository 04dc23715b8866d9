// Shared by the end-to-end tests: start the real shop server on a free
// loopback port with a fresh database, and open Debian's Chromium at a phone
// viewport.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, ADMIN_TOKEN } from './server.mjs';

export { startShop, ADMIN_TOKEN } from './server.mjs';

export const screenshotDir = path.join(repoRoot, 'tests/e2e/screenshots');

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
  await page.getByLabel('省份').selectOption('天津市');
  await page.getByLabel('城市').fill('天津市');
  await page.getByLabel('区/县').fill('西青区');
  await page.getByLabel('详细地址').fill('杨柳青镇柳口路1号');
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

/** Headless Chromium from Debian; as root it needs --no-sandbox. */
export async function launchBrowser() {
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
