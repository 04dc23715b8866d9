// Main-thread work per catalogue update with 5,000 products: 50 keystrokes
// in the search box (25 typed, 25 deleted), each measured as the growth of
// Chromium's TaskDuration metric from the keystroke until the grid has
// re-rendered. Prints the median and the worst, and checks that the
// storefront only ever fetches one page of products.

import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, CHROME_FLAGS, median, repoRoot } from './common.mjs';
import { readFileSync } from 'node:fs';

const PRODUCTS = 5000;
const seed = JSON.parse(readFileSync(path.join(repoRoot, 'crates/order-api/seed/catalogue.json'), 'utf8'));
const goods = seed.products.filter((p) => p.kind === 'goods' && p.published);
const words = ['蜂蜜', '枸杞', '红枣', '小米', '苹果', '梨', '胡麻油', '羊肉', '樱桃', '荞麦'];
const products = Array.from({ length: PRODUCTS }, (_, i) => {
  const base = goods[i % goods.length];
  return {
    ...base,
    slug: `fixture-${i}`,
    name: `${base.name} ${words[i % words.length]} 第${i}号`,
    featured_rank: i,
    variants: base.variants.map((v, j) => ({ ...v, sku: `FX-${i}-${j}`, price_fen: v.price_fen + (i % 97) * 10 })),
  };
});
const fixture = path.join(mkdtempSync(path.join(tmpdir(), 'fixture-')), 'catalogue-5000.json');
writeFileSync(fixture, JSON.stringify({ categories: seed.categories, producers: seed.producers, products }));

const server = await startServer({ catalogue: fixture });
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROME_FLAGS.slice(1) });
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  let largestPage = 0;
  page.on('response', async (r) => {
    if (r.url().includes('/api/products?') || r.url().endsWith('/api/products')) {
      const body = await r.json().catch(() => null);
      if (body?.items) largestPage = Math.max(largestPage, body.items.length);
    }
  });
  await page.goto(`${server.url}/products`);
  await page.locator('.product-card a').first().waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const box = page.getByRole('searchbox');
  await box.focus();
  const text = '景泰蜂蜜枸杞红枣小米苹果梨胡麻油羊肉樱桃荞麦五佛乡条山麦积花牛';
  const keys = [...text.slice(0, 25)].concat(Array(25).fill('Backspace'));
  const costs = [];
  for (const key of keys) {
    const before = await taskSeconds();
    const settled = page.waitForResponse((r) => r.url().includes('/api/products'), { timeout: 10_000 });
    if (key === 'Backspace') await page.keyboard.press(key);
    else await page.keyboard.type(key);
    await settled;
    // Two animation frames: the grid has re-rendered and painted.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    costs.push((await taskSeconds() - before) * 1000);
  }
  console.log(`\n${PRODUCTS} products, ${costs.length} keystrokes: main-thread work per update median ${median(costs).toFixed(1)} ms, worst ${Math.max(...costs).toFixed(1)} ms`);
  console.log(`largest page of products the storefront fetched: ${largestPage} (the API paginates)`);
} finally {
  await browser.close();
  await server.stop();
}
