// Lighthouse 12 (mobile, default simulated slow 4G), 3 runs each of the
// home, catalogue and product pages, against the release server. Prints the
// medians beside the previous run's and appends them to lighthouse-history.json.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, CHROME_FLAGS, median, repoRoot } from './common.mjs';

const PAGES = { home: '/', catalogue: '/products', product: '/products/jinjing-wildflower-honey' };
const RUNS = 3;
const historyFile = path.join(repoRoot, 'perf/lighthouse-history.json');
const lighthouse = path.join(repoRoot, 'perf/node_modules/.bin/lighthouse');

const server = await startServer();
const out = mkdtempSync(path.join(tmpdir(), 'lighthouse-'));
const result = { date: new Date().toISOString(), commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim(), pages: {} };
try {
  for (const [name, page] of Object.entries(PAGES)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const report = path.join(out, `${name}-${i}.json`);
      execFileSync(lighthouse, [
        server.url + page, '--quiet', '--only-categories=performance', '--output=json', `--output-path=${report}`,
        `--chrome-flags=${CHROME_FLAGS.join(' ')}`,
      ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, stdio: 'inherit' });
      const lhr = JSON.parse(readFileSync(report, 'utf8'));
      const audit = (id) => lhr.audits[id].numericValue;
      runs.push({
        score: Math.round(lhr.categories.performance.score * 100),
        fcp_ms: audit('first-contentful-paint'),
        lcp_ms: audit('largest-contentful-paint'),
        tbt_ms: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
      });
    }
    result.pages[name] = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
  }
} finally {
  await server.stop();
}

const history = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, 'utf8')) : [];
const previous = history.at(-1);
const fmt = (v, k) => {
  if (v === undefined) return '—';
  if (k === 'score') return String(v);
  if (k === 'cls') return v.toFixed(3);
  if (k === 'tbt_ms') return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
};
console.log(`\nLighthouse mobile, median of ${RUNS} (previous run ${previous ? previous.commit : 'none'} in brackets)`);
console.log('| page | score | FCP | LCP | TBT | CLS |\n|---|---|---|---|---|---|');
for (const [name, m] of Object.entries(result.pages)) {
  const p = previous?.pages?.[name] ?? {};
  const cell = (k) => `${fmt(m[k], k)} (${fmt(p[k], k)})`;
  console.log(`| ${name} | ${cell('score')} | ${cell('fcp_ms')} | ${cell('lcp_ms')} | ${cell('tbt_ms')} | ${cell('cls')} |`);
}
history.push(result);
writeFileSync(historyFile, JSON.stringify(history, null, 2) + '\n');
