// The fault drill's body (started by perf/fault-drill.sh, which provides
// PostgreSQL, the WeChat Pay simulator and the release binary): HAProxy in
// front of two replicas, shoppers and staff as closed-loop clients, the
// faults on a schedule, then the checks and the report.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';

const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set (run perf/fault-drill.sh)`); })();
const work = env('DRILL_WORK');
const serverBin = env('DRILL_SERVER_BIN');
const pgBin = env('DRILL_PG_BIN');
const pgData = env('DRILL_PG_DATA');
const simDir = env('DRILL_SIM_DIR');
const drillSecs = Number(process.env.DRILL_SECS ?? 180);
const clients = Number(process.env.DRILL_CLIENTS ?? 16);
const repoRoot = path.resolve(import.meta.dirname, '..');
const ADMIN_TOKEN = 'drill-admin-token';
const PHONE = '13800138000';
const SKUS = ['HONEY-WF-500', 'HONEY-SZ-500', 'GOJI-RED-250'];
const START_STOCK = 1_000_000;

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// No pipes: the restarted postmaster would hold them open.
const asPostgres = (cmd, args) => (process.getuid() === 0
  ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore' })
  : execFileSync(cmd, args, { stdio: 'ignore' }));

// One database of its own in the throwaway cluster.
const cluster = env('DRILL_DATABASE_URL');
// The SQL on standard input: a check can name every acknowledged order.
const psql = (sql, url = databaseUrl) =>
  execFileSync('psql', ['-X', '-qAt', '-v', 'ON_ERROR_STOP=1', url], { input: sql, maxBuffer: 1 << 26 }).toString().trim();
psql('CREATE DATABASE drill', cluster);
const databaseUrl = cluster.replace(/\/[^/]+$/, '/drill');

// --- the two replicas and the balancer -------------------------------------
const balancerPort = await freePort();
const origin = `http://127.0.0.1:${balancerPort}`;
const replicaPorts = [await freePort(), await freePort()];
const dist = path.join(repoRoot, 'dist');
const browsePages = existsSync(path.join(dist, 'index.html'));
const replicaEnv = (port) => ({
  ...process.env,
  BIND: `127.0.0.1:${port}`,
  DATABASE_URL: databaseUrl,
  STATIC_DIR: browsePages ? dist : path.join(work, 'no-dist'),
  ADMIN_TOKEN,
  RUST_LOG: 'warn',
  TRUST_FORWARDED_FOR: 'true',
  RATE_LIMIT_ORDERS_PER_MINUTE: '100000000',
  RATE_LIMIT_LOOKUPS_PER_MINUTE: '100000000',
  PAYMENT_PROVIDER: 'simulator',
  WECHAT_SIMULATOR_DIR: simDir,
  // WeChat Pay's notifications come back through the balancer.
  PUBLIC_ORIGIN: origin,
  // The balancer checks every 500 ms and takes a replica out after 2 failures.
  SHUTDOWN_DRAIN_SECS: '3',
  PAYMENT_SWEEP_SECS: '5',
});
const replicas = replicaPorts.map((port, i) => ({ name: `replica ${'AB'[i]}`, port, child: null }));
let haproxy = null;
// However the drill ends (a failed check, an exception), nothing it started outlives it.
process.on('exit', () => {
  haproxy?.kill();
  for (const r of replicas) r.child?.kill('SIGKILL');
});
async function startReplica(replica) {
  replica.child = spawn(serverBin, ['serve'], { env: replicaEnv(replica.port), stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`http://127.0.0.1:${replica.port}/readyz`)).ok) return; } catch { /* not yet */ }
    await sleep(50);
  }
  throw new Error(`${replica.name} did not start`);
}
const exited = (child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
await startReplica(replicas[0]);
await startReplica(replicas[1]);

const haproxyConfig = path.join(work, 'haproxy.cfg');
writeFileSync(haproxyConfig, `global
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
  # Only connection failures are retried: a request that reached a replica
  # is never sent twice by the balancer (the clients retry orders by key).
  retry-on conn-failure
frontend shop
  bind 127.0.0.1:${balancerPort}
  option forwardfor
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${replicas.map((r, i) => `  server ${'ab'[i]} 127.0.0.1:${r.port} check inter 500ms fall 2 rise 2`).join('\n')}
`);
haproxy = spawn('haproxy', ['-db', '-f', haproxyConfig], { stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; ; i++) {
  try { if ((await fetch(`${origin}/readyz`)).ok) break; } catch { /* not yet */ }
  if (i > 200) throw new Error('HAProxy did not start');
  await sleep(50);
}
for (const sku of SKUS) psql(`UPDATE variants SET stock = ${START_STOCK} WHERE sku = '${sku}'`);
const slugs = JSON.parse(psql(`SELECT json_agg(slug) FROM products WHERE published`));
const sim = JSON.parse(readFileSync(path.join(simDir, 'simulator.json'), 'utf8')).base_url;

// --- the clients -------------------------------------------------------------
const records = []; // every request: { kind, start, end, ok, status }
const acknowledged = new Map(); // idempotency key -> order number (from a 201)
const keyAnswers = new Map(); // idempotency key -> every order number a 201 gave it
const pending = []; // orders that may still be paid or cancelled
const paidOrders = [];
let stopping = false;
const now = () => performance.now();

async function timed(kind, url, init = {}) {
  const start = now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    records.push({ kind, start, end: now(), ok: response.ok, status: response.status });
    return { status: response.status, text, retryAfter: Number(response.headers.get('retry-after') ?? 0) };
  } catch (e) {
    records.push({ kind, start, end: now(), ok: false, status: 0 });
    return { status: 0, text: String(e), retryAfter: 0 };
  }
}
const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const admin = (body) => ({ ...json(body), headers: { ...json(body).headers, authorization: `Bearer ${ADMIN_TOKEN}` } });
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const retryable = (status) => status === 0 || status === 502 || status === 503 || status === 504;

let keyCounter = 0;
async function placeOrder(client) {
  const key = `drill-${client}-${keyCounter++}`;
  const body = {
    items: [{ sku: pick(SKUS), quantity: 1 + Math.floor(Math.random() * 3) }],
    contact: { name: '演练', phone: PHONE },
    address: { province: '天津市', city: '天津市', district: '西青区', detail: '杨柳青镇1号' },
  };
  // Retried with the same key until answered, as the checkout page does.
  for (let attempt = 0; attempt < 60; attempt++) {
    const init = json(body);
    init.headers['idempotency-key'] = key;
    const reply = await timed('order', `${origin}/api/orders`, init);
    if (reply.status === 201) {
      const orderNo = JSON.parse(reply.text).order_no;
      acknowledged.set(key, orderNo);
      keyAnswers.set(key, [...(keyAnswers.get(key) ?? []), orderNo]);
      pending.push(orderNo);
      return;
    }
    if (!retryable(reply.status)) throw new Error(`order refused: ${reply.status} ${reply.text}`);
    await sleep(Math.max(reply.retryAfter * 1000, 200));
  }
  throw new Error(`order ${key} never got an answer`);
}

async function pay() {
  const orderNo = pending.shift();
  if (!orderNo) return;
  const started = await timed('pay', `${origin}/api/orders/${orderNo}/payments`, json({ phone: PHONE, mode: 'native' }));
  if (started.status !== 200 && started.status !== 201) return; // a fault: the order stays unpaid
  const { out_trade_no: outTradeNo } = JSON.parse(started.text);
  // The shopper scans and pays; WeChat Pay notifies the shop (through the balancer).
  const paid = await timed('sim-pay', `${sim}/sim/pay`, json({ out_trade_no: outTradeNo }));
  if (paid.status === 204) paidOrders.push(orderNo);
}

async function staff() {
  // Staff cancel an unpaid order (its stock comes back) or ship a paid one.
  if (Math.random() < 0.5) {
    const orderNo = pending.shift();
    if (orderNo) await timed('admin', `${origin}/api/admin/orders/${orderNo}/status`, admin({ status: 'cancelled' }));
  } else {
    const orderNo = paidOrders.shift();
    if (orderNo) {
      await timed('admin', `${origin}/api/admin/orders/${orderNo}/status`, admin({ status: 'shipped', tracking_no: `SF${Date.now()}` }));
    }
  }
}

async function client(n) {
  while (!stopping) {
    const roll = Math.random();
    if (roll < 0.30) {
      const slug = pick(slugs);
      await timed('browse', pick([`${origin}/api/products`, `${origin}/api/products/${slug}`,
        ...(browsePages ? [`${origin}/products/${slug}`] : [])]));
    } else if (roll < 0.40) {
      await timed('quote', `${origin}/api/quote`, json({ items: [{ sku: pick(SKUS), quantity: 1 }] }));
    } else if (roll < 0.75) {
      await placeOrder(n);
    } else if (roll < 0.85) {
      const orderNo = pick([...acknowledged.values()]);
      if (orderNo) await timed('lookup', `${origin}/api/orders/${orderNo}?phone=${PHONE}`);
    } else if (roll < 0.93) {
      await pay();
    } else {
      await staff();
    }
    await sleep(Math.random() * 20);
  }
}

// --- the faults --------------------------------------------------------------
const faults = [];
const t0 = now();
const at = (fraction) => t0 + drillSecs * 1000 * fraction;
const untilTime = async (t) => { while (now() < t) await sleep(20); };
const postgresPids = () => {
  const postmaster = readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0].trim();
  const children = execFileSync('pgrep', ['-P', postmaster]).toString().trim().split('\n');
  return [postmaster, ...children];
};
async function fault(name, action) {
  const start = now();
  await action();
  faults.push({ name, start, end: now() });
  console.log(`${((start - t0) / 1000).toFixed(1)} s: ${name}`);
}
async function runFaults() {
  await untilTime(at(0.15));
  await fault('SIGKILL replica A, restarted 2 s later', async () => {
    replicas[0].child.kill('SIGKILL');
    await exited(replicas[0].child);
    // A process manager's restart delay: the balancer has to notice.
    await sleep(2000);
    await startReplica(replicas[0]);
  });
  await untilTime(at(0.35));
  await fault('SIGTERM replica B (rolling restart), restarted once it exits', async () => {
    replicas[1].child.kill('SIGTERM');
    await exited(replicas[1].child);
    await startReplica(replicas[1]);
  });
  await untilTime(at(0.55));
  await fault('pg_ctl restart -m fast', async () => {
    const log = path.join(path.dirname(pgData), 'server.log');
    asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', pgData, '-l', log, '-m', 'fast', '-w', '-s', 'restart']);
  });
  await untilTime(at(0.75));
  await fault('the database paused 5 s (SIGSTOP, SIGCONT)', async () => {
    const pids = postgresPids();
    execFileSync('kill', ['-STOP', ...pids]);
    await sleep(5000);
    execFileSync('kill', ['-CONT', ...pids]);
  });
}

console.log(`drill: ${drillSecs} s, ${clients} clients, through HAProxy at ${origin}${browsePages ? '' : ' (no dist/: pages not browsed)'}`);
const running = Array.from({ length: clients }, (_, n) => client(n));
await runFaults();
await untilTime(at(1));
stopping = true;
await Promise.all(running);
const elapsed = (now() - t0) / 1000;
// Notifications in flight at the end, and the sweep: let them settle.
await sleep(3000);

// --- the checks --------------------------------------------------------------
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };
const numbers = [...acknowledged.values()];
const found = Number(psql(`SELECT COUNT(*) FROM orders WHERE order_no IN (${numbers.map((n) => `'${n}'`).join(',') || "''"})`));
const lost = numbers.length - found;
check(lost === 0, `${lost} acknowledged orders are missing`);
const doubledKeys = [...keyAnswers.values()].filter((answers) => new Set(answers).size > 1).length;
const ordersInDb = Number(psql('SELECT COUNT(*) FROM orders'));
const keysInDb = Number(psql('SELECT COUNT(*) FROM idempotency_keys'));
check(doubledKeys === 0, `${doubledKeys} keys were answered with two order numbers`);
check(ordersInDb === keysInDb, `${ordersInDb} orders for ${keysInDb} idempotency keys`);
const stockRows = JSON.parse(psql(`SELECT json_agg(json_build_object('sku', v.sku, 'stock', v.stock,
  'held', (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
           WHERE l.sku = v.sku AND o.status <> 'cancelled')))
  FROM variants v WHERE v.sku IN (${SKUS.map((s) => `'${s}'`).join(',')})`));
const stockMismatches = stockRows.filter((r) => r.stock + Number(r.held) !== START_STOCK || r.stock < 0);
check(stockMismatches.length === 0, `stock does not add up: ${JSON.stringify(stockMismatches)}`);
const paidTwice = Number(psql(`SELECT COUNT(*) FROM (SELECT order_id FROM payments WHERE state = 'paid'
  GROUP BY order_id HAVING COUNT(*) > 1) twice`));
check(paidTwice === 0, `${paidTwice} orders recorded as paid twice`);
const paidInDb = Number(psql(`SELECT COUNT(*) FROM payments WHERE state = 'paid'`));
const cancelled = Number(psql(`SELECT COUNT(*) FROM orders WHERE status = 'cancelled'`));
const shipped = Number(psql(`SELECT COUNT(*) FROM orders WHERE status = 'shipped'`));

// --- the report --------------------------------------------------------------
const secs = (ms) => (ms / 1000).toFixed(2);
console.log(`\n${records.length} requests in ${elapsed.toFixed(0)} s (${(records.length / elapsed).toFixed(0)}/s), ` +
  `${records.filter((r) => !r.ok).length} failed answers or no answer; ${numbers.length} orders acknowledged, ` +
  `${paidInDb} paid, ${shipped} shipped, ${cancelled} cancelled by staff`);
console.log('\n| fault | requests in flight (ok / failed) | failed answers until the next fault (at most 15 s), by status | longest time no request succeeded |');
console.log('|---|---|---|---|');
faults.forEach((f, i) => {
  const windowEnd = Math.min(f.end + 15_000, faults[i + 1]?.start ?? Infinity, t0 + elapsed * 1000);
  const inFlight = records.filter((r) => r.start < f.start && r.end > f.start);
  const during = records.filter((r) => r.start >= f.start && r.start < windowEnd);
  const failed = during.filter((r) => !r.ok);
  const counts = new Map();
  for (const r of failed) counts.set(r.status || 'no answer', (counts.get(r.status || 'no answer') ?? 0) + 1);
  const byStatus = [...counts].map(([status, n]) => `${status} ×${n}`).join(', ') || 'none';
  const successes = records.filter((r) => r.ok && r.end >= f.start - 1000 && r.end <= windowEnd)
    .map((r) => r.end).sort((a, b) => a - b);
  let gap = 0;
  for (let j = 1; j < successes.length; j++) gap = Math.max(gap, successes[j] - successes[j - 1]);
  console.log(`| ${f.name} (${secs(f.end - f.start)} s) | ${inFlight.length} (${inFlight.filter((r) => r.ok).length} / ` +
    `${inFlight.filter((r) => !r.ok).length}) | ${failed.length} of ${during.length}: ${byStatus} | ${secs(gap)} s |`);
});
console.log(`\nacknowledged orders lost: ${lost}; keys with two orders: ${doubledKeys}; ` +
  `stock mismatches: ${stockMismatches.length}; orders paid twice: ${paidTwice}`);

if (problems.length) {
  console.error(`\nFAIL:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('PASS');
process.exit(0);
