/**
 * Growing the database in bulk, through the same repository and ledger code the system writes
 * with (db/repositories/*, ledger/postEntries), where Temporal is not what is measured: customers
 * (with their identity self link), one association each (the projection the customer workflow
 * writes), settled two-installment orders (recorded, cap room reserved, assessed, credited, with
 * their timelines) and their ledger entries (grant, two credits), and withdrawals paid out.
 * Orders of a batch run in one transaction, their statements pipelined; the ledger is written by
 * one writer in batches (postEntries). No delivery round runs here, so the journal is not folded:
 * balances are read with every entry above the horizon (migration 063).
 */
import type { OrderPlaced, OrderState, TimelineEvent } from '../../contracts/orders';
import type { Sql } from '../../db/client';
import { projectAssociationChange } from '../../db/repositories/associations';
import { ensureCustomer, recordPurchaseFacts } from '../../db/repositories/customers';
import * as orders from '../../db/repositories/orders';
import { insertWithdrawal } from '../../db/repositories/withdrawals';
import { ambassador, postEntries, system, type EntryInput } from '../../ledger';
import { pool } from './load';
import { Progress, fmt, now, secondsSince } from './measure';
import type { Ambassador } from './population';

const DAY = 86_400_000;
const PAID = 500_000; // 5,000.00 CNY
const REWARD = 125_000; // L1 25%

export interface GrowOptions {
  prefix: string;
  customers: number;
  ordersPerCustomer: number;
  withdrawalsPerAmbassador: number;
  ambassadors: Ambassador[];
  /** Customers per transaction. */
  batch: number;
  concurrency: number;
  identitySecret: string;
}

export interface Grown {
  seconds: number;
  orders: number;
  customers: number;
  bytesBefore: number;
  bytesAfter: number;
}

const ev = (key: string, atMs: number, summary: string, detail: Record<string, unknown> = {}): TimelineEvent => ({ key, kind: key.replace(/:.*/, ''), at: new Date(atMs).toISOString(), summary, detail });

/** One settled order as the settlement leaves it: its row fields, timeline and ledger entries. */
function settledOrder(o: { id: string; customerId: string; ambassadorId: string; associationId: string; startedAtMs: number; placedAtMs: number }) {
  const body: OrderPlaced = { orderId: o.id, customerId: o.customerId, productCode: 'ecs.g7.large', productCategory: 'core', paidAmount: '5000.00', billing: 'prepaid', orderType: 'new', placedAt: new Date(o.placedAtMs).toISOString() };
  const reviewEnds = o.placedAtMs + 7 * DAY;
  const installments = [1, 2].map((n) => ({ n, yunqi: REWARD / 2, dueAtMs: reviewEnds + 30 * n * DAY, credited: true }));
  const events = [
    ev('placed', o.placedAtMs, 'order placed: ecs.g7.large (core), paid 5000.00 CNY, prepaid, new'),
    ev('attributed', o.placedAtMs, `attributed to ambassador ${o.ambassadorId} (level L1) through association ${o.associationId}`),
    ev('commission', o.placedAtMs, 'first purchase at L1 25%: 1250.00 CNY'),
    ev('review_started', o.placedAtMs, 'review period (审核期) of 7 days'),
    ev('review_passed', reviewEnds, 'review period (审核期) passed with no refund or same-person finding'),
    ...installments.map((i) => ev(`installment:${i.n}`, i.dueAtMs, `installment ${i.n} of 2 credited: 625.00 CNY`)),
    ev('completed', installments[1]!.dueAtMs, 'completed: every installment credited'),
  ];
  const entry = (key: string, kind: string, postings: EntryInput['postings'], installment: number | null = null): EntryInput => ({
    idempotencyKey: `order:${o.id}:${key}`,
    kind,
    ambassadorId: o.ambassadorId,
    orderId: o.id,
    installment,
    ruleSetVersion: '2024-06-01',
    postings,
  });
  const ledger = [
    entry('granted', 'reward.granted', [{ account: system('rewards_expense'), amountYunqi: -REWARD }, { account: ambassador(o.ambassadorId, 'pending'), amountYunqi: REWARD }]),
    ...installments.map((i) => entry(`installment:${i.n}`, 'reward.credited', [{ account: ambassador(o.ambassadorId, 'pending'), amountYunqi: -i.yunqi }, { account: ambassador(o.ambassadorId, 'available'), amountYunqi: i.yunqi }], i.n)),
  ];
  return { body, reviewEnds, installments, events, ledger };
}

/** Writes one order through the order repository, as assessment and crediting leave it. */
async function writeOrder(tx: Sql, o: Parameters<typeof settledOrder>[0]): Promise<EntryInput[]> {
  const s = settledOrder(o);
  await orders.insertOrder(tx, { order: s.body, bodyHash: `seed-${o.id}`, workflowId: `order:${o.id}`, runId: 'seeded', paidYunqi: PAID });
  await recordPurchaseFacts(tx, o.customerId, { paidPurchaseAtMs: o.placedAtMs });
  await orders.lockCapUsage(tx, o.associationId, o.customerId);
  await orders.reserveCapRoom(tx, { orderId: o.id, associationId: o.associationId, paidYunqi: PAID, rewardYunqi: REWARD, computation: { seeded: true } });
  const row = {
    ...(await orders.lockOrder(tx, o.id)),
    state: 'completed' as OrderState,
    ambassador_id: o.ambassadorId,
    association_id: o.associationId,
    association_started_at: new Date(o.startedAtMs),
    rule_set_version: '2024-06-01',
    review_ends_at: new Date(s.reviewEnds),
    granted_yunqi: REWARD,
    credited_yunqi: REWARD,
    installments: s.installments,
  };
  await orders.saveAssessment(tx, row, { reasonCode: null, explanation: { seeded: true } });
  await orders.saveOrder(tx, row);
  await orders.recordEvents(tx, o.id, s.events);
  return s.ledger;
}

/** A customer, its association (the projection the customer workflow writes) and its orders. */
async function writeCustomer(sql: Sql, o: GrowOptions, c: number, nowMs: number): Promise<Parameters<typeof writeOrder>[1][]> {
  const customerId = `${o.prefix}-c${c}`;
  const amb = o.ambassadors[c % o.ambassadors.length]!;
  const startedAtMs = nowMs - 200 * DAY + (c % 1000) * 60_000;
  await ensureCustomer(sql, o.identitySecret, customerId, startedAtMs);
  const associationId = `${customerId}-a1`;
  const workflowId = `customer:${customerId}`;
  const interval = { associationId, ambassadorId: amb.id, usercode: amb.usercode, startedAt: startedAtMs, endsAt: startedAtMs + 60 * DAY, lastClickAt: startedAtMs, ruleSetVersion: '2024-06-01', endedAt: null, endReason: null, lastSeq: 2 };
  const at = (seq: number, kind: 'click' | 'created') => ({ seq, kind, at: startedAtMs, clickId: `${customerId}-click`, ambassadorId: amb.id, associationId, detail: {} });
  await projectAssociationChange(sql, { customerId, workflowId, intervals: [interval], events: [at(1, 'click'), at(2, 'created')] });
  return Array.from({ length: o.ordersPerCustomer }, (_, k) => ({ id: `${customerId}-o${k}`, customerId, ambassadorId: amb.id, associationId, startedAtMs, placedAtMs: startedAtMs + (k + 1) * DAY }));
}

/** Each ambassador's withdrawals, reserved and paid out (ledger: available → reserved → paid_out). */
async function writeWithdrawals(sql: Sql, o: GrowOptions, nowMs: number): Promise<EntryInput[]> {
  const entries: EntryInput[] = [];
  await pool(o.ambassadors, o.concurrency, async (a) => {
    for (let k = 0; k < o.withdrawalsPerAmbassador; k++) {
      const id = `${o.prefix}-w-${a.id}-${k}`;
      const gross = 10_000;
      const explanation = { rule: 'R-WD-4' as const, table: 'labour_remuneration', month: '2024-07', monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, monthGrossYunqi: gross, monthTaxYunqi: 0, taxableYunqi: 0, bracket: { n: 0, rate: '0', quickDeductionYunqi: 0 } };
      await insertWithdrawal(sql, { id, ambassadorId: a.id, grossYunqi: gross, taxYunqi: 0, netYunqi: gross, month: '2024-07', ruleSetVersion: '2024-06-01', explanation: explanation as never, workflowId: `withdrawal:${id}`, requestedAtMs: nowMs - k * DAY });
      const base = { ambassadorId: a.id, withdrawalId: id };
      entries.push(
        { ...base, idempotencyKey: `withdrawal:${id}:reserved`, kind: 'withdrawal.reserved', postings: [{ account: ambassador(a.id, 'available'), amountYunqi: -gross }, { account: ambassador(a.id, 'reserved'), amountYunqi: gross }] },
        { ...base, idempotencyKey: `withdrawal:${id}:paid`, kind: 'withdrawal.paid', postings: [{ account: ambassador(a.id, 'reserved'), amountYunqi: -gross }, { account: ambassador(a.id, 'paid_out'), amountYunqi: gross }] },
      );
    }
  });
  return entries;
}

/** All of them, or the first failure once every one ended (no statement of the transaction is
 * still on its way when the transaction ends). */
async function settled<T>(work: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

const databaseBytes = async (sql: Sql) => (await sql<{ n: number }[]>`SELECT pg_database_size(current_database())::bigint AS n`)[0]!.n;

export async function growDatabase(sql: Sql, o: GrowOptions): Promise<Grown> {
  const t0 = now();
  const nowMs = Date.now();
  const bytesBefore = await databaseBytes(sql);
  const total = o.customers * o.ordersPerCustomer;
  const progress = new Progress('orders written (repositories, ledger)', total);
  const ledgerQueue: EntryInput[][] = [];
  let written = 0;
  // One ledger writer: batches of entries in arrival order.
  let ledgerDone = false;
  const writer = (async () => {
    for (;;) {
      const next = ledgerQueue.shift();
      if (next) await postEntries(sql, next);
      else if (ledgerDone) return;
      else await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const batches = Array.from({ length: Math.ceil(o.customers / o.batch) }, (_, b) => b);
  await pool(batches, o.concurrency, async (b) => {
    const cs = Array.from({ length: Math.min(o.batch, o.customers - b * o.batch) }, (_, i) => b * o.batch + i);
    // A few at a time: a BEGIN that fills a connection's pipeline (100 statements) loses its
    // reservation in postgres.js 3.4.9 (porsager/postgres#823): keep the pool's pipelines short.
    const perCustomer: Parameters<typeof writeOrder>[1][][] = [];
    await pool(cs, 8, async (c, i) => {
      perCustomer[i] = await writeCustomer(sql, o, c, nowMs);
    });
    const placed = perCustomer.flat();
    const entries = (await sql.begin((t) => settled(placed.map((p) => writeOrder(t as unknown as Sql, p))))) as EntryInput[][];
    ledgerQueue.push(entries.flat());
    while (ledgerQueue.length > 4) await new Promise((r) => setTimeout(r, 20)); // bounded memory
    written += placed.length;
    progress.update(written, `${fmt(written / secondsSince(t0))}/s`);
  });
  ledgerQueue.push(await writeWithdrawals(sql, o, nowMs));
  ledgerDone = true;
  await writer;
  progress.end();
  await sql`VACUUM ANALYZE`;
  return { seconds: secondsSince(t0), orders: total, customers: o.customers, bytesBefore, bytesAfter: await databaseBytes(sql) };
}
