/**
 * `npm run bench:cluster [-- --orders N --span SECONDS --concurrency C]`: order throughput over
 * REST with one and with two app worker processes, on the production topology (four Temporal
 * services on Postgres, cluster/topology.ts) beside the CLI's dev server (SQLite), everything
 * else equal: the same Postgres, app workers, API process, rule sets and traffic. For each: orders
 * accepted per second (202 answers, C requests in flight) and settled per second (from the first
 * POST until every order is terminal, review and installments squeezed to SPAN seconds). Each
 * customer places two 5,000.00 CNY orders (two installments each). Prints the figures side by side
 * with their ratios. Everything it starts is stopped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSql, type Sql } from '../db/client';
import { TERMINAL_STATES } from '../contracts/orders';
import { clusterSettings } from '../cluster/settings';
import { startTopology, type Topology } from '../cluster/topology';
import { freeTopologyPorts } from '../test/cluster/ports';
import { shortWaits } from '../test/cluster/short-waits';
import { Rest, associate, associated, joinAmbassador, orderBody, placeOrder, type Ambassador } from '../test/cluster/traffic';
import { pool } from './harness/load';
import { sleep } from './harness/measure';
import { Flags } from './harness/cli';

const flags = new Flags('usage: npm run bench:cluster [-- --orders N --span S --concurrency C]', { orders: 'value', span: 'value', concurrency: 'value' });
const ORDERS = flags.num('orders', { min: 1 }, 600);
const SPAN_S = flags.num('span', { min: 1 }, 10);
const CONCURRENCY = flags.num('concurrency', { min: 1 }, 32);
const started = performance.now();
const log = (m: string) => console.log(`[bench:cluster +${((performance.now() - started) / 1000).toFixed(0)}s] ${m}`);

interface Figures {
  acceptedPerS: number;
  settledPerS: number;
}

/** One phase: fresh customers, N orders as fast as C requests in flight allow, until all settled. */
async function phase(t: Topology, rest: Rest, sql: Sql, ambassadors: Ambassador[], tag: string): Promise<Figures> {
  const customers = Array.from({ length: Math.ceil(ORDERS / 2) }, (_, c) => ({ id: `cust-${tag}-${c}`, amb: ambassadors[c % ambassadors.length]! }));
  await pool(customers, 8, (c) => associate(rest, c.id, c.amb));
  await pool(customers, 8, async (c) => {
    while (!(await associated(rest, c.id))) await sleep(200);
  });
  const orders = Array.from({ length: ORDERS }, (_, i) => ({ orderId: `ord-${tag}-${i}`, customerId: customers[Math.floor(i / 2)]!.id }));
  const t0 = performance.now();
  await pool(orders, CONCURRENCY, (o) => placeOrder(rest, orderBody(o.orderId, o.customerId, '5000.00')));
  const accepted = performance.now();
  for (const deadline = Date.now() + SPAN_S * 1000 + 600_000; Date.now() < deadline; await sleep(250)) {
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM orders WHERE order_id LIKE ${`ord-${tag}-%`} AND state = ANY(${TERMINAL_STATES as string[]})`;
    if (row!.n === ORDERS) break;
  }
  const settled = performance.now();
  const [bad] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM orders WHERE order_id LIKE ${`ord-${tag}-%`} AND state <> 'completed'`;
  if (bad!.n > 0) throw new Error(`${tag}: ${bad!.n} orders did not complete`);
  void t;
  return { acceptedPerS: ORDERS / ((accepted - t0) / 1000), settledPerS: ORDERS / ((settled - t0) / 1000) };
}

async function measure(mode: 'dev' | 'cluster'): Promise<{ one: Figures; two: Figures }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `settlement-bench-${mode}-`));
  fs.chmodSync(dir, 0o755);
  const s = clusterSettings({ ...process.env, ...(await freeTopologyPorts()), DATA_DIR: dir, CLUSTER_UI: 'false', CLUSTER_APP_WORKERS: '2' });
  let t: Topology | undefined;
  const onSignal = () => {
    t?.kill();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    log(`${mode}: starting (${dir})`);
    t = await startTopology(s, { log, temporal: mode, appEnv: { ...shortWaits(dir, SPAN_S), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' } });
    const rest = new Rest(t.apiUrl);
    const sql = createSql(t.databaseUrl, { max: 2 });
    const runId = Date.now().toString(36);
    const ambassadors: Ambassador[] = [];
    for (let a = 0; a < 20; a++) ambassadors.push(await joinAmbassador(rest, a, runId));
    // One worker: the second waits stopped; then both.
    await t.app.stopWorkers();
    t.app.startWorker(0);
    await sleep(3000);
    const one = await phase(t, rest, sql, ambassadors, `${runId}-w1`);
    log(`${mode}, 1 worker: ${one.acceptedPerS.toFixed(1)} accepted/s, ${one.settledPerS.toFixed(1)} settled/s`);
    t.app.startWorker(1);
    await sleep(3000);
    const two = await phase(t, rest, sql, ambassadors, `${runId}-w2`);
    log(`${mode}, 2 workers: ${two.acceptedPerS.toFixed(1)} accepted/s, ${two.settledPerS.toFixed(1)} settled/s`);
    await sql.end({ timeout: 2 });
    return { one, two };
  } finally {
    await t?.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`${ORDERS} orders per run, ${CONCURRENCY} in flight, review and installments within ${SPAN_S} s, ${os.cpus().length} cores`);
  const dev = await measure('dev');
  const cluster = await measure('cluster');
  const f = (n: number) => n.toFixed(1).padStart(9);
  const r = (a: number, b: number) => `${(a / b).toFixed(2)}x`.padStart(12);
  const rows = [
    ['1 worker, accepted/s', dev.one.acceptedPerS, cluster.one.acceptedPerS],
    ['1 worker, settled/s', dev.one.settledPerS, cluster.one.settledPerS],
    ['2 workers, accepted/s', dev.two.acceptedPerS, cluster.two.acceptedPerS],
    ['2 workers, settled/s', dev.two.settledPerS, cluster.two.settledPerS],
  ] as const;
  console.log(`\n${''.padEnd(24)}${'dev server'.padStart(11)}${'cluster'.padStart(10)}${'cluster/dev'.padStart(12)}`);
  for (const [name, d, c] of rows) console.log(`${name.padEnd(24)}${f(d)}  ${f(c)}${r(c, d)}`);
  console.log(`${'2 workers / 1 worker'.padEnd(24)}${r(dev.two.settledPerS, dev.one.settledPerS).padStart(11)}${r(cluster.two.settledPerS, cluster.one.settledPerS).padStart(10)}   (settled/s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:cluster: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
