// Lighthouse 12 (mobile), against the release server: the home, catalogue,
// product and producer pages, with the default simulated slow 4G (median of
// 5, LCP's spread beside it), or with `--devtools` Chromium's real
// throttling (median of 3). Prints the medians beside the previous run's of
// the same kind and appends them to lighthouse-history.json.
//
//   node perf/lighthouse.mjs             simulated throttling
//   node perf/lighthouse.mjs --devtools  real throttling

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, CHROME_FLAGS, median, repoRoot } from './common.mjs';

const PAGES = {
  home: '/', catalogue: '/products', product: '/products/jinjing-wildflower-honey', producer: '/producers/wufo-bee-coop',
};
const DEVTOOLS = process.argv.includes('--devtools');
const THROTTLING = DEVTOOLS ? 'devtools' : 'simulate';
const RUNS = DEVTOOLS ? 3 : 5;
const historyFile = path.join(repoRoot, 'perf/lighthouse-history.json');
const lighthouse = path.join(repoRoot, 'perf/node_modules/.bin/lighthouse');

const server = await startServer();
const out = mkdtempSync(path.join(tmpdir(), 'lighthouse-'));
const result = { date: new Date().toISOString(), throttling: THROTTLING, commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim(), pages: {} };
try {
  for (const [name, page] of Object.entries(PAGES)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const report = path.join(out, `${name}-${i}.json`);
      execFileSync(lighthouse, [
        server.url + page, '--quiet', '--only-categories=performance,accessibility', '--output=json',
        `--output-path=${report}`, `--throttling-method=${THROTTLING}`,
        `--chrome-flags=${CHROME_FLAGS.join(' ')}`,
      ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, stdio: 'inherit' });
      const lhr = JSON.parse(readFileSync(report, 'utf8'));
      const audit = (id) => lhr.audits[id].numericValue;
      runs.push({
        score: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        fcp_ms: audit('first-contentful-paint'),
        lcp_ms: audit('largest-contentful-paint'),
        tbt_ms: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
      });
    }
    result.pages[name] = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
    const lcps = runs.map((r) => r.lcp_ms);
    result.pages[name].lcp_spread_ms = [Math.min(...lcps), Math.max(...lcps)];
  }
} finally {
  await server.stop();
}

const history = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, 'utf8')) : [];
// Runs from before the throttling was recorded were simulated.
const previous = history.filter((run) => (run.throttling ?? 'simulate') === THROTTLING).at(-1);
const fmt = (v, k) => {
  if (v === undefined) return '—';
  if (k === 'score' || k === 'accessibility') return String(v);
  if (k === 'cls') return v.toFixed(3);
  if (k === 'tbt_ms') return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
};
console.log(`\nLighthouse mobile, ${THROTTLING} throttling, median of ${RUNS} (previous run ${previous ? previous.commit : 'none'} in brackets)`);
console.log('| page | score | accessibility | FCP | LCP (spread) | TBT | CLS |\n|---|---|---|---|---|---|---|');
for (const [name, m] of Object.entries(result.pages)) {
  const p = previous?.pages?.[name] ?? {};
  const cell = (k) => `${fmt(m[k], k)} (${fmt(p[k], k)})`;
  const spread = m.lcp_spread_ms.map((v) => fmt(v)).join('–');
  console.log(`| ${name} | ${cell('score')} | ${cell('accessibility')} | ${cell('fcp_ms')} | ${cell('lcp_ms')} ${spread} | ${cell('tbt_ms')} | ${cell('cls')} |`);
}
history.push(result);
writeFileSync(historyFile, JSON.stringify(history, null, 2) + '\n');
