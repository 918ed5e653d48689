/**
 * Model test (TigerBeetle's auditor): fast-check generates sequences of reward grants, credits,
 * voids, clawbacks, withdrawals, payouts (after transient failures and lost answers), payout
 * refusals, retries of finished steps and month turns. Each runs against the real Postgres
 * ledger (the same functions the API and the withdrawal activities use) and against a small
 * in-memory model with its own tax arithmetic; after every step both must agree, and
 * ledger_inconsistencies() must be empty. One database; a fresh ambassador per run.
 */
import fc from 'fast-check';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { createTestDatabase } from './harness/context';
import type { Sql } from '../db/client';
import { loadConfig } from '../config';
import { defaultRuleBook } from '../domain/rulesets';
import { addMonthsUtc8, monthKeyUtc8, utc8 } from '../domain/time';
import { ambassadorBalances, ledgerInconsistencies, systemBalance } from '../ledger';
import { requestWithdrawal } from '../services/withdrawals';
import { createWithdrawalActivities } from '../activities/withdrawals';
import { localPayoutCalls, setPayoutFault } from '../payouts';
import { clawback, completedOrder, createAmbassador, creditInstallment, grantReward, voidPending } from './harness/ledger-fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Sql;
let activities: ReturnType<typeof createWithdrawalActivities>;
const book = defaultRuleBook();
const MAX = 10_000_000; // R-WD-3: 100,000 CNY

beforeAll(async () => {
  db = await createTestDatabase();
  sql = db.sql;
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  activities = createWithdrawalActivities({ sql, client: null as unknown as Client, config, logger: pino({ level: 'silent' }), ruleBook: book });
});
afterAll(async () => {
  await db?.drop();
});

// ---- The model ---------------------------------------------------------------------------

/** R-WD-4 tax on a month's income, in integer arithmetic of its own (not domain/tax.ts):
 * taxable = income ≤ 4,000 ? income − 800 : income × 4/5; taxable × rate − deduction, rounded
 * half up to the yunqi. */
function modelMonthTax(income: number): number {
  const halfUp = (num: number, den: number) => (num <= 0 ? 0 : Math.floor((2 * num + den) / (2 * den)));
  const bracket = (taxableTimes5: number) =>
    taxableTimes5 <= 2_000_000 * 5 ? { p: 20, qd: 0 } : taxableTimes5 <= 5_000_000 * 5 ? { p: 30, qd: 200_000 } : { p: 40, qd: 700_000 };
  if (income <= 400_000) {
    const taxable = Math.max(0, income - 80_000);
    return halfUp(taxable * 20, 100);
  }
  // taxable = income × 4/5; tax = income × 4p / 500 − qd
  const { p, qd } = bracket(income * 4);
  return halfUp(income * 4 * p - qd * 500, 500);
}

interface ModelWithdrawal {
  id: string;
  gross: number;
  tax: number;
  month: string;
  state: 'reserved' | 'paid' | 'failed';
}

class Model {
  pending = 0;
  available = 0;
  reserved = 0;
  paidOut = 0;
  taxPayable = 0;
  expense = 0;
  months = new Map<string, { gross: number; tax: number }>();
  withdrawals: ModelWithdrawal[] = [];
  orders: string[] = [];
  credits = 0;
  now = utc8('2024-07-01T10:00');

  month(key: string) {
    let m = this.months.get(key);
    if (!m) this.months.set(key, (m = { gross: 0, tax: 0 }));
    return m;
  }
}

interface Ctx {
  m: Model;
  amb: { id: string; kind: 'individual' };
  base: { taxPayable: number; expense: number };
}

// ---- Commands ----------------------------------------------------------------------------

type Cmd =
  | { t: 'grant'; x: number }
  | { t: 'credit'; pct: number }
  | { t: 'void'; pct: number }
  | { t: 'clawback'; x: number }
  | { t: 'withdraw'; x: number }
  | { t: 'pay'; i: number; transient: number; lost: number }
  | { t: 'refuse'; i: number }
  | { t: 'retry'; i: number }
  | { t: 'nextMonth' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ t: fc.constant('grant' as const), x: fc.integer({ min: 1, max: 3_000_000 }) }),
  fc.record({ t: fc.constant('credit' as const), pct: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ t: fc.constant('void' as const), pct: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ t: fc.constant('clawback' as const), x: fc.integer({ min: 1, max: 500_000 }) }),
  {
    arbitrary: fc.record({
      t: fc.constant('withdraw' as const),
      x: fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: MAX - 2, max: MAX + 2 })),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('pay' as const),
      i: fc.nat(),
      transient: fc.integer({ min: 0, max: 2 }),
      lost: fc.integer({ min: 0, max: 1 }),
    }),
    weight: 3,
  },
  fc.record({ t: fc.constant('refuse' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('retry' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('nextMonth' as const) }),
);

/** What the runs exercised (asserted at the end, so a generator change cannot quietly test less). */
const seen: Record<string, number> = {};
const saw = (what: string) => (seen[what] = (seen[what] ?? 0) + 1);

async function run(c: Ctx, cmd: Cmd): Promise<void> {
  const { m, amb } = c;
  switch (cmd.t) {
    case 'grant': {
      const orderId = `${amb.id}-o${m.orders.length}`;
      m.orders.push(orderId);
      await grantReward(sql, amb.id, orderId, cmd.x);
      m.pending += cmd.x;
      m.expense -= cmd.x;
      return;
    }
    case 'credit': {
      const x = Math.floor((m.pending * cmd.pct) / 100);
      if (x <= 0) return;
      await creditInstallment(sql, amb.id, `${amb.id}-credits`, ++m.credits, x);
      m.pending -= x;
      m.available += x;
      return;
    }
    case 'void': {
      const y = Math.floor((m.pending * cmd.pct) / 100);
      if (y <= 0) return;
      await voidPending(sql, amb.id, 'void', y);
      m.pending -= y;
      m.expense += y;
      return;
    }
    case 'clawback':
      await clawback(sql, amb.id, 'claw', cmd.x);
      m.available -= cmd.x;
      m.expense += cmd.x;
      return;
    case 'withdraw': {
      const out = await requestWithdrawal(sql, { ambassador: amb, amountYunqi: cmd.x, nowMs: m.now, ruleBook: book });
      const expected = cmd.x > MAX ? 'above_withdrawal_max' : cmd.x > m.available ? 'insufficient_available' : 'reserved';
      saw(expected);
      if (!out.ok) {
        expect(out.refusal.code).toBe(expected);
        return;
      }
      expect(expected).toBe('reserved');
      const key = monthKeyUtc8(m.now);
      const mo = m.month(key);
      const tax = Math.min(cmd.x, Math.max(0, modelMonthTax(mo.gross + cmd.x) - mo.tax));
      expect({ tax: out.withdrawal.tax_yunqi, net: out.withdrawal.net_yunqi, month: out.withdrawal.tax_month }).toEqual({
        tax,
        net: cmd.x - tax,
        month: key,
      });
      mo.gross += cmd.x;
      mo.tax += tax;
      m.available -= cmd.x;
      m.reserved += cmd.x;
      m.withdrawals.push({ id: out.withdrawal.id, gross: cmd.x, tax, month: key, state: 'reserved' });
      expect(m.available).toBeGreaterThanOrEqual(0); // a withdrawal never makes available negative
      return;
    }
    case 'pay': {
      const open = m.withdrawals.filter((w) => w.state === 'reserved');
      const w = open[cmd.i % Math.max(1, open.length)];
      if (!w) return;
      // Transient failures, then (maybe) a payout whose answer is lost, then the retry that works.
      if (cmd.transient) await setPayoutFault(sql, { withdrawalId: w.id }, { mode: 'transient', times: cmd.transient });
      for (let k = 0; k < cmd.transient; k++) await expect(activities.payOutWithdrawal(w.id)).rejects.toThrow(/temporarily unavailable/);
      if (cmd.lost) {
        await setPayoutFault(sql, { withdrawalId: w.id }, { mode: 'timeout', times: 1 });
        await expect(activities.payOutWithdrawal(w.id)).rejects.toThrow(/no answer/);
      }
      const { providerRef } = await activities.payOutWithdrawal(w.id);
      const settled = await activities.settleWithdrawal({ withdrawalId: w.id, providerRef });
      expect(settled.status).toBe('paid');
      const paidCalls = (await localPayoutCalls(sql, w.id)).filter((x) => x.outcome !== 'transient');
      if (w.gross - w.tax > 0) expect(new Set(paidCalls.map((x) => x.net_yunqi))).toEqual(new Set([w.gross - w.tax]));
      const [n] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM local_payouts WHERE idempotency_key = ${w.id}`;
      expect(n!.n).toBe(w.gross - w.tax > 0 ? 1 : 0);
      w.state = 'paid';
      saw(cmd.transient || cmd.lost ? 'paid after retries' : 'paid');
      if (w.tax > 0) saw('taxed');
      m.reserved -= w.gross;
      m.paidOut += w.gross - w.tax;
      m.taxPayable += w.tax;
      return;
    }
    case 'refuse': {
      const open = m.withdrawals.filter((w) => w.state === 'reserved');
      const w = open[cmd.i % Math.max(1, open.length)];
      if (!w) return;
      if (w.gross - w.tax > 0) {
        await setPayoutFault(sql, { withdrawalId: w.id }, { mode: 'reject' });
        await expect(activities.payOutWithdrawal(w.id)).rejects.toThrow(/refused/);
      }
      const out = await activities.releaseWithdrawal({ withdrawalId: w.id, reason: 'PayoutRejected' });
      expect(out.status).toBe('failed');
      w.state = 'failed';
      saw('released');
      m.reserved -= w.gross;
      m.available += w.gross;
      const mo = m.month(w.month);
      mo.gross -= w.gross;
      mo.tax -= w.tax;
      return;
    }
    case 'retry': {
      // A finished step delivered twice (a retried activity): nothing changes.
      const done = m.withdrawals.filter((w) => w.state !== 'reserved');
      const w = done[cmd.i % Math.max(1, done.length)];
      if (!w) return;
      if (w.state === 'paid') {
        const again = await activities.payOutWithdrawal(w.id);
        expect((await activities.settleWithdrawal({ withdrawalId: w.id, providerRef: again.providerRef })).status).toBe('paid');
      } else {
        expect((await activities.releaseWithdrawal({ withdrawalId: w.id, reason: 'again' })).status).toBe('failed');
      }
      return;
    }
    case 'nextMonth':
      m.now = addMonthsUtc8(m.now, 1);
      return;
  }
}

async function check(c: Ctx): Promise<void> {
  const { m, amb, base } = c;
  expect(await ambassadorBalances(sql, amb.id)).toEqual({ pending: m.pending, available: m.available, reserved: m.reserved, paid_out: m.paidOut });
  expect((await systemBalance(sql, 'tax_payable')) - base.taxPayable).toBe(m.taxPayable);
  expect((await systemBalance(sql, 'rewards_expense')) - base.expense).toBe(m.expense);
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  const months = await sql<{ month: string; gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT month, gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${amb.id} ORDER BY month`;
  const expected = [...m.months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, v]) => ({ month, gross_yunqi: v.gross, tax_yunqi: v.tax }));
  expect(months).toEqual(expected);
}

test('model: the Postgres ledger agrees with an in-memory model after every step (credits, clawbacks, withdrawals, payout failures, retries)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 5_000_000 }), fc.array(cmdArb, { minLength: 5, maxLength: 30 }), async (initial, cmds) => {
      const a = await createAmbassador(sql);
      await completedOrder(sql, a.id, initial); // R-WD-1: one completed valid order
      const c: Ctx = {
        m: new Model(),
        amb: { id: a.id, kind: 'individual' },
        base: { taxPayable: await systemBalance(sql, 'tax_payable'), expense: await systemBalance(sql, 'rewards_expense') },
      };
      c.m.available = initial;
      await check(c);
      for (const cmd of cmds) {
        await run(c, cmd);
        await check(c);
      }
    }),
    { numRuns: 60 },
  );
  const kinds = ['reserved', 'insufficient_available', 'above_withdrawal_max', 'paid', 'paid after retries', 'taxed', 'released'];
  expect(Object.fromEntries(kinds.map((k) => [k, (seen[k] ?? 0) > 0]))).toEqual(Object.fromEntries(kinds.map((k) => [k, true])));
}, 120_000);

test('model: the model tax agrees with the seed examples (R-WD-4)', () => {
  expect(modelMonthTax(300_000)).toBe(44_000);
  expect(modelMonthTax(3_300_000)).toBe(592_000);
  expect(modelMonthTax(10_000_000)).toBe(2_500_000);
});
