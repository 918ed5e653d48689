/**
 * Self-starvation under bursts: `npx tsx bench/burst.ts [-- --one-queue --wft-slots 2 ...]`.
 * Before the settlement model, an order's first task queried the customer's workflow, which
 * needed a workflow-task slot of its own: a burst of orders could hold every slot waiting for
 * answers. This measures clicks (each a customer workflow's update, answered once projected) on
 * an idle system, then the same clicks during a burst of B orders, and whether every order of the
 * burst settles. By default the customer workflows have their own task queue, as production runs
 * (TEMPORAL_CUSTOMER_TASK_QUEUE); --one-queue puts them on the orders' queue, behind the burst.
 * Goal: click p99 during the burst within 1 s (what a person waits for a link to open).
 */
import { Flags } from './harness/cli';
import { drive, driveLine } from './harness/load';
import { machineLine } from './harness/machine';
import { distribution, fmt, now } from './harness/measure';
import { associateCustomers, joinAmbassadors, restSender, type Ambassador } from './harness/population';
import { equalWaitsRuleSetFile, settlePhase } from './harness/round';
import { Summary } from './harness/report';
import { runMain, type Teardown } from './harness/setup';
import { TUNING_FLAGS, TUNING_USAGE, startStack, tuningFrom, tuningLine, type Stack } from './harness/stack';

const USAGE = `usage: npx tsx bench/burst.ts -- [--orders B] [--clicks K] [--concurrency C] [--wait S] [--one-queue] ${TUNING_USAGE}`;
const CLICK_P99_GOAL_MS = 1000;

/** K new customers click (one at a time, as people do): each click's latency, ms. */
async function clicks(stack: Stack, ambassadors: Ambassador[], prefix: string, k: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < k; i++) {
    const customerId = `${prefix}-${i}`;
    await stack.api.service('PUT', `/v1/customers/${customerId}`, {});
    const t0 = now();
    const res = await stack.api.service('POST', '/v1/clicks', { customerId, usercode: ambassadors[i % ambassadors.length]!.usercode, clickId: `${customerId}-click` });
    if (res.status !== 202) throw new Error(`click ${customerId}: ${res.status} ${JSON.stringify(res.body)}`);
    ms.push(Number(now() - t0) / 1e6);
  }
  return ms;
}

async function main(td: Teardown): Promise<number> {
  const flags = new Flags(USAGE, { orders: 'value', clicks: 'value', concurrency: 'value', wait: 'value', 'one-queue': 'switch', ...TUNING_FLAGS });
  const oneQueue = flags.bool('one-queue');
  const burst = flags.num('orders', { min: 1 }, 400);
  const k = flags.num('clicks', { min: 1 }, 40);
  const concurrency = flags.num('concurrency', { min: 1 }, 48);
  const waitS = flags.num('wait', { min: 1, fraction: true }, 10);
  const tuning = tuningFrom(flags);
  console.log(`bench/burst — ${burst} orders at once beside ${k} clicks; ${oneQueue ? 'one task queue' : 'customer workflows on their own task queue'}; worker ${tuningLine(tuning)}`);
  console.log(`  ${machineLine()}`);
  const stack = await startStack(td, { tag: 'burst', pgFast: false, ruleSetFile: equalWaitsRuleSetFile(waitS), tuning, profile: false, concurrency, oneQueue });
  const runId = Date.now().toString(36);
  const ambassadors = await joinAmbassadors(stack, `burst-${runId}`, 10);
  const customers = Array.from({ length: burst }, (_, i) => `burst-${runId}-c${i}`);
  await associateCustomers(stack, customers, ambassadors, concurrency);

  const idle = await clicks(stack, ambassadors, `burst-${runId}-idle`, k);
  console.log(`  clicks on the idle system: ${distribution(idle)}`);
  const orders = customers.map((customerId, i) => ({ id: `burst-${runId}-o${i}`, customerId }));
  const [accepted, during] = await Promise.all([
    drive('burst orders accepted (REST)', orders, concurrency, restSender(stack, new Date()), stack.worker.assert),
    clicks(stack, ambassadors, `burst-${runId}-busy`, k),
  ]);
  console.log(`  ${driveLine('burst', accepted)}`);
  console.log(`  clicks during the burst: ${distribution(during)}`);
  const settled = await settlePhase(stack, accepted.acceptedIds, 3 * waitS + 600, 0);
  const notCompleted = Object.values(settled.notCompleted).reduce((a, b) => a + b, 0);
  const summary = new Summary();
  const p = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.99 * xs.length) - 1]!;
  summary.add({ what: 'burst orders settled (completed)', value: `${accepted.acceptedIds.length - notCompleted} of ${accepted.acceptedIds.length}`, pass: notCompleted === 0 });
  summary.add({ what: 'click p99: idle → during the burst', value: `${fmt(p(idle))} → ${fmt(p(during))} ms`, goal: `< ${CLICK_P99_GOAL_MS} ms during`, pass: p(during) < CLICK_P99_GOAL_MS, note: oneQueue ? 'one task queue' : 'customer workflows on their own task queue' });
  summary.print();
  console.log(`  ${machineLine()}`);
  return 0;
}

runMain('bench/burst', main);
