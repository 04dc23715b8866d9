// The main thread's long tasks on one cold page load, from a Chromium trace
// at 4× CPU slowdown (no network throttling): each task over 15 ms from the
// HTML's parse on, with what it was (the wasm's compilation, the timer that
// renders the app, the frame that swaps it in) and how much of it V8 spent
// compiling wasm functions on their first call. Not part of the test command.
//
//   node perf/long-tasks.mjs [path]      default /products/jinjing-wildflower-honey
// Needs the release server (cargo build --release -p order-api) and dist/.

import { chromium } from 'playwright-core';
import { startServer } from './common.mjs';

const PAGE = process.argv[2] ?? '/products/jinjing-wildflower-honey';
const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
let events;
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed'] });
  await page.goto(server.url + PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => !document.getElementById('boot'), null, { timeout: 30_000 });
  await page.waitForTimeout(500);
  events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
} finally {
  await browser.close();
  await server.stop();
}

const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.includes(PAGE.split('?')[0]));
const main = events.filter((e) => e.tid === parse.tid && e.ts >= parse.ts);
const ms = (us) => Math.round(us / 1000);
console.log(`${PAGE}: main-thread tasks over 15 ms, from the HTML's parse (4x CPU slowdown)`);
console.log('| starts at | task | of it, compiling wasm on first call | what |\n|---|---|---|---|');
for (const task of main.filter((e) => e.name === 'RunTask' && e.dur > 15_000)) {
  const inside = main.filter((e) => e !== task && e.ts >= task.ts && e.ts <= task.ts + task.dur);
  const has = (name) => inside.some((e) => e.name === name);
  const compiled = inside.filter((e) => e.name === 'wasm.CompileLazy');
  const lazy = compiled.reduce((sum, e) => sum + e.dur, 0);
  const what = [
    has('ParseHTML') && 'parse', has('Layout') && 'layout', has('v8.wasm.compileConsume') && 'wasm compile',
    has('TimerFire') && 'timer', has('FireAnimationFrame') && 'frame',
  ].filter(Boolean).join(', ');
  console.log(`| ${ms(task.ts - parse.ts)} ms | ${ms(task.dur)} ms | ${lazy ? `${ms(lazy)} ms (${compiled.length} functions)` : '—'} | ${what} |`);
}
