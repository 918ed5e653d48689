/**
 * Ledger benchmark: `npm run bench:ledger`. Starts its own embedded Postgres in a temporary
 * folder (default durability: fsync and synchronous_commit on, as in production), migrates it, and
 * measures, on the same database in the same run:
 *   baseline      a plain single-row INSERT per transaction (autocommit)
 *   postEntry     one idempotent reward credit per transaction (ledger/index.ts, TypeScript)
 *   round trip    the same credit in one statement (ledger/post.ts, database function)
 *   batched       BATCH credits per transaction (ledger/post.ts postEntries)
 * with CONCURRENCY connections, each crediting its own ambassadors (pending → available, no hot
 * system row). The measurements are interleaved over ROUNDS rounds and the median is reported, so
 * a noisy neighbour hurts the baseline and the credits alike. Goal: single credits ≥ 0.5 ×
 * baseline. About 30 s. BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_BATCH and
 * BENCH_FAST=1 (fsync off) tune it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { ambassador, ledgerInconsistencies, postEntry, type EntryInput } from '../ledger';
import { postEntries, postEntryRoundTrip } from '../ledger/post';
import { freePort } from '../test/harness/ports';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
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

/** Runs `op` on CONCURRENCY workers for SECONDS; answers operations (× unitsPerOp) per second. */
async function measure(unitsPerOp: number, op: (worker: number, i: number) => Promise<unknown>): Promise<number> {
  // Warm up (plans, account rows, connections).
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => op(w, 0)));
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 1; Date.now() < deadline; i++) {
        await op(w, i);
        done++;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return (done * unitsPerOp) / secs;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const fast = process.env.BENCH_FAST === '1';
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata'), port: await freePort(), unsafeFast: fast });
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
      { name: 'credit: postEntry (TypeScript)', units: 1, op: (w, i) => postEntry(sql, credit(pick(w, i), 'ts')) },
      { name: 'credit: one round trip (db function)', units: 1, op: (w, i) => postEntryRoundTrip(sql, credit(pick(w, i), 'rt')) },
      { name: 'credit: replayed key (no-op)', units: 1, op: (w) => postEntryRoundTrip(sql, { ...credit(pick(w, 0), 'rt'), idempotencyKey: `bench:replay:${w}` }) },
      {
        name: `credits: batched ×${BATCH} per transaction`,
        units: BATCH,
        op: (w, i) => postEntries(sql, Array.from({ length: BATCH }, (_, j) => credit(pick(w, i * BATCH + j), 'batch'))),
      },
    ];
    const rates: number[][] = cases.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, c] of cases.entries()) rates[k]!.push(await measure(c.units, c.op));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [baseline, single, roundTrip, replay, batched] = rates.map(median) as [number, number, number, number, number];
    for (const [k, c] of cases.entries()) {
      const all = rates[k]!.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
      console.log(`  ${c.name.padEnd(38)} ${Math.round(median(rates[k]!)).toLocaleString('en-US').padStart(8)} /s   (rounds: ${all})`);
    }
    const bad = await ledgerInconsistencies(sql);
    const ratio = (x: number) => (x / baseline).toFixed(2);
    console.log('');
    console.log(`  ratio to baseline: postEntry ${ratio(single)}×, one round trip ${ratio(roundTrip)}×, replayed ${ratio(replay)}×, batched ${ratio(batched)}×`);
    const best = Math.max(single, roundTrip);
    console.log(`  goal single credits ≥ ${GOAL} × baseline: ${best / baseline >= GOAL ? 'met' : 'NOT met'} (${ratio(best)}×)`);
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
