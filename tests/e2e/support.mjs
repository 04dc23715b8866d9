// Shared by the end-to-end tests: start the real shop server on a free
// loopback port with a fresh database, and open Debian's Chromium at a phone
// viewport.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'e2e-admin-token';
export const screenshotDir = path.join(repoRoot, 'tests/e2e/screenshots');

/** Starts target/debug/order-api serving dist/; resolves to { url, stop }. */
export async function startShop() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-e2e-'));
  const bin = process.env.SHOP_SERVER_BIN ?? path.join(repoRoot, 'target/debug/order-api');
  const server = spawn(bin, ['serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      BIND: '127.0.0.1:0',
      DATABASE_URL: `sqlite://${dataDir}/shop.db`,
      STATIC_DIR: path.join(repoRoot, 'dist'),
      ADMIN_TOKEN,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/is open at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${out}`)));
    setTimeout(() => reject(new Error(`server not ready after 20 s:\n${out}`)), 20_000);
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      server.once('exit', resolve);
      server.kill('SIGTERM');
    }),
  };
}

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
