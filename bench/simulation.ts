/**
 * `npm run bench:simulation`: a what-if run over 100,000 settled orders, through the real
 * workflow (a Temporal dev server, a worker, an embedded Postgres), next to its goal (under a
 * minute) and a baseline measured in the same process: reading the same order rows in the same
 * batches, without judging them (the I/O floor). Orders are seeded in bulk (test/harness/bulk-orders.ts),
 * settled by the pure model under the defaults; the candidate raises every later-purchase rate.
 * BENCH_ORDERS changes the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { loadConfig } from '../config';
import { devServerExecutable } from '../config/binaries';
import { createSql } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import * as simulations from '../db/repositories/simulations';
import { DEFAULT_RULE_SETS, defaultRuleBook, type RuleSet } from '../domain/rulesets';
import { installRuntime } from '../lib/temporal-runtime';
import { createSimulation, simulationView } from '../services/simulations';
import { seedSettledOrders } from '../test/harness/bulk-orders';
import { bundleWorkflows } from '../worker';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const PER_CUSTOMER = 4;
const GOAL_SECONDS = 60;

async function main(): Promise<void> {
  installRuntime({ logLevel: 'ERROR' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-simulation-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 20000 + (process.pid % 900), unsafeFast: true });
  const admin = createSql(pg.url('postgres'), { max: 1 });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const sql = createSql(pg.url('bench'), { max: 10 });
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), log: { format: 'pretty', level: 'error' } } });
  try {
    await migrate(sql);
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE: 'bench-simulation', TEMPORAL_SEARCH_ATTRIBUTES: 'false', SIMULATION_SLICE_SECONDS: '10' });
    const ruleBook = defaultRuleBook();
    const deps = { sql, client: env.client, config, logger: pino({ level: 'silent' }), ruleBook };
    const from = Date.parse('2024-06-01T00:00:00+08:00');
    const to = Date.parse('2025-01-01T00:00:00+08:00');

    let t = performance.now();
    const seeded = await seedSettledOrders(sql, { prefix: 'bench', customers: Math.ceil(ORDERS / PER_CUSTOMER), ordersPerCustomer: PER_CUSTOMER, ambassadors: 2_000, fromMs: from, toMs: to - 31 * 86_400_000, book: ruleBook, nowMs: Date.now() });
    await sql`ANALYZE`;
    console.log(`seeded ${seeded.orders.toLocaleString()} settled orders in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Baseline: the same batches of customers and their order rows, read and not judged.
    t = performance.now();
    let cursor: string | null = null;
    let read = 0;
    const period = { placed_from: new Date(from), placed_to: new Date(to) };
    for (;;) {
      const batch = await simulations.nextCustomers(sql, period, cursor, config.SIMULATION_BATCH_CUSTOMERS);
      if (batch.length === 0) break;
      read += [...(await simulations.ordersOf(sql, batch)).values()].reduce((n, rows) => n + rows.length, 0);
      cursor = batch[batch.length - 1]!;
    }
    const baseline = (performance.now() - t) / 1000;

    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: config.TEMPORAL_TASK_QUEUE, workflowBundle: await bundleWorkflows(), activities: createActivities(deps) });
    const running = worker.run();
    const latest = DEFAULT_RULE_SETS[2]!;
    const candidate: RuleSet = { ...latest, levels: Object.fromEntries(Object.entries(latest.levels).map(([l, r]) => [l, { ...r, laterPurchaseRate: '0.3' }])) as RuleSet['levels'] };
    t = performance.now();
    const created = await createSimulation(deps, { ruleSet: candidate, from: new Date(from).toISOString(), to: new Date(to).toISOString(), requestedBy: 'bench' });
    if (!created.ok) throw new Error(created.reason);
    let view = await simulationView(deps, created.simulation.id);
    while (view?.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      view = await simulationView(deps, created.simulation.id);
    }
    const seconds = (performance.now() - t) / 1000;
    worker.shutdown();
    await running;
    if (view?.status !== 'completed' || !view.totals) throw new Error(`simulation ${view?.status}: ${view?.error}`);

    const n = view.totals.orders;
    console.log(
      [
        '',
        `what-if over ${n.toLocaleString()} orders (${read.toLocaleString()} read by the baseline), ${view.totals.changedOrders.toLocaleString()} changed, difference ${view.totals.difference.cny} CNY over ${view.totals.changedAmbassadors} ambassadors`,
        `  simulation (workflow, slices, judged, written):  ${seconds.toFixed(1)} s   ${Math.round(n / seconds).toLocaleString()} orders/s   goal: ${ORDERS.toLocaleString()} orders under ${GOAL_SECONDS} s  ${seconds < GOAL_SECONDS * (n / ORDERS) ? 'MET' : 'NOT MET'}`,
        `  baseline (the same rows read, not judged):       ${baseline.toFixed(1)} s   ${Math.round(read / baseline).toLocaleString()} orders/s`,
        `  ratio simulation / baseline:                     ${(seconds / baseline).toFixed(2)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await env.teardown();
    await sql.end();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
