// How long until a shopper can add to cart: a product page opened cold
// under Chromium's network emulation (1.6 Mbps down, 750 kbps up, 150 ms
// round trip) and 4× CPU slowdown, timed from navigation start until the
// app, once ready, holds the tapped line in its saved cart. Median of 5
// fresh browser contexts, with the spread; each run also says when the load
// event, the last byte of the wasm and the app's readiness came. Not part of
// the test command.
//
//   node perf/time-to-cart.mjs            against dist/
//   SHOP_STATIC_DIR=/other/dist node perf/time-to-cart.mjs   another build
// Needs the release server (cargo build --release -p order-api).

import { chromium } from 'playwright-core';
import { startServer, median } from './common.mjs';

const RUNS = 5;
const PRODUCT = '/products/jingtai-red-goji';

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const times = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    // When the app said it is ready (src/lib.rs dispatches xq-app-ready).
    await context.addInitScript(() => addEventListener('xq-app-ready', () => { window.xqReadyAt = performance.now(); }));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(server.url + PRODUCT, { waitUntil: 'commit' });
    // The first moment the button can be tapped, then the moment the cart has it.
    const button = page.getByRole('button', { name: '加入购物车' });
    await button.click();
    const ms = await page.waitForFunction(() => {
      const saved = localStorage.getItem('xq-shop.cart');
      return saved && saved.includes('jingtai-red-goji') ? performance.now() : false;
    }, null, { polling: 10, timeout: 60_000 }).then((handle) => handle.jsonValue());
    times.push(ms);
    // Where the time went: the load event, the wasm fully in, the app ready.
    const [load, wasm, ready] = await page.evaluate(() => [
      performance.getEntriesByType('navigation')[0].loadEventStart,
      performance.getEntriesByType('resource').find((r) => r.name.endsWith('_bg.wasm')).responseEnd,
      window.xqReadyAt,
    ]);
    const s = (t) => `${(t / 1000).toFixed(2)} s`;
    console.log(`run ${run + 1}: ${s(ms)} (load event ${s(load)}, wasm in ${s(wasm)}, app ready ${s(ready)})`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`time until the cart holds the tapped line: median ${(median(times) / 1000).toFixed(2)} s ` +
  `(${(sorted[0] / 1000).toFixed(2)}–${(sorted.at(-1) / 1000).toFixed(2)} s over ${RUNS} runs)`);
