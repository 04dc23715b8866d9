// Starts the real shop server on a free loopback port with a fresh SQLite
// database. No dependencies, so the perf scripts use it too.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'e2e-admin-token';

/**
 * Resolves to { url, stop } once the server listens. `bin` defaults to the
 * debug build; `catalogue` re-seeds from a file first; `env` adds settings.
 */
export async function startShop({ bin = process.env.SHOP_SERVER_BIN ?? 'target/debug/order-api', catalogue, env = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-'));
  const serverBin = path.resolve(repoRoot, bin);
  const addrFile = path.join(dataDir, 'addr');
  const settings = {
    ...process.env,
    BIND: '127.0.0.1:0',
    ADDR_FILE: addrFile,
    DATABASE_URL: `sqlite://${dataDir}/shop.db`,
    STATIC_DIR: path.join(repoRoot, 'dist'),
    ADMIN_TOKEN,
    RUST_LOG: 'warn',
    // Every test and benchmark request comes from 127.0.0.1.
    RATE_LIMIT_ORDERS_PER_MINUTE: '1000000',
    RATE_LIMIT_LOOKUPS_PER_MINUTE: '1000000',
    ...env,
  };
  if (catalogue) execFileSync(serverBin, ['reseed', catalogue], { env: settings, stdio: 'inherit' });
  const server = spawn(serverBin, ['serve'], { cwd: repoRoot, env: settings, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  server.stdout.on('data', (chunk) => { out += chunk; });
  let exited = null;
  server.on('exit', (code) => { exited = code; });
  // The server writes its address to ADDR_FILE once it listens.
  const url = await new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      let addr = null;
      try { addr = readFileSync(addrFile, 'utf8').trim(); } catch { /* not yet */ }
      if (addr) { clearInterval(poll); resolve(`http://${addr}`); }
      else if (exited !== null) { clearInterval(poll); reject(new Error(`server exited with ${exited} before it was ready:\n${out}`)); }
      else if (Date.now() - started > 20_000) { clearInterval(poll); reject(new Error(`server not ready after 20 s:\n${out}`)); }
    }, 20);
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      server.once('exit', resolve);
      server.kill('SIGTERM');
    }),
  };
}
