// Shared by the perf scripts: the release server, Chromium's flags, medians.

export { repoRoot } from '../tests/e2e/server.mjs';
import { startShop } from '../tests/e2e/server.mjs';

/** The release server on a fresh database, re-seeded from `catalogue` if given. */
export const startServer = (options = {}) => startShop({ bin: 'target/release/order-api', ...options });

export const CHROME_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
