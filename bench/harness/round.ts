/**
 * One round of the system's throughput, on one server and worker, every figure beside the limit
 * it is judged against:
 *   empty     E empty workflows started with C in flight while the worker completes them: the
 *             start rate, and completions per busy second (the limits of this server and worker)
 *   REST      N orders POSTed (C in flight) for N associated customers: accepted per second
 *   typed     N orders of N other customers through the typed client (placeOrder)
 *   settle    the 2N orders settle (both installments credited); settled per busy second, where
 *             busy is the union of their workflow tasks (scheduled → completed), so the waits of
 *             the rules between steps do not count and orders are judged like the empty workflow
 * One order per customer: a customer's second order is settled with the first (docs/settlement.md)
 * and wakes it, a dearer path than the one judged here. Every order of a round is placed at one
 * instant and the rule set makes each wait (review,
 * credit delay, installment period) `waitS` seconds: the orders' steps come due together, in
 * waves, each drained before the next (an order that reaches a step already due runs two steps in
 * one task and is counted as "steps merged": raise the wait).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { TERMINAL_STATES } from '../../contracts/orders';
import { DEFAULT_RULE_SETS } from '../../domain/rulesets';
import { busySeconds, costOf, fetchHistories, type Cost } from './history';
import { drive, driveLine, type DriveResult } from './load';
import { CpuMeter, type CpuUse } from './machine';
import { Progress, fmt, now, secondsSince, sleep, waitFor } from './measure';
import { restSender, typedSender, type BenchOrder } from './population';
import type { Flags } from './cli';
import { TUNING_FLAGS, tuningFrom, tuningLine, type Stack } from './stack';

/** The default rule sets with each wait of an order (review, credit delay, installment period) `seconds` long. */
export function equalWaitsRuleSetFile(seconds: number): string {
  const days = seconds / 86_400;
  const sets = DEFAULT_RULE_SETS.map((rs) => ({ ...rs, reviewPeriodDays: days, creditDelayDays: days, installmentPeriodDays: days }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-bench-rules-')), `rules-wait-${seconds}s.json`);
  fs.writeFileSync(file, JSON.stringify(sets, null, 2));
  return file;
}

export interface RoundFigures {
  emptyStarts: DriveResult;
  /** Empty workflows completed per busy second. */
  emptyCompletions: number;
  rest: DriveResult;
  typed: DriveResult;
  /** Orders settled per busy second, and how long that was. */
  settled: number;
  settleBusyS: number;
  /** Settled orders whose histories are the cost judged (two installments, no merged steps). */
  costs: Cost[];
  /** Orders that ran two steps in one workflow task (a step already due when reached). */
  merged: number;
  notCompleted: Record<string, number>;
  cpu: { empty: CpuUse; rest: CpuUse; typed: CpuUse; settle: CpuUse };
}

export interface RoundOptions {
  prefix: string;
  empties: number;
  concurrency: number;
  /** The 2N customers of this round: the first N get a REST order each, the others a typed one. */
  customers: string[];
  waitS: number;
  paid?: string;
}

/** Starts `n` empty workflows (C in flight) and waits until all completed; answers both rates. */
export async function emptyPhase(stack: Stack, prefix: string, n: number, concurrency: number): Promise<{ starts: DriveResult; completions: number; cpu: CpuUse }> {
  const { client, config } = stack;
  const items = Array.from({ length: n }, (_, i) => ({ id: `${prefix}-empty-${i}` }));
  const c0 = stack.cpu.snapshot();
  const starts = await drive('empty workflows started', items, concurrency, async (w) => {
    await client.workflow.start('benchEmpty', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: w.id, args: [] });
    return { ok: true, status: 'started' };
  }, stack.worker.assert);
  await waitClosed(stack, 'benchEmpty', 600);
  const histories = await fetchHistories(client, starts.acceptedIds, 16);
  const cpu = CpuMeter.use(c0, stack.cpu.snapshot());
  return { starts, completions: histories.length / busySeconds(histories), cpu };
}

/** Polls (cheaply: one visibility count a second) until no execution of `workflowType` runs. */
export async function waitClosed(stack: Stack, workflowType: string, timeoutS: number): Promise<void> {
  await waitFor(`${workflowType} executions closed`, timeoutS, async () => {
    stack.worker.assert();
    return (await stack.client.workflow.count(`WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`)).count === 0;
  }, 1000);
}

/** Polls until every order of `ids` is in a terminal state in Postgres. */
async function waitTerminal(stack: Stack, ids: string[], timeoutS: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutS * 1000;
  const progress = new Progress('orders in a terminal state', ids.length);
  const isTerminal = (st: string) => (TERMINAL_STATES as readonly string[]).includes(st);
  for (;;) {
    stack.worker.assert();
    const rows = await stack.sql<{ state: string; n: number }[]>`
      SELECT state, count(*)::int AS n FROM orders WHERE order_id IN ${stack.sql(ids)} GROUP BY state ORDER BY state`;
    const byState = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    const terminal = rows.filter((r) => isTerminal(r.state)).reduce((a, r) => a + r.n, 0);
    const pending = ids.length - rows.reduce((a, r) => a + r.n, 0);
    progress.update(terminal, [...(pending > 0 ? [`not yet recorded ${pending}`] : []), ...rows.filter((r) => !isTerminal(r.state)).map((r) => `${r.state} ${r.n}`)].join(', '));
    if (terminal >= ids.length) {
      progress.end();
      return byState;
    }
    if (Date.now() > deadline) {
      progress.end();
      throw new Error(`settlement timed out after ${timeoutS} s: ${JSON.stringify(byState)}`);
    }
    await sleep(500);
  }
}

/** Settles the orders of `ids`: busy time from their histories, their cost, merged steps. */
export async function settlePhase(stack: Stack, ids: string[], timeoutS: number, queriesBefore: number) {
  const byState = await waitTerminal(stack, ids, timeoutS);
  const workflowIds = (await stack.sql<{ workflow_id: string }[]>`SELECT workflow_id FROM orders WHERE order_id IN ${stack.sql(ids)}`).map((r) => r.workflow_id);
  const histories = await fetchHistories(stack.client, workflowIds, 16);
  const busyS = busySeconds(histories);
  const queriesPerOrder = (totalQueries(stack) - queriesBefore) / ids.length;
  const two = new Set(
    (await stack.sql<{ workflow_id: string }[]>`
      SELECT workflow_id FROM orders WHERE order_id IN ${stack.sql(ids)} AND state = 'completed' AND jsonb_array_length(installments) = 2`).map((r) => r.workflow_id),
  );
  const settled: Cost[] = [];
  histories.forEach((h: temporal.api.history.v1.IHistory, i) => {
    if (two.has(workflowIds[i]!)) settled.push(costOf(h, queriesPerOrder));
  });
  // Identical orders take the same number of workflow tasks unless a step was due when reached.
  const fullTasks = Math.max(0, ...settled.map((c) => c.workflowTasks));
  const costs = settled.filter((c) => c.workflowTasks === fullTasks);
  const notCompleted = Object.fromEntries(Object.entries(byState).filter(([st]) => st !== 'completed'));
  return { settled: two.size / busyS, busyS, costs, merged: settled.length - costs.length, notCompleted };
}

const totalQueries = (stack: Stack) => [...stack.queries.values()].reduce((a, b) => a + b, 0);

export async function runRound(stack: Stack, o: RoundOptions, say: (line: string) => void = (l) => console.log(l)): Promise<RoundFigures> {
  const t0 = now();
  const empty = await emptyPhase(stack, o.prefix, o.empties, o.concurrency);
  say(`  ${driveLine('empty workflows started', empty.starts)}`);
  say(`  empty workflows completed: ${fmt(empty.completions)}/busy s; ${CpuMeter.line(empty.cpu, { n: o.empties, what: 'empty workflow' })}`);

  const placedAt = new Date(); // the dev server runs in real time: placed now, after the clicks
  const queriesBefore = totalQueries(stack);
  const half = Math.floor(o.customers.length / 2);
  const orders = (kind: 'r' | 't'): BenchOrder[] =>
    (kind === 'r' ? o.customers.slice(0, half) : o.customers.slice(half)).map((customerId, i) => ({ id: `${o.prefix}-${kind}${i}`, customerId }));
  let c0 = stack.cpu.snapshot();
  const rest = await drive('orders accepted (REST)', orders('r'), o.concurrency, restSender(stack, placedAt, o.paid), stack.worker.assert);
  const restCpu = CpuMeter.use(c0, stack.cpu.snapshot());
  say(`  ${driveLine('REST POST /v1/orders accepted', rest)}\n  ${CpuMeter.line(restCpu, { n: rest.acceptedIds.length, what: 'order accepted' })}`);
  c0 = stack.cpu.snapshot();
  const typed = await drive('orders accepted (typed client)', orders('t'), o.concurrency, typedSender(stack, placedAt, o.paid), stack.worker.assert);
  const typedCpu = CpuMeter.use(c0, stack.cpu.snapshot());
  say(`  ${driveLine('typed client placeOrder accepted', typed)}\n  ${CpuMeter.line(typedCpu, { n: typed.acceptedIds.length, what: 'order accepted' })}`);

  c0 = stack.cpu.snapshot();
  const ids = [...rest.acceptedIds, ...typed.acceptedIds];
  const s = await settlePhase(stack, ids, o.waitS * 3 + 600, queriesBefore);
  const settleCpu = CpuMeter.use(c0, stack.cpu.snapshot());
  say(
    `  settled: ${ids.length} orders, busy ${fmt(s.busyS)} s = ${fmt(s.settled)}/busy s; ${s.merged} ran two steps in one task` +
      `${Object.keys(s.notCompleted).length ? `; not completed: ${JSON.stringify(s.notCompleted)}` : ''}\n  ${CpuMeter.line(settleCpu, { n: ids.length, what: 'order settled (whole settle phase, its waits included)' })}`,
  );
  say(`  round took ${fmt(secondsSince(t0))} s`);
  return {
    emptyStarts: empty.starts,
    emptyCompletions: empty.completions,
    rest,
    typed,
    settled: s.settled,
    settleBusyS: s.busyS,
    costs: s.costs,
    merged: s.merged,
    notCompleted: s.notCompleted,
    cpu: { empty: empty.cpu, rest: restCpu, typed: typedCpu, settle: settleCpu },
  };
}

/** The flags of the rounds, shared by bench:orders and bench:scale. */
export const ROUND_FLAGS = { rounds: 'value', orders: 'value', empties: 'value', concurrency: 'value', wait: 'value', 'pg-fast': 'switch', ...TUNING_FLAGS } as const;
export const ROUND_USAGE = '[--rounds R] [--orders N] [--empties E] [--concurrency C] [--wait S] [--pg-fast]';

export function roundSettings(flags: Flags, rounds: number) {
  return {
    rounds: flags.num('rounds', { env: 'BENCH_ROUNDS', min: 1 }, rounds),
    orders: flags.num('orders', { env: 'BENCH_ORDERS', min: 1 }, 300),
    empties: flags.num('empties', { env: 'BENCH_EMPTIES', min: 1 }, 1000),
    concurrency: flags.num('concurrency', { env: 'BENCH_CONCURRENCY', min: 1 }, 48),
    waitS: flags.num('wait', { env: 'BENCH_WAIT', min: 1, fraction: true }, 20),
    pgFast: flags.bool('pg-fast', 'BENCH_FAST'),
    tuning: tuningFrom(flags),
  };
}

export type RoundSettings = ReturnType<typeof roundSettings>;

export const roundSettingsLine = (o: RoundSettings): string =>
  `${o.rounds} rounds of ${o.empties} empty workflows, ${o.orders} REST + ${o.orders} typed-client orders; ${o.concurrency} in flight; ` +
  `each wait ${o.waitS} s; Postgres ${o.pgFast ? 'fsync off' : 'durable'}; worker ${tuningLine(o.tuning)}`;

/** Customers the rounds need: 2N per round. */
export const roundCustomers = (o: RoundSettings): number => 2 * o.rounds * o.orders;

/** R rounds, each with its own 2N customers (customers[2rN, 2(r+1)N)). */
export async function runRounds(stack: Stack, label: string, o: RoundSettings & { paid?: string }, customers: string[], prefix: string): Promise<RoundFigures[]> {
  const out: RoundFigures[] = [];
  for (let r = 0; r < o.rounds; r++) {
    console.log(`\n${label}round ${r + 1} of ${o.rounds}`);
    const mine = customers.slice(2 * r * o.orders, 2 * (r + 1) * o.orders);
    out.push(await runRound(stack, { prefix: `${prefix}-r${r}`, empties: o.empties, concurrency: o.concurrency, customers: mine, waitS: o.waitS, paid: o.paid }));
  }
  return out;
}
