/**
 * Ledger benchmark: `npm run bench:ledger`. Starts its own embedded Postgres in a temporary
 * folder (default durability: fsync and synchronous_commit on, as in production), migrates it, and
 * measures, on the same database in the same run:
 *   baseline      a plain single-row INSERT per transaction (autocommit: one statement, one row)
 *   single        one idempotent reward credit per transaction: postEntry (ledger/index.ts), one
 *                 INSERT of the entry row with its postings (account ids cached per pool)
 *   replayed      postEntry with a key posted before (answers the first entry, writes nothing;
 *                 the INSERT that skips, then a SELECT)
 *   batched       BATCH credits per transaction (postEntries, ledger_post_entries)
 * with CONCURRENCY connections of one pool, each crediting its own ambassadors (pending →
 * available, no hot system row). The measurements are interleaved over ROUNDS rounds and the
 * median is reported, so a noisy neighbour hurts the baseline and the credits alike. Goal: single
 * credits ≥ 0.5 × baseline. Also printed (Linux): CPU time per operation of the Postgres server
 * (postmaster and all its processes) and of this client process; on a busy shared machine these
 * move less than the rates do. About 40 s. BENCH_SECONDS, BENCH_ROUNDS, BENCH_WARMUP_SECONDS,
 * BENCH_CONCURRENCY, BENCH_BATCH and BENCH_FAST=1 (fsync off) tune it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { ambassador, ledgerInconsistencies, postEntries, postEntry, type EntryInput } from '../ledger';
import { freePort } from '../test/harness/ports';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 0.5);
const GOAL = 0.5;

let keySeq = 0;
const AMBASSADORS_PER_WORKER = 50;

function credit(ambassadorId: string, run: string): EntryInput {
  const n = ++keySeq;
  return {
    idempotencyKey: `bench:${run}:${n}`,
    kind: 'reward.credited',
    ambassadorId,
    orderId: `bench-order-${n}`,
    installment: 1,
    postings: [
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: -100 },
      { account: ambassador(ambassadorId, 'available'), amountYunqi: 100 },
    ],
  };
}

/** CPU seconds used so far by the postmaster `pid` and its child processes (Linux /proc; else NaN). */
function serverCpuSeconds(pid: number): number {
  try {
    const ticks = 100; // USER_HZ
    let total = 0;
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      } catch {
        continue; // gone
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(d) === pid || Number(f[1]) === pid) total += Number(f[11]) + Number(f[12]);
    }
    return total / ticks;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine has been busy (Linux /proc/stat; else NaN). Interrupt time is
 * left out: much of it is this bench's own loopback traffic, charged to no process. */
function machineBusySeconds(): number {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return (f[0]! + f[1]! + f[2]! + f[7]!) / 100;
  } catch {
    return NaN;
  }
}

interface Measured {
  rate: number;
  secs: number;
  /** CPU seconds other processes of the machine used meanwhile (neither this client nor Postgres). */
  othersCpu: number;
  /** CPU microseconds per operation (not per unit). */
  serverUs: number;
  clientUs: number;
}

/** Runs `op` on CONCURRENCY workers for SECONDS; answers operations (× unitsPerOp) per second. */
async function measure(unitsPerOp: number, pgPid: number, op: (worker: number, i: number) => Promise<unknown>, seconds = SECONDS): Promise<Measured> {
  // Warm up (plans, account rows, connections).
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => op(w, 0)));
  let done = 0;
  const server0 = serverCpuSeconds(pgPid);
  const client0 = process.cpuUsage();
  const busy0 = machineBusySeconds();
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 1; Date.now() < deadline; i++) {
        await op(w, i);
        done++;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const client = process.cpuUsage(client0);
  const server = serverCpuSeconds(pgPid) - server0;
  const clientSecs = (client.user + client.system) / 1e6;
  return {
    rate: (done * unitsPerOp) / secs,
    secs,
    othersCpu: machineBusySeconds() - busy0 - server - clientSecs,
    serverUs: (server * 1e6) / done,
    clientUs: (clientSecs * 1e6) / done,
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const fast = process.env.BENCH_FAST === '1';
  const dataDir = path.join(dir, 'pgdata');
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), unsafeFast: fast });
  const pgPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const sql: Sql = createSql(pg.url('postgres'), { max: CONCURRENCY });
  try {
    await migrate(sql);
    const ambs: string[][] = [];
    for (let w = 0; w < CONCURRENCY; w++) {
      ambs.push([]);
      for (let k = 0; k < AMBASSADORS_PER_WORKER; k++) {
        const id = `bench-${w}-${k}`;
        ambs[w]!.push(id);
        await sql`
          INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
          VALUES (${id}, ${id}, ${id}, 'individual', ${id}, true, ${`hash-${id}`}, now(), 'bench')`;
      }
    }
    await sql`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, k text NOT NULL, amount_yunqi bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())`;
    const pick = (w: number, i: number) => ambs[w]![i % AMBASSADORS_PER_WORKER]!;

    console.log(
      `ledger bench: Postgres ${(await sql<{ server_version: string }[]>`SHOW server_version`)[0]!.server_version}, ${CONCURRENCY} connections, ${ROUNDS} rounds × ${SECONDS} s each, median, ` +
        `${fast ? 'fsync OFF (BENCH_FAST)' : 'fsync on'}, ${os.cpus().length} CPUs`,
    );
    const cases: { name: string; units: number; op: (w: number, i: number) => Promise<unknown> }[] = [
      { name: 'baseline: single-row INSERT', units: 1, op: (w, i) => sql`INSERT INTO bench_baseline (k, amount_yunqi) VALUES (${`b${w}:${i}`}, 100)` },
      { name: 'credit: single (postEntry)', units: 1, op: (w, i) => postEntry(sql, credit(pick(w, i), 'single')) },
      { name: 'credit: replayed key (no-op)', units: 1, op: (w) => postEntry(sql, { ...credit(pick(w, 0), 'single'), idempotencyKey: `bench:replay:${w}` }) },
      {
        name: `credits: batched ×${BATCH} per transaction`,
        units: BATCH,
        op: (w, i) => postEntries(sql, Array.from({ length: BATCH }, (_, j) => credit(pick(w, i * BATCH + j), 'batch'))),
      },
    ];
    // One unmeasured pass of every case first (WARMUP_SECONDS each): caches, plans, the first
    // pages and index splits of the new tables. Without it the first round reads low.
    for (const c of cases) await measure(c.units, pgPid, c.op, WARMUP_SECONDS);
    const runs: Measured[][] = cases.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, c] of cases.entries()) runs[k]!.push(await measure(c.units, pgPid, c.op));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rates = runs.map((xs) => xs.map((m) => m.rate));
    const [baseline, single, replay, batched] = rates.map(median) as [number, number, number, number];
    const cpu = runs.map((xs) => ({ server: median(xs.map((m) => m.serverUs)), client: median(xs.map((m) => m.clientUs)) }));
    const us = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '?');
    for (const [k, c] of cases.entries()) {
      const all = rates[k]!.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
      const perOp = c.units === 1 ? 'op' : `${c.units}`;
      console.log(
        `  ${c.name.padEnd(38)} ${Math.round(median(rates[k]!)).toLocaleString('en-US').padStart(8)} /s   (rounds: ${all})` +
          `   CPU µs/${perOp}: server ${us(cpu[k]!.server)}, client ${us(cpu[k]!.client)}`,
      );
    }
    const bad = await ledgerInconsistencies(sql);
    const ratio = (x: number) => (x / baseline).toFixed(2);
    console.log('');
    console.log(`  ratio to baseline: single ${ratio(single)}×, replayed ${ratio(replay)}×, batched ${ratio(batched)}×`);
    const cpuTotal = (k: number) => cpu[k]!.server + cpu[k]!.client;
    if (Number.isFinite(cpuTotal(0)) && Number.isFinite(cpuTotal(1))) {
      console.log(`  CPU per operation (server + client), baseline ÷ single credit: ${(cpuTotal(0) / cpuTotal(1)).toFixed(2)}× (what the rate ratio tends to when the CPUs are the bottleneck)`);
    }
    // A busy machine (other processes running) slows the cheap baseline more than the credits and
    // flatters the ratio: say so rather than report a verdict the neighbours made.
    const all = runs.flat();
    const others = all.reduce((a, m) => a + m.othersCpu, 0) / all.reduce((a, m) => a + m.secs, 0);
    const busy = Number.isFinite(others) && others > 0.25;
    if (Number.isFinite(others)) console.log(`  other processes on the machine used ${others.toFixed(2)} of ${os.cpus().length} CPUs meanwhile`);
    console.log(
      `  goal single credits ≥ ${GOAL} × baseline: ${single / baseline >= GOAL ? 'met' : 'NOT met'} (${ratio(single)}×)` +
        (busy ? ' — UNRELIABLE: the machine was busy; rerun when it is idle, or compare the CPU per operation above' : ''),
    );
    console.log(`  ledger_inconsistencies(): ${bad.length === 0 ? 'none' : JSON.stringify(bad)}`);
    if (bad.length) process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
