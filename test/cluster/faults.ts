/**
 * `npm run test:cluster`: orders, refunds and withdrawals through the REST API of the production
 * topology (cluster/topology.ts: four Temporal services, Postgres, two app workers, the API) while
 * faults are injected: kill -9 of an app worker while orders are being credited, a crash and
 * restart of the history service, a restart of matching, and a crash and restart of Postgres.
 * Afterwards every order must be settled exactly once, every withdrawal paid once, the ledger's
 * invariants hold and nothing is left running. Prints the counts; exit 1 on any double, loss,
 * stuck item, ledger problem or app worker that exited on its own. Options: --orders N (200),
 * --span SECONDS (40: placement to the last installment), --keep (keep the data folder).
 * Everything it starts is stopped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createSql } from '../../db/client';
import { clusterSettings } from '../../cluster/settings';
import { startTopology, type Topology } from '../../cluster/topology';
import { check, waitSettled, type SentOrder, type SentWithdrawal } from './checks';
import { freeTopologyPorts } from './ports';
import { shortWaits } from './short-waits';
import { Rest, associate, associated, joinAmbassador, orderBody, placeOrder, refund, withdraw, type Ambassador, type Answer } from './traffic';
import { Flags } from '../../bench/harness/cli';

const started = Date.now();
const log = (m: string) => console.log(`[test:cluster +${((Date.now() - started) / 1000).toFixed(0)}s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const flags = new Flags('usage: npm run test:cluster [-- --orders N --span SECONDS --keep]', { orders: 'value', span: 'value', keep: 'switch' });
const ORDERS = flags.num('orders', { min: 1 }, 200);
const SPAN_S = flags.num('span', { min: 1 }, 40);
const AMBASSADORS = 8;
/** 5,000.00 CNY at L1 25%: 1,250.00 CNY, above the 1,000.00 threshold, so two installments. */
const PAID = '5000.00';
const FULL_REWARD = 125_000;
type Plan = 'none' | 'refund_in_review' | 'partial_after_review' | 'full_after_completion';
const planOf = (i: number): Plan => (({ 3: 'refund_in_review', 7: 'partial_after_review', 9: 'full_after_completion' }) as Record<number, Plan>)[i % 10] ?? 'none';
/** What the ambassador keeps: 25% of what the customer keeps (a partial refund of 1,000.00 keeps 4,000.00). */
const EXPECTED: Record<Plan, number> = { none: FULL_REWARD, refund_in_review: 0, partial_after_review: 100_000, full_after_completion: 0 };

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-cluster-'));
  fs.chmodSync(dir, 0o755);
  const ports = await freeTopologyPorts();
  const env = { ...process.env, ...ports, DATA_DIR: dir, CLUSTER_UI: 'false' };
  const s = clusterSettings(env);
  let topology: Topology | undefined;
  const onSignal = () => {
    topology?.kill();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    log(`starting the topology in ${dir} (frontend ${s.frontendAddress}, API ${ports.API_PORT}); waits squeezed to ${SPAN_S} s per order`);
    topology = await startTopology(s, { log, appEnv: { ...shortWaits(dir, SPAN_S), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' } });
    const t = topology;
    const rest = new Rest(t.apiUrl);
    const sql = createSql(t.databaseUrl, { max: 4 });
    const connection = await Connection.connect({ address: s.frontendAddress });
    const client = new Client({ connection, namespace: s.config.TEMPORAL_NAMESPACE });
    const stateOf = async (orderId: string) => (await sql<{ state: string }[]>`SELECT state FROM orders WHERE order_id = ${orderId}`.catch(() => []))[0]?.state;
    const waitState = async (orderId: string, states: string[], timeoutMs: number) => {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) if (states.includes((await stateOf(orderId)) ?? '')) return true;
      return false;
    };

    const runId = Date.now().toString(36);
    const ambassadors: Ambassador[] = [];
    for (let a = 0; a < AMBASSADORS; a++) ambassadors.push(await joinAmbassador(rest, a, runId));
    const customers = Math.ceil(ORDERS / 2);
    const ambassadorOf = (c: number) => ambassadors[c % AMBASSADORS]!;
    for (let c = 0; c < customers; c++) await associate(rest, `cust-${runId}-${c}`, ambassadorOf(c));
    for (let c = 0; c < customers; c++) while (!(await associated(rest, `cust-${runId}-${c}`))) await sleep(300);
    log(`${AMBASSADORS} ambassadors, ${customers} customers associated; placing ${ORDERS} orders (2 per customer) while faults are injected`);

    const sent: SentOrder[] = [];
    const kept: string[] = []; // orders nobody refunds
    const followUps: Promise<void>[] = [];
    let refunds = 0;
    const placing = (async () => {
      const pace = (SPAN_S * 1500) / ORDERS; // placement spreads over 1.5 spans, across the faults
      await Promise.all([0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < ORDERS; i += 4) {
          const c = Math.floor(i / 2);
          const orderId = `ord-${runId}-${i}`;
          const plan = planOf(i);
          await placeOrder(rest, orderBody(orderId, `cust-${runId}-${c}`, PAID));
          const order: SentOrder = { orderId, ambassadorId: ambassadorOf(c).id, expectedCreditedYunqi: EXPECTED[plan] };
          sent.push(order);
          // A refund the plan could not send (the order never reached the state it waits for) leaves the whole reward.
          const refundOnce = (states: string[], timeoutMs: number, amount: string, full: boolean) =>
            followUps.push(waitState(orderId, states, timeoutMs).then((ok) => (ok ? (refunds++, refund(rest, orderId, amount, full)) : void (order.expectedCreditedYunqi = FULL_REWARD))));
          if (plan === 'none') kept.push(orderId);
          if (plan === 'refund_in_review') {
            refunds++;
            followUps.push(refund(rest, orderId, PAID, true));
          }
          // After the review: while crediting, or once completed when a fault held the order's steps back
          // past both due dates (R-REV-2: recomputed on what is kept either way, the excess clawed back).
          if (plan === 'partial_after_review') refundOnce(['crediting', 'completed'], SPAN_S * 4000, '1000.00', false);
          if (plan === 'full_after_completion') refundOnce(['completed'], SPAN_S * 6000, PAID, true);
          await sleep(pace * 4);
        }
      }));
    })();

    const withdrawals: SentWithdrawal[] = [];
    const refused: string[] = [];
    const withdrawRound = async (round: number) => {
      for (const amb of ambassadors) {
        // R-WD-1: a completed valid order first (one that no refund will undo); round 1 found it.
        for (const deadline = Date.now() + SPAN_S * 6000; round === 1 && Date.now() < deadline; await sleep(1000)) {
          const [row] = await sql<{ n: number }[]>`
            SELECT count(*)::int AS n FROM orders WHERE ambassador_id = ${amb.id} AND state = 'completed' AND order_id = ANY(${kept})`.catch(() => [{ n: 0 }]);
          if (row!.n > 0) break;
        }
        const key = `wd-${runId}-${amb.id}-${round}`;
        const a = await withdraw(rest, amb, key, '50.00').catch((err: Error): Answer => ({ status: 0, body: { error: err.message } }));
        if (a.status === 201) withdrawals.push({ key, ambassadorId: amb.id, withdrawalId: a.body.id });
        else refused.push(`withdrawal ${key}: ${a.status} ${JSON.stringify(a.body)}`);
      }
    };
    const withdrawing = [withdrawRound(1)];

    const faults: string[] = [];
    const fault = async (name: string, act: () => Promise<unknown>) => {
      const at = Date.now();
      await act();
      faults.push(name);
      log(`fault ${faults.length}: ${name} (${((Date.now() - at) / 1000).toFixed(1)} s until back)`);
    };
    const injecting = (async () => {
      for (let i = 0; i < 600 && !(await sql`SELECT 1 FROM orders WHERE state = 'crediting' LIMIT 1`.catch(() => [])).length; i++) await sleep(200);
      await fault('kill -9 of app worker 1 while orders are being credited', async () => {
        await t.app.crashWorker(0);
        await sleep(3000);
        t.app.startWorker(0);
      });
      await sleep(5000);
      await fault('history service: kill -9 and start again', () => t.temporal!.restartService('history', 'crash'));
      await sleep(5000);
      await fault('matching service: SIGTERM and start again', () => t.temporal!.restartService('matching', 'graceful'));
      await sleep(5000);
      await withdrawing[0]; // every ambassador has a completed order: round 2 goes in during the outage
      await fault('Postgres: crash (immediate shutdown) and start again', async () => {
        await t.postgres.crash();
        withdrawing.push(withdrawRound(2)); // sent while Postgres is down: retried until answered, taken once
        await sleep(2000);
        await t.postgres.start();
      });
    })();

    await Promise.all([placing, injecting]);
    await Promise.all(followUps);
    await Promise.all(withdrawing);
    log(`all ${sent.length} orders accepted, ${refunds} refunds, ${withdrawals.length} withdrawals; waiting for settlement`);
    await waitSettled(sql, client, sent, withdrawals, SPAN_S * 4000 + 120_000);
    const f = await check(sql, client, sent, withdrawals);
    const crashes = t.app.unexpectedExits; // a worker that dies of a fault it should have survived
    for (const line of [...f.doubles, ...f.losses, ...f.stuck, ...f.ledger, ...refused, ...crashes].slice(0, 30)) log(`  ${line}`);
    const failed = f.doubles.length + f.losses.length + f.stuck.length + f.ledger.length + refused.length + crashes.length;
    console.log(`\norders ${sent.length}, refunds ${refunds}, withdrawals ${withdrawals.length}, faults ${faults.length}, doubles ${f.doubles.length}, losses ${f.losses.length}, stuck ${f.stuck.length}, ledger problems ${f.ledger.length}, withdrawals refused ${refused.length}, worker crashes ${crashes.length} (requests retried ${rest.retries})`);
    console.log(failed === 0 ? 'test:cluster: PASS' : 'test:cluster: FAIL');
    await Promise.allSettled([sql.end({ timeout: 2 }), connection.close()]);
    return failed === 0 ? 0 : 1;
  } finally {
    if (topology) await topology.stop();
    if (!flags.bool('keep')) fs.rmSync(dir, { recursive: true, force: true });
    else log(`data and logs kept in ${dir}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`test:cluster: ERROR ${(err as Error).stack ?? err}`);
    process.exit(2);
  },
);
