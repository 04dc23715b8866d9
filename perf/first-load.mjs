// What a cold browser transfers for the shop's first screen: `/` and a
// product page, each in a fresh context, every response's bytes on the
// wire (compressed as served, headers included) until the network is idle.
// The order pages' prefetch, made once the first screen is complete, is
// listed apart. Not part of the test command.
//
//   node perf/first-load.mjs      (needs cargo build --release -p order-api)

import { chromium } from 'playwright-core';
import { startServer, CHROME_FLAGS } from './common.mjs';

const PAGES = ['/', '/products/jingtai-red-goji'];

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROME_FLAGS });
try {
  for (const path of PAGES) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map();
    const rows = [];
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, [e.request.url, e.type]));
    cdp.on('Network.loadingFinished', (e) => {
      const [url, type] = urls.get(e.requestId) ?? ['?', '?'];
      rows.push({ url: url.replace(server.url, ''), type, bytes: e.encodedDataLength });
    });
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    // The prefetch waits for a second without a request finishing.
    await page.waitForTimeout(2500);
    const prefetched = (row) => row.type === 'Other' && row.url.startsWith('/order-app/');
    const sum = (list) => list.reduce((n, row) => n + row.bytes, 0);
    console.log(`\n${path}`);
    for (const row of rows) console.log(`  ${String(row.bytes).padStart(8)}  ${row.type.padEnd(10)} ${row.url}`);
    const first = rows.filter((row) => !prefetched(row));
    console.log(`  first screen: ${sum(first)} B (${(sum(first) / 1024).toFixed(1)} KB) in ${first.length} responses`);
    console.log(`  prefetched afterwards (the order pages): ${sum(rows.filter(prefetched))} B`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
