/**
 * A settlement step judged at an instant earlier than one already judged for the same customer
 * (a local activity retried inside a workflow task keeps the task's start time; another order of
 * the customer may have been settled later in between) must not take back what time already gave:
 * found by `npm run test:cluster` as "3 credit entries for 2 installments" (a credited installment
 * moved back to pending, then credited again). Time only moves forward for a customer: a step
 * judges at the later of its own instant and the latest instant the customer was judged at.
 */
import type { Sql } from '../db/client';
import { ambassadorBalances } from '../ledger';
import { createTestDatabase } from './harness/context';
import { createAmbassador } from './harness/ledger-fixtures';
import { orderSteps } from './harness/settled-orders';

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Sql;
let steps: ReturnType<typeof orderSteps>;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = db.sql;
  steps = orderSteps(sql);
});
afterAll(async () => {
  await db?.drop();
});

const entriesOf = (orderId: string) => sql<{ kind: string; installment: number | null }[]>`SELECT kind, installment FROM journal_entries WHERE order_id = ${orderId} ORDER BY id`;

test('R-PAY-2 a stale step of a sibling order does not move a credited installment back to pending', async () => {
  const amb = await createAmbassador(sql);
  const t0 = Date.UTC(2025, 0, 10, 2);
  // 5,000.00 paid: 1,250.00 reward in two installments of 625.00 (placedAt + 37 and + 67 days).
  const a = await steps.place(amb.id, '5000.00', t0);
  const b = await steps.place(amb.id, '1000.00', t0 + 3_600_000, t0 + 3_600_000, a.orderId);
  expect(b.customerId).toBe(a.customerId);

  const credited = await steps.settle(a.orderId, t0 + 37 * DAY + 60_000);
  expect(credited.creditedYunqi).toBe(62_500);
  const before = await entriesOf(a.orderId);
  const balances = await ambassadorBalances(sql, amb.id);

  // B's step carries an instant taken a day before A's installment fell due.
  const stale = await steps.settle(b.orderId, t0 + 36 * DAY);
  expect(await entriesOf(a.orderId)).toEqual(before);
  expect(await ambassadorBalances(sql, amb.id)).toEqual(balances);
  // B (250.00 in one installment, due an hour after A's first) is judged as of A's later instant: not yet due.
  expect(stale.rewardYunqi).toBe(25_000);
  expect(stale.creditedYunqi).toBe(0);

  const done = await steps.settle(a.orderId, t0 + 67 * DAY + 60_000);
  expect(done.state).toBe('completed');
  expect((await entriesOf(a.orderId)).filter((e) => e.kind === 'reward.credited').map((e) => e.installment)).toEqual([1, 2]);
  expect((await entriesOf(a.orderId)).filter((e) => e.kind !== 'reward.granted' && e.kind !== 'reward.credited')).toEqual([]);
});
