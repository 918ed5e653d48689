/**
 * Ledger benchmark: `npm run bench:ledger`. Starts its own embedded Postgres in a temporary
 * folder (default durability: fsync and synchronous_commit on, as in production), migrates it, and
 * measures, on the same database in the same run, at each number of connections (8 and 32):
 *   baseline      a plain single-row INSERT per transaction (autocommit: one statement, one row)
 *   single        one idempotent reward credit per transaction: postEntry (ledger/index.ts), one
 *                 INSERT of the entry row with its postings (account ids cached per pool)
 *   replayed      postEntry with a key posted before (answers the first entry, writes nothing)
 *   batched       BATCH credits per transaction (postEntries, ledger_post_entries)
 *   grant         one reward grant per transaction: rewards_expense → an ambassador's pending,
 *                 every connection granting to its own ambassadors, so the only row they could
 *                 share is the system account's (spread over shards: no hot row)
 * Credits move pending → available of the connection's own ambassadors (no shared row). The cases
 * are interleaved over ROUNDS rounds and the median is reported, so a noisy neighbour hurts the
 * baseline and the ledger alike. Goals: single credits ≥ 0.5× baseline (8 connections); grants ≥
 * 0.5× baseline at each number of connections, and grants scale with connections as the baseline
 * does (grants' 32/8 ratio ≥ 0.8× the baseline's). Also printed (Linux): CPU time per operation of
 * the Postgres server and of this client, and what other processes used meanwhile. About 90 s.
 *   sustained     single credits with the journal fold beside them, as the delivery round runs it
 *                 in production (a fold, then 50 ms for the round's fan-out and deliveries): it
 *                 adds the entries to the balance rows and writes their outbox events (062, 063),
 *                 and the window ends when every entry the case wrote is folded, so the fold's
 *                 work is counted in the rate (printed, not a goal: the goals are the posting's,
 *                 as they were measured before the fold existed)
 * BENCH_SECONDS, BENCH_ROUNDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS (8,32), BENCH_BATCH and
 * BENCH_FAST=1 (fsync off) tune it.
 */
import os from 'node:os';
import { createSql, type Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { foldJournal } from '../db/repositories/journal-fold';
import { FOLD_BATCH } from '../services/outbox';
import { ambassador, ledgerEntryProblems, ledgerInconsistencies, postEntries, postEntry, system, type EntryInput } from '../ledger';
import { CpuMeter, loaded, machineLine, type CpuUse } from './harness/machine';
import { fmt, interleaved, median, sleep } from './harness/measure';
import { Summary } from './harness/report';
import { runMain, startPostgres, type Teardown } from './harness/setup';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '8,32').split(',').map(Number);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 0.5);
const GOALS = { single: 0.5, grant: 0.5, grantScaling: 0.8 };
const AMBASSADORS_PER_WORKER = 50;

let keySeq = 0;

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

function grant(ambassadorId: string): EntryInput {
  const n = ++keySeq;
  return {
    idempotencyKey: `bench:grant:${n}`,
    kind: 'reward.granted',
    ambassadorId,
    orderId: `bench-order-${n}`,
    postings: [
      { account: system('rewards_expense'), amountYunqi: -100 },
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: 100 },
    ],
  };
}

interface Measured {
  rate: number;
  cpu: CpuUse;
  ops: number;
}

interface Case {
  name: string;
  units: number;
  op: (w: number, i: number) => Promise<unknown>;
  /** Folds the journal (one batch; answers how many entries): run beside the case and to its end. */
  fold?: () => Promise<number>;
}

/** Folds until nothing is left (or `until` says stop, when the fold has caught up). */
async function folding(fold: () => Promise<number>, until: () => boolean): Promise<void> {
  for (;;) {
    if ((await fold()) === FOLD_BATCH) continue;
    if (until()) return;
    await sleep(50);
  }
}

/** Runs `c.op` on `workers` connections for `seconds`, and the case's fold beside it until every
 * entry is folded; answers units per second over that whole window, and the CPU used. */
async function measure(meter: CpuMeter, workers: number, c: Case, seconds = SECONDS): Promise<Measured> {
  await Promise.all(Array.from({ length: workers }, (_, w) => c.op(w, 0))); // plans, connections
  if (c.fold) await folding(c.fold, () => true);
  let ops = 0;
  let writing = true;
  const c0 = meter.snapshot();
  const deadline = Date.now() + seconds * 1000;
  const folded = c.fold ? folding(c.fold, () => !writing) : Promise.resolve();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 1; Date.now() < deadline; i++) {
        await c.op(w, i);
        ops++;
      }
    }),
  );
  writing = false;
  await folded;
  const cpu = CpuMeter.use(c0, meter.snapshot());
  return { rate: (ops * c.units) / cpu.seconds, cpu, ops };
}

async function createAmbassadors(sql: Sql, workers: number): Promise<string[][]> {
  const ids = Array.from({ length: workers }, (_, w) => Array.from({ length: AMBASSADORS_PER_WORKER }, (_, k) => `bench-${w}-${k}`));
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    SELECT id, id, id, 'individual', id, true, 'hash-' || id, now(), 'bench' FROM unnest(${sql.array(ids.flat()) as never}::text[]) AS id`;
  return ids;
}

/** The cases at one number of connections, measured interleaved; answers each case's median rate. */
async function level(url: string, meter: CpuMeter, workers: number, ambs: string[][]): Promise<{ cases: Case[]; runs: Measured[][] }> {
  const sql = createSql(url, { max: workers });
  const folder = createSql(url, { max: 1 });
  const fold = () => foldJournal(folder, FOLD_BATCH);
  try {
    const pick = (w: number, i: number) => ambs[w]![i % AMBASSADORS_PER_WORKER]!;
    const cases: Case[] = [
      { name: 'baseline: single-row INSERT', units: 1, op: (w, i) => sql`INSERT INTO bench_baseline (k, amount_yunqi) VALUES (${`b${w}:${i}`}, 100)` },
      { name: 'credit: single (postEntry)', units: 1, op: (w, i) => postEntry(sql, credit(pick(w, i), 'single')) },
      { name: 'credit: replayed key (no-op)', units: 1, op: (w) => postEntry(sql, { ...credit(pick(w, 0), 'single'), idempotencyKey: `bench:replay:${w}` }) },
      { name: `credits: batched ×${BATCH} per transaction`, units: BATCH, op: (w, i) => postEntries(sql, Array.from({ length: BATCH }, (_, j) => credit(pick(w, i * BATCH + j), 'batch'))) },
      { name: 'grant: rewards_expense → pending', units: 1, op: (w, i) => postEntry(sql, grant(pick(w, i))) },
      { name: 'sustained: single, with the fold', units: 1, op: (w, i) => postEntry(sql, credit(pick(w, i), 'sustained')), fold },
    ];
    // One unmeasured pass of every case first: caches, plans, the first pages and index splits.
    for (const c of cases) await measure(meter, workers, c, WARMUP_SECONDS);
    return { cases, runs: await interleaved(cases, ROUNDS, (c) => measure(meter, workers, c)) };
  } finally {
    await sql.end({ timeout: 5 });
    await folder.end({ timeout: 5 });
  }
}

async function main(td: Teardown): Promise<number> {
  const fast = process.env.BENCH_FAST === '1';
  const pg = await startPostgres(td, { fast, tag: 'ledger' });
  const meter = new CpuMeter({ postmaster: pg.pid });
  const sql = createSql(pg.url, { max: 2 });
  td.add('postgres pool', () => sql.end({ timeout: 5 }));
  await migrate(sql);
  const ambs = await createAmbassadors(sql, Math.max(...CONNECTIONS));
  await sql`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, k text NOT NULL, amount_yunqi bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())`;
  const version = (await sql<{ server_version: string }[]>`SHOW server_version`)[0]!.server_version;
  console.log(`bench:ledger — Postgres ${version}, ${fast ? 'fsync OFF (BENCH_FAST)' : 'fsync on'}, ${ROUNDS} rounds × ${SECONDS} s per case, median; connections ${CONNECTIONS.join(', ')}`);
  console.log(`  ${machineLine()}`);

  const summary = new Summary();
  const grantRates = new Map<number, { grant: number; baseline: number }>();
  for (const workers of CONNECTIONS) {
    console.log(`\n${workers} connections`);
    const { cases, runs } = await level(pg.url, meter, workers, ambs);
    const rate = (k: number) => median(runs[k]!.map((m) => m.rate));
    const us = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '?');
    for (const [k, c] of cases.entries()) {
      const perOp = (f: (u: CpuUse) => number) => median(runs[k]!.map((m) => (f(m.cpu) * m.cpu.seconds * 1e6) / m.ops));
      console.log(
        `  ${c.name.padEnd(38)} ${Math.round(rate(k)).toLocaleString('en-US').padStart(8)} /s   (rounds: ${runs[k]!.map((m) => Math.round(m.rate).toLocaleString('en-US')).join(' / ')})` +
          `   CPU µs/${c.units === 1 ? 'op' : c.units}: server ${us(perOp((u) => u.postgres))}, client ${us(perOp((u) => u.self))}`,
      );
    }
    const all = runs.flat();
    const others = all.reduce((a, m) => a + m.cpu.others * m.cpu.seconds, 0) / all.reduce((a, m) => a + m.cpu.seconds, 0);
    const busy = all.some((m) => loaded(m.cpu));
    console.log(`  other processes on the machine used ${fmt(others, 2)} of ${os.cpus().length} CPUs meanwhile${busy ? ' (LOADED in some rounds)' : ''}`);
    const note = busy ? 'LOADED: a busy machine slows the cheap baseline more (compare the CPU per operation)' : undefined;
    const [baseline, single, , , granted, sustained] = [0, 1, 2, 3, 4, 5].map(rate) as [number, number, number, number, number, number];
    grantRates.set(workers, { grant: granted, baseline });
    summary.add({ what: `${workers} conn: single credits ÷ baseline`, value: `${fmt(single / baseline, 2)}×`, goal: `≥ ${GOALS.single}×`, pass: single / baseline >= GOALS.single, note });
    summary.add({ what: `${workers} conn: grants ÷ baseline`, value: `${fmt(granted / baseline, 2)}×`, goal: `≥ ${GOALS.grant}×`, pass: granted / baseline >= GOALS.grant, note });
    // A grant posts to a system account and a credit does not: a shared row would show here first.
    summary.add({ what: `${workers} conn: grants ÷ single credits`, value: `${fmt(granted / single, 2)}×`, note: 'near 1: the system posting waits on no shared row' });
    summary.add({ what: `${workers} conn: replayed, batched ÷ baseline`, value: `${fmt(rate(2) / baseline, 2)}×, ${fmt(rate(3) / baseline, 2)}×` });
    summary.add({ what: `${workers} conn: sustained credits (fold counted) ÷ baseline`, value: `${fmt(sustained / baseline, 2)}×`, note: 'the posting and the balances and events folded after it' });
  }
  const [lo, hi] = [Math.min(...CONNECTIONS), Math.max(...CONNECTIONS)];
  if (hi > lo) {
    const g = grantRates.get(hi)!.grant / grantRates.get(lo)!.grant;
    const b = grantRates.get(hi)!.baseline / grantRates.get(lo)!.baseline;
    summary.add({ what: `scaling ${lo} → ${hi} conn: grants, baseline`, value: `${fmt(g, 2)}×, ${fmt(b, 2)}×`, goal: `grants ≥ ${GOALS.grantScaling}× the baseline's`, pass: g >= GOALS.grantScaling * b });
  }
  const bad = [...(await ledgerInconsistencies(sql)), ...(await ledgerEntryProblems(sql))];
  summary.add({ what: 'ledger_inconsistencies(), ledger_entry_problems()', value: bad.length ? JSON.stringify(bad).slice(0, 200) : 'none', pass: bad.length === 0 });
  summary.print();
  return bad.length ? 1 : 0;
}

runMain('bench:ledger', main);
