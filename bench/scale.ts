/**
 * Scale benchmark: `npm run bench:scale [-- flags]`, how cost grows with the data, on one stack
 * (bench/harness/stack.ts), in this order:
 *   empty     R rounds of bench:orders' measurement (bench/harness/round.ts) on the empty database
 *   grow      the database grows to C customers with an association each and C×P settled orders
 *             (100,000 and 200,000 by default), plus withdrawals, in bulk through the repository
 *             and ledger code (bench/harness/seed.ts): Postgres bytes per order
 *   grown     the same R rounds on the grown database: every figure within 20% of the empty one's
 *   reads     p99 of the ambassador and ops read endpoints at that size (< 50 ms)
 *   run       N orders through Temporal in a closed loop (bench/harness/run.ts): settled per
 *             second in each tenth (the last within 20% of the first), and the worker's resident
 *             memory per cached workflow
 * Progress lines throughout. Flags: --customers C (100000), --orders-per-customer P (2),
 * --seed-ambassadors (1000), --withdrawals W per ambassador (10), --batch B customers per
 * transaction (100), --seed-concurrency (4), --rounds R (2), --orders N per path per round (300),
 * --empties E (1000), --wait S (20), --concurrency C (48), --run-orders N (20000), --lanes K
 * (default 1.5 × the rounds' settled/s × an order's waits), --reads N per endpoint (200), --pg-fast, and the worker experiments of bench:orders.
 */
import { Flags } from './harness/cli';
import { judgeRounds } from './harness/goals';
import { machineLine } from './harness/machine';
import { fmt, median, now, secondsSince } from './harness/measure';
import { associateCustomers, joinAmbassadors, type BenchOrder } from './harness/population';
import { readLatencies } from './harness/reads';
import { medianOf, stat, Summary } from './harness/report';
import { ROUND_FLAGS, ROUND_USAGE, equalWaitsRuleSetFile, roundCustomers, roundSettings, roundSettingsLine, runRounds, type RoundFigures } from './harness/round';
import { closedLoop } from './harness/run';
import { growDatabase } from './harness/seed';
import { postgresErrorLines, runMain, type Teardown } from './harness/setup';
import { TUNING_USAGE, startStack } from './harness/stack';

const GOALS = { withinOfEmpty: 0.2, lastTenthOfFirst: 0.2, readP99Ms: 50 };

const USAGE = `usage: npm run bench:scale -- [--customers C] [--orders-per-customer P] [--seed-ambassadors A] [--withdrawals W]
       [--batch B] [--seed-concurrency S] [--run-orders N] [--lanes K] [--reads N] ${ROUND_USAGE} ${TUNING_USAGE}`;

/** One "grown ÷ empty" line per figure of the rounds; rates must not fall, costs not rise, by more than 20%. */
function compare(summary: Summary, empty: RoundFigures[], grown: RoundFigures[]): void {
  const within = 1 - GOALS.withinOfEmpty;
  const rate = (what: string, f: (r: RoundFigures) => number) => {
    const [e, g] = [median(empty.map(f)), median(grown.map(f))];
    summary.add({ what: `grown ÷ empty: ${what}`, value: `${fmt(g / e, 2)}× (${fmt(e)} → ${fmt(g)})`, goal: `≥ ${within}×`, pass: g / e >= within });
  };
  rate('empty workflow starts/s', (r) => r.emptyStarts.perSecond);
  rate('empty workflow completions/busy s', (r) => r.emptyCompletions);
  rate('orders accepted/s, REST', (r) => r.rest.perSecond);
  rate('orders accepted/s, typed client', (r) => r.typed.perSecond);
  rate('orders settled/busy s', (r) => r.settled);
  const cost = (what: string, k: 'actions' | 'events') => {
    const [e, g] = [empty, grown].map((rs) => stat(rs.flatMap((r) => r.costs), k).max);
    summary.add({ what: `grown ÷ empty: ${what}`, value: `${fmt(g! / e!, 2)}× (${e} → ${g})`, goal: `≤ ${1 + GOALS.withinOfEmpty}×`, pass: g! / e! <= 1 + GOALS.withinOfEmpty });
  };
  cost('billable actions per settled order', 'actions');
  cost('history events per settled order', 'events');
}

async function main(td: Teardown): Promise<number> {
  const flags = new Flags(USAGE, {
    ...ROUND_FLAGS,
    ...{ customers: 'value', 'orders-per-customer': 'value', 'seed-ambassadors': 'value', withdrawals: 'value', batch: 'value', 'seed-concurrency': 'value' },
    ...{ 'run-orders': 'value', lanes: 'value', reads: 'value' },
  });
  const o = {
    ...roundSettings(flags, 2),
    customers: flags.num('customers', { min: 1 }, 100_000),
    ordersPerCustomer: flags.num('orders-per-customer', { min: 1 }, 2),
    seedAmbassadors: flags.num('seed-ambassadors', { min: 1 }, 1000),
    withdrawals: flags.num('withdrawals', { min: 0 }, 10),
    batch: flags.num('batch', { min: 1 }, 100),
    seedConcurrency: flags.num('seed-concurrency', { min: 1 }, 4),
    runOrders: flags.num('run-orders', { min: 0 }, 20_000),
    lanes: flags.num('lanes', { min: 1 }),
    reads: flags.num('reads', { min: 1 }, 200),
  };
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const started = now();
  console.log('bench:scale — how the figures of bench:orders move as the data grows');
  console.log(`  ${machineLine()}`);
  console.log(`  settings: grow to ${o.customers} customers × ${o.ordersPerCustomer} orders (${o.seedAmbassadors} ambassadors, ${o.withdrawals} withdrawals each)`);
  console.log(`  before and after: ${roundSettingsLine(o)}; then a closed-loop run of ${o.runOrders} orders`);
  const stack = await startStack(td, { tag: 'scale', pgFast: o.pgFast, ruleSetFile: equalWaitsRuleSetFile(o.waitS), tuning: o.tuning, profile: false, concurrency: o.concurrency });
  const prefix = `bench-${runId}`;

  console.log('\nsetup');
  const roundAmbassadors = await joinAmbassadors(stack, `${prefix}-round`, 20);
  const customers = Array.from({ length: 2 * roundCustomers(o) }, (_, i) => `${prefix}-rc${i}`);
  await associateCustomers(stack, customers, roundAmbassadors, o.concurrency);
  const emptyRounds = await runRounds(stack, 'empty database: ', o, customers.slice(0, roundCustomers(o)), `${prefix}-e`);

  console.log(`\ngrow: ${o.customers} customers, ${o.customers * o.ordersPerCustomer} settled orders, ${o.seedAmbassadors * o.withdrawals} withdrawals`);
  const seeded = await joinAmbassadors(stack, `${prefix}-seed`, o.seedAmbassadors);
  const grown = await growDatabase(stack.sql, {
    ...{ prefix: `${prefix}-s`, customers: o.customers, ordersPerCustomer: o.ordersPerCustomer, withdrawalsPerAmbassador: o.withdrawals },
    ...{ ambassadors: seeded, batch: o.batch, concurrency: o.seedConcurrency, identitySecret: stack.config.IDENTITY_HMAC_SECRET },
  });
  const bytesPerOrder = (grown.bytesAfter - grown.bytesBefore) / grown.orders;
  console.log(`  grown in ${fmt(grown.seconds)} s (${fmt(grown.orders / grown.seconds)} orders/s); database ${fmt(grown.bytesBefore / 2 ** 20)} → ${fmt(grown.bytesAfter / 2 ** 20)} MiB = ${fmt(bytesPerOrder, 0)} bytes per order (with its customer's share)`);
  for (const r of await stack.sql<{ relname: string; bytes: number }[]>`
    SELECT relname, pg_total_relation_size(oid)::bigint AS bytes FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC LIMIT 8`) {
    console.log(`    ${r.relname.padEnd(22)} ${fmt(r.bytes / 2 ** 20).padStart(8)} MiB  ${fmt(r.bytes / grown.orders, 0).padStart(6)} bytes per order`);
  }

  const grownRounds = await runRounds(stack, 'grown database: ', o, customers.slice(roundCustomers(o)), `${prefix}-g`);

  console.log(`\nreads: ${o.reads} calls per endpoint at ${o.customers} customers, ${grown.orders} orders`);
  const sample = (n: number, f: (i: number) => string) => Array.from({ length: n }, () => f(Math.floor(Math.random() * o.customers)));
  const reads = await readLatencies(stack.api.service, {
    ambassadorTokens: seeded.map((a) => a.token),
    orderIds: sample(500, (c) => `${prefix}-s-c${c}-o0`),
    customerIds: sample(500, (c) => `${prefix}-s-c${c}`),
    opsToken: stack.config.OPS_TOKEN,
  }, o.reads);
  for (const r of reads) console.log(`  ${r.endpoint.padEnd(42)} ${r.line}${r.errors ? `  (${r.errors} not 200)` : ''}`);

  let run: Awaited<ReturnType<typeof closedLoop>> | null = null;
  if (o.runOrders > 0) {
    console.log(`\nrun: ${o.runOrders} orders through Temporal in a closed loop`);
    const runCustomers = Array.from({ length: Math.ceil(o.runOrders / 2) }, (_, i) => `${prefix}-lc${i}`);
    await associateCustomers(stack, runCustomers, roundAmbassadors, o.concurrency, 1800);
    const orders: BenchOrder[] = Array.from({ length: o.runOrders }, (_, j) => ({ id: `${prefix}-l${j}`, customerId: runCustomers[j % runCustomers.length]! }));
    const t0 = now();
    // Enough lanes that the system, not the loop, sets the pace: 1.5× what the rounds settled per
    // second times the length of an order's waits (more would queue steps past their due time).
    const lanes = o.lanes ?? Math.ceil(1.5 * median(grownRounds.map((r) => r.settled)) * 3 * o.waitS);
    console.log(`  ${lanes} lanes${o.lanes ? '' : ' (1.5 × settled/s of the rounds × the waits of an order)'}`);
    run = await closedLoop(stack, { orders, lanes, orderSpanS: 3 * o.waitS, timeoutS: 6 * 3600 });
    console.log(`  ${run.settled} settled in ${fmt(secondsSince(t0))} s (${run.refused} refused); per tenth: ${run.tenths.map((x) => fmt(x)).join(' / ')} orders/s`);
    console.log(`  worker memory: ${fmt(run.bytesPerCachedWorkflow / 1024)} KiB resident per cached workflow (${run.cachedMax} cached, against the empty cache)`);
  }

  const summary = new Summary();
  judgeRounds(summary, grownRounds, 'grown: ');
  compare(summary, emptyRounds, grownRounds);
  summary.add({ what: 'Postgres bytes per order', value: `${fmt(bytesPerOrder, 0)} (at ${grown.orders} orders, ${grown.customers} customers)` });
  for (const r of reads) summary.add({ what: `p99 ${r.endpoint}`, value: `${fmt(r.p99)} ms`, goal: `< ${GOALS.readP99Ms} ms`, pass: r.p99 < GOALS.readP99Ms && r.errors === 0 });
  if (run && run.tenths.length >= 2) {
    const [first, last] = [run.tenths[0]!, run.tenths[run.tenths.length - 1]!];
    summary.add({ what: 'run: settled/s, first and last tenth', value: `${fmt(first)} → ${fmt(last)} (${medianOf(run.tenths)})`, goal: `last ≥ ${1 - GOALS.lastTenthOfFirst}× first`, pass: last >= (1 - GOALS.lastTenthOfFirst) * first });
    summary.add({ what: 'run: worker memory per cached workflow', value: `${fmt(run.bytesPerCachedWorkflow / 1024)} KiB` });
  }
  summary.print();
  for (const l of postgresErrorLines(stack.pg.errors)) console.log(`  ${l}`);
  console.log(`  ${machineLine()}\n  total run time ${fmt(secondsSince(started))} s`);
  return 0;
}

runMain('bench:scale', main);
