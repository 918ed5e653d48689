/**
 * Order benchmark: `npm run bench:orders [-- flags]`. Self-contained (bench/harness/stack.ts): its
 * own embedded Postgres, in-memory Temporal dev server, worker and API in this process, as
 * `npm start` runs them; everything is stopped at the end, on failure and on Ctrl+C too.
 *
 * In R interleaved rounds on the same server and worker (bench/harness/round.ts), it measures the
 * limits, the empty workflow's start rate and completion rate, and beside them what the orders
 * do: accepted per second over REST and through the typed client (associated customers, the
 * attributed path), and settled per second end to end (both installments credited). Each order
 * figure is a ratio to its limit in the same round; the median over rounds is judged. The orders'
 * histories give the cost: billable actions and history events per settled two-installment order.
 *
 * Goals: REST acceptance ≥ 0.7× the empty start rate; settlement ≥ 0.2× the empty completion
 * rate; ≤ 8 billable actions and ≤ 25 history events per settled order (search attributes on).
 *
 * Flags (or environment): --rounds R (BENCH_ROUNDS, 3), --orders N per path per round
 * (BENCH_ORDERS, 300), --empties E (BENCH_EMPTIES, 1000), --concurrency C (BENCH_CONCURRENCY, 48),
 * --wait S seconds per wait of an order (BENCH_WAIT, 20), --ambassadors A (20), --paid CNY,
 * --pg-fast (fsync off; default durable, as `npm start`), --pg-pool P, --profile, and the worker
 * experiments of bench/harness/stack.ts (default: exactly createWorker). Missed goals print FAIL;
 * the exit code is 1 only when the run itself failed.
 */
import { Flags } from './harness/cli';
import { judgeRounds } from './harness/goals';
import { costMarkdown, costTable, Summary } from './harness/report';
import { machineLine } from './harness/machine';
import { fmt, now, secondsSince } from './harness/measure';
import { associateCustomers, joinAmbassadors } from './harness/population';
import { ROUND_FLAGS, ROUND_USAGE, equalWaitsRuleSetFile, roundCustomers, roundSettings, roundSettingsLine, runRounds } from './harness/round';
import { postgresErrorLines, runMain, type Teardown } from './harness/setup';
import { TUNING_USAGE, startStack } from './harness/stack';

const USAGE = `usage: npm run bench:orders -- ${ROUND_USAGE}
       [--ambassadors A] [--paid CNY] [--pg-pool P] [--profile] ${TUNING_USAGE}`;

async function main(td: Teardown): Promise<number> {
  const flags = new Flags(USAGE, { ...ROUND_FLAGS, ambassadors: 'value', paid: 'value', 'pg-pool': 'value', profile: 'switch' });
  const o = {
    ...roundSettings(flags, 3),
    ambassadors: flags.num('ambassadors', { min: 1 }, 20),
    paid: flags.str('paid', '5000.00'),
    pgPool: flags.num('pg-pool', { min: 1 }),
    profile: flags.bool('profile'),
  };
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const started = now();
  console.log('bench:orders — the empty workflow\'s limits and what orders reach beside them, on the local Temporal dev server');
  console.log(`  ${machineLine()}`);
  console.log(`  settings: ${roundSettingsLine(o)}; orders of ${o.paid} CNY (L1, two installments); Postgres pool ${o.pgPool ?? 'createSql default'}`);

  const stack = await startStack(td, { tag: 'orders', pgFast: o.pgFast, pgPool: o.pgPool, ruleSetFile: equalWaitsRuleSetFile(o.waitS), tuning: o.tuning, profile: o.profile, concurrency: o.concurrency });
  console.log(`  started: Postgres ${stack.pg.url.replace(/\/\/[^@]*@/, '//')}, Temporal ${stack.temporal.address}, API 127.0.0.1:${stack.api.port}`);

  console.log('\nsetup');
  const t0 = now();
  const ambassadors = await joinAmbassadors(stack, `bench-${runId}`, o.ambassadors);
  const customers = Array.from({ length: roundCustomers(o) }, (_, i) => `bench-${runId}-c${i}`);
  await associateCustomers(stack, customers, ambassadors, o.concurrency);
  console.log(`  ${ambassadors.length} ambassadors, ${customers.length} customers associated in ${fmt(secondsSince(t0))} s`);

  const rounds = await runRounds(stack, '', o, customers, `bench-${runId}`);

  const costs = rounds.flatMap((r) => r.costs);
  if (costs.length) {
    console.log(`\ncost: histories of ${costs.length} settled two-installment orders`);
    for (const l of costTable(costs)) console.log(l);
    console.log('\ncost at Temporal Cloud list price (markdown, for docs/performance.md)');
    for (const l of costMarkdown(costs)) console.log(l);
  }
  if (o.profile) {
    console.log('\nprofile (whole run)');
    stack.timings.print();
  }
  const summary = new Summary();
  judgeRounds(summary, rounds);
  if (stack.sdk.slowTasks.count) summary.add({ what: 'workflow tasks longer than 5 s (TMPRL1104)', value: String(stack.sdk.slowTasks.count), note: `the first: ${stack.sdk.slowTasks.first ?? ''}` });
  if (stack.sdk.otherWarnings) summary.add({ what: 'SDK warnings', value: String(stack.sdk.otherWarnings), note: 'the first 5 are printed above' });
  summary.print();
  for (const l of postgresErrorLines(stack.pg.errors)) console.log(`  ${l}`);
  console.log(`  ${machineLine()}\n  total run time ${fmt(secondsSince(started))} s`);
  return 0;
}

if (require.main === module) runMain('bench:orders', main);
