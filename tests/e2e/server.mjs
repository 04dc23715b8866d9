// Starts the real shop server on a free loopback port with a fresh SQLite
// database. No dependencies, so the perf scripts use it too.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'e2e-admin-token';

/** Resolves to the address `file` holds once a process writes it (polled). */
function addressIn(file, child, what, output) {
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      let addr = null;
      try { addr = readFileSync(file, 'utf8').trim(); } catch { /* not yet */ }
      if (addr) { clearInterval(poll); resolve(`http://${addr}`); }
      else if (exited !== null) { clearInterval(poll); reject(new Error(`${what} exited with ${exited} before it was ready:\n${output()}`)); }
      else if (Date.now() - started > 30_000) { clearInterval(poll); reject(new Error(`${what} not ready after 30 s:\n${output()}`)); }
    }, 20);
  });
}

/**
 * The local WeChat Pay simulator (crates/wechat-pay-sim), writing its keys
 * into `dir`. Resolves to { url, stop }.
 */
async function startSimulator(dir) {
  const bin = path.resolve(repoRoot, process.env.WECHAT_PAY_SIM_BIN ?? 'target/debug/wechat-pay-sim');
  const addrFile = path.join(dir, '..', 'sim-addr');
  const sim = spawn(bin, ['127.0.0.1:0', dir], { env: { ...process.env, SIM_ADDR_FILE: addrFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  sim.stdout.on('data', (chunk) => { out += chunk; });
  const url = await addressIn(addrFile, sim, 'the WeChat Pay simulator', () => out);
  return { url, stop: () => new Promise((resolve) => { sim.once('exit', resolve); sim.kill('SIGTERM'); }) };
}

/**
 * Resolves to { url, stop, simulator? } once the server listens. `bin`
 * defaults to the debug build; `catalogue` re-seeds from a file first;
 * `env` adds settings; `payments` takes online payments through a WeChat
 * Pay simulator of its own (`simulator.url`).
 */
export async function startShop({ bin = process.env.SHOP_SERVER_BIN ?? 'target/debug/order-api', catalogue, env = {}, payments = false } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-'));
  const serverBin = path.resolve(repoRoot, bin);
  const addrFile = path.join(dataDir, 'addr');
  const simulator = payments ? await startSimulator(path.join(dataDir, 'wechat-sim')) : null;
  const paymentSettings = payments ? { PAYMENT_PROVIDER: 'simulator', WECHAT_SIMULATOR_DIR: path.join(dataDir, 'wechat-sim') } : {};
  const settings = {
    ...process.env,
    BIND: '127.0.0.1:0',
    ADDR_FILE: addrFile,
    DATABASE_URL: `sqlite://${dataDir}/shop.db`,
    // SHOP_STATIC_DIR serves another build, e.g. a debug one whose panics say where.
    STATIC_DIR: process.env.SHOP_STATIC_DIR ?? path.join(repoRoot, 'dist'),
    ADMIN_TOKEN,
    RUST_LOG: 'warn',
    // Every test and benchmark request comes from 127.0.0.1.
    RATE_LIMIT_ORDERS_PER_MINUTE: '1000000',
    RATE_LIMIT_LOOKUPS_PER_MINUTE: '1000000',
    // Stopped with SIGTERM, and no load balancer to tell: no drain delay.
    SHUTDOWN_DRAIN_SECS: '0',
    ...paymentSettings,
    ...env,
  };
  if (catalogue) execFileSync(serverBin, ['reseed', catalogue], { env: settings, stdio: 'inherit' });
  const server = spawn(serverBin, ['serve'], { cwd: repoRoot, env: settings, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  server.stdout.on('data', (chunk) => { out += chunk; });
  // The server writes its address to ADDR_FILE once it listens.
  const url = await addressIn(addrFile, server, 'the server', () => out);
  return {
    url,
    simulator,
    stop: async () => {
      await new Promise((resolve) => {
        server.once('exit', resolve);
        server.kill('SIGTERM');
      });
      await simulator?.stop();
    },
  };
}
