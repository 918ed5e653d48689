/**
 * What bounds the empty workflow here, the server or the worker: `npx tsx bench/empty.ts [-- flags]`.
 * On one stack (bench/harness/stack.ts), R interleaved rounds of:
 *   together   E empty workflows started (C in flight) while the worker completes them, as in
 *              bench:orders: the start rate and completions per busy second
 *   server     E started with the worker stopped: the server alone takes starts
 *   worker     the worker started again drains those E: completions per second with no start
 *              competing (from the worker's start to the last workflow task completed)
 * Each with the cores used by the Temporal server and by this process (worker, client). The
 * worker experiments of bench:orders apply (--wft-slots, --wft-pollers, --cache, ...).
 */
import path from 'node:path';
import { Flags } from './harness/cli';
import { fetchHistories } from './harness/history';
import { drive } from './harness/load';
import { CpuMeter, loaded, machineLine, type CpuUse } from './harness/machine';
import { fmt, interleaved, median } from './harness/measure';
import { emptyPhase, waitClosed } from './harness/round';
import { medianOf, Summary } from './harness/report';
import { runMain, type Teardown } from './harness/setup';
import { TUNING_FLAGS, TUNING_USAGE, startStack, tuningFrom, tuningLine, type Stack } from './harness/stack';

const USAGE = `usage: npx tsx bench/empty.ts -- [--rounds R] [--empties E] [--concurrency C] [--bundle production|empty] ${TUNING_USAGE}`;

interface Measured {
  rate: number;
  cpu: CpuUse;
}

/** The server alone takes E starts (worker stopped); then the worker alone drains them. */
async function apart(stack: Stack, prefix: string, n: number, concurrency: number): Promise<{ server: Measured; worker: Measured }> {
  if (!(await stack.worker.stop(60_000))) throw new Error('the worker did not stop within 60 s');
  const items = Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}` }));
  let c0 = stack.cpu.snapshot();
  const starts = await drive('empty workflows started (worker stopped)', items, concurrency, async (w) => {
    await stack.client.workflow.start('benchEmpty', { taskQueue: stack.config.TEMPORAL_TASK_QUEUE, workflowId: w.id, args: [] });
    return { ok: true, status: 'started' };
  });
  const server = { rate: starts.perSecond, cpu: CpuMeter.use(c0, stack.cpu.snapshot()) };
  c0 = stack.cpu.snapshot();
  const t0 = Date.now();
  await stack.worker.restart();
  await waitClosed(stack, 'benchEmpty', 600);
  const histories = await fetchHistories(stack.client, starts.acceptedIds, 16);
  const cpu = CpuMeter.use(c0, stack.cpu.snapshot());
  const lastMs = Math.max(...histories.map((h) => {
    const e = h.events?.[h.events.length - 1];
    return Number(e?.eventTime?.seconds ?? 0) * 1000 + Math.floor((e?.eventTime?.nanos ?? 0) / 1e6);
  }));
  return { server, worker: { rate: histories.length / ((lastMs - t0) / 1000), cpu } };
}

async function main(td: Teardown): Promise<number> {
  const flags = new Flags(USAGE, { rounds: 'value', empties: 'value', concurrency: 'value', bundle: 'value', ...TUNING_FLAGS });
  // --bundle empty: a bundle of the empty workflow alone, to see what the production bundle costs each workflow.
  const bundle = flags.choice('bundle', ['production', 'empty'] as const) ?? 'production';
  const rounds = flags.num('rounds', { min: 1 }, 3);
  const empties = flags.num('empties', { min: 1 }, 1000);
  const concurrency = flags.num('concurrency', { min: 1 }, 48);
  const tuning = tuningFrom(flags);
  console.log(`bench/empty — what bounds the empty workflow: ${rounds} rounds of ${empties}, ${concurrency} in flight; ${bundle} bundle; worker ${tuningLine(tuning)}`);
  console.log(`  ${machineLine()}`);
  const workflowsPath = bundle === 'empty' ? path.join(__dirname, 'harness', 'empty-workflow.ts') : undefined;
  const stack = await startStack(td, { tag: 'empty', pgFast: true, tuning, profile: false, concurrency, workflowsPath });
  await emptyPhase(stack, 'warm-up', 200, concurrency); // unmeasured: JIT, connections, the first pages

  const runs = await interleaved(['together', 'apart'] as const, rounds, async (c, r) => {
    console.log(`\nround ${r + 1}: ${c}`);
    if (c === 'together') {
      const e = await emptyPhase(stack, `together-${r}`, empties, concurrency);
      console.log(`  starts ${fmt(e.starts.perSecond)}/s, completions ${fmt(e.completions)}/busy s; ${CpuMeter.line(e.cpu)}`);
      return { starts: e.starts.perSecond, completions: e.completions, cpu: e.cpu, serverCpu: e.cpu };
    }
    const a = await apart(stack, `apart-${r}`, empties, concurrency);
    console.log(`  server alone: starts ${fmt(a.server.rate)}/s; ${CpuMeter.line(a.server.cpu)}`);
    console.log(`  worker alone: completions ${fmt(a.worker.rate)}/s; ${CpuMeter.line(a.worker.cpu)}`);
    return { starts: a.server.rate, completions: a.worker.rate, cpu: a.worker.cpu, serverCpu: a.server.cpu };
  });
  const [together, apartRuns] = runs as [(typeof runs)[0], (typeof runs)[0]];
  // Cores used and CPU milliseconds per workflow: the second is what the neighbours move least.
  const cores = (xs: CpuUse[], f: (u: CpuUse) => number) => `${fmt(median(xs.map(f)), 2)} cores, ${fmt(median(xs.map((u) => (f(u) * u.seconds * 1000) / empties)))} ms CPU per workflow`;
  const note = (xs: CpuUse[]) => (xs.some(loaded) ? 'LOADED' : undefined);
  const summary = new Summary();
  summary.add({ what: 'together: starts/s', value: medianOf(together.map((x) => x.starts)), note: note(together.map((x) => x.cpu)) });
  summary.add({ what: 'together: completions/busy s', value: medianOf(together.map((x) => x.completions)) });
  const both = (xs: CpuUse[]) => [
    { what: '  temporal server', value: cores(xs, (u) => u.temporal) },
    { what: '  bench process (worker, client)', value: cores(xs, (u) => u.self) },
  ];
  for (const l of both(together.map((x) => x.cpu))) summary.add(l);
  summary.add({ what: 'server alone: starts/s', value: medianOf(apartRuns.map((x) => x.starts)), note: note(apartRuns.map((x) => x.serverCpu)) });
  for (const l of both(apartRuns.map((x) => x.serverCpu))) summary.add(l);
  summary.add({ what: 'worker alone: completions/s', value: medianOf(apartRuns.map((x) => x.completions)), note: note(apartRuns.map((x) => x.cpu)) });
  for (const l of both(apartRuns.map((x) => x.cpu))) summary.add(l);
  summary.print();
  return 0;
}

runMain('bench/empty', main);
