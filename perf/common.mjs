// Shared by the perf scripts: the release server on a free loopback port.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverBin = path.join(repoRoot, 'target/release/order-api');

/** Starts the release server on a fresh database, re-seeded from `catalogue` if given. */
export async function startServer({ catalogue, env = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-perf-'));
  const base = {
    ...process.env,
    BIND: '127.0.0.1:0',
    DATABASE_URL: `sqlite://${dataDir}/shop.db`,
    STATIC_DIR: path.join(repoRoot, 'dist'),
    ADMIN_TOKEN: 'perf-admin-token',
    RUST_LOG: 'warn',
    ...env,
  };
  if (catalogue) execFileSync(serverBin, ['reseed', catalogue], { env: base, stdio: 'inherit' });
  const server = spawn(serverBin, ['serve'], { env: base, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/is open at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, dataDir, stop: () => new Promise((r) => { server.once('exit', r); server.kill('SIGTERM'); }) };
}

export const CHROME_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
