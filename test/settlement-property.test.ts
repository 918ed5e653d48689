/**
 * Same facts, same money, as a property: one customer's facts (clicks, orders, refunds, findings,
 * an identity change) delivered in business-instant order, each at its instant (the reference),
 * and the same facts delivered all at once afterwards, shuffled and partly twice (a refund for an
 * order not known yet is sent again later, as a sender retries a 404), end in the same order
 * states, rewards and credits, and the same balances. Through REST, the real workflows on the
 * time-skipping server and the real ledger; ambassadors and customers are fresh in every run.
 */
import fc from 'fast-check';
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, postClick, uniq, waitFor, type Harness } from './harness/association-fixtures';
import { DAY, balances, opsOrder, orderMessage, postOrder } from './harness/order-fixtures';
import { finding, refund } from './harness/settlement-fixtures';
import { expectLedgerSound } from './harness/ledger-fixtures';
import { orderWorkflowId } from '../contracts/orders';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x));

type Fact =
  | { t: 'click'; at: number; amb: 0 | 1 }
  | { t: 'order'; at: number; i: number; paid: string }
  | { t: 'refund'; at: number; i: number; full: boolean }
  | { t: 'finding'; at: number; i: number }
  | { t: 'identity'; at: number };

const scenarioArb = fc
  .record({
    clicks: fc.array(fc.record({ day: fc.integer({ min: 0, max: 40 }), amb: fc.constantFrom(0 as const, 1 as const) }), { minLength: 1, maxLength: 3 }),
    orders: fc.array(fc.record({ day: fc.integer({ min: 1, max: 45 }), paid: fc.constantFrom('99.00', '1000.00', '5000.00') }), { minLength: 1, maxLength: 3 }),
    refunds: fc.array(fc.record({ i: fc.nat(2), after: fc.integer({ min: 0, max: 80 }), full: fc.boolean() }), { maxLength: 2 }),
    findings: fc.array(fc.record({ i: fc.nat(2), after: fc.integer({ min: 0, max: 80 }) }), { maxLength: 1 }),
    identity: fc.option(fc.integer({ min: 0, max: 110 }), { nil: undefined }),
    twice: fc.array(fc.nat(), { maxLength: 3 }),
    seed: fc.integer(),
  })
  .map((s) => {
    const minute = 60_000;
    const facts: Fact[] = [
      ...s.clicks.map((c, k) => ({ t: 'click' as const, at: c.day * DAY + k * minute, amb: c.amb })),
      ...s.orders.map((o, i) => ({ t: 'order' as const, at: o.day * DAY + 10 * minute + i * minute, i, paid: o.paid })),
    ];
    const orderAt = (i: number) => facts.find((f) => f.t === 'order' && f.i === i)?.at;
    for (const [k, r] of s.refunds.entries()) {
      const at = orderAt(r.i % s.orders.length)!;
      facts.push({ t: 'refund', at: at + r.after * DAY + (k + 1) * 7 * minute, i: r.i % s.orders.length, full: r.full });
    }
    for (const f of s.findings) facts.push({ t: 'finding', at: orderAt(f.i % s.orders.length)! + f.after * DAY + 3 * minute, i: f.i % s.orders.length });
    if (s.identity !== undefined) facts.push({ t: 'identity', at: s.identity * DAY + 5 * minute });
    return { facts: facts.sort((a, b) => a.at - b.at), twice: s.twice, seed: s.seed };
  });

/** Fresh ambassadors and customer, and a sender of one fact at `base` + its offset. */
async function world(base: number) {
  const ambassadors = [await joinAmbassador(h, { joinedAt: new Date(base - 10 * DAY).toISOString() }), await joinAmbassador(h, { joinedAt: new Date(base - 10 * DAY).toISOString() })];
  const customerId = uniq('cust');
  await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send({ identity: { phone: '+86 138 0000 0001' }, observedAt: new Date(base - DAY).toISOString() }).expect(200);
  const orderIds = [0, 1, 2].map(() => uniq('ord'));
  const iso = (f: Fact) => new Date(base + f.at).toISOString();
  const send = async (f: Fact, k: number): Promise<number> => {
    switch (f.t) {
      case 'click':
        return (await postClick(h, { customerId, usercode: ambassadors[f.amb]!.usercode, clickId: `click-${k}`, occurredAt: iso(f) })).status;
      case 'order':
        return (await postOrder(h, orderMessage(customerId, { orderId: orderIds[f.i]!, paidAmount: f.paid, placedAt: iso(f) }))).status;
      case 'refund':
        return (await refund(h, orderIds[f.i]!, { refundId: `rf-${k}`, full: f.full, ...(f.full ? {} : { amount: '10.00' }), refundedAt: iso(f) })).status;
      case 'finding':
        return (await finding(h, orderIds[f.i]!, { findingId: `f-${k}`, reason: 'cheating', foundAt: iso(f) })).status;
      case 'identity':
        return (await h.service(request(h.app).post(`/v1/customers/${customerId}/identity-changes`)).send({ phone: `+86 139 0000 ${String(k).padStart(4, '0')}`, changedAt: iso(f) })).status;
    }
  };
  return { ambassadors, orderIds, send };
}

/** Every order of the run settled and quiet: its workflow closed, no wake pending; what people see. */
async function outcome(w: Awaited<ReturnType<typeof world>>, facts: Fact[]) {
  const placedIdx = [...new Set(facts.filter((f) => f.t === 'order').map((f) => (f as { i: number }).i))];
  for (const i of placedIdx) {
    const id = w.orderIds[i]!;
    await waitFor(
      async () => {
        const [row] = await ctx.sql<{ wake: Date | null }[]>`SELECT wake_requested_at AS wake FROM orders WHERE order_id = ${id}`;
        const d = await ctx.client.workflow.getHandle(orderWorkflowId(id)).describe();
        return !row?.wake && d.status.name !== 'RUNNING';
      },
      (quiet) => quiet,
      `order ${id} to settle`,
      30_000,
    );
  }
  const orders = [];
  for (const i of placedIdx.sort()) {
    const o = await opsOrder(h, w.orderIds[i]!);
    orders.push([i, o.state, o.reasonCode, o.reward.yunqi, o.credited.yunqi]);
  }
  const money = [];
  for (const a of w.ambassadors) money.push(await balances(ctx, a.id));
  return { orders, money };
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test('same facts, same money: delivered at their instants or all at once shuffled and repeated, one customer ends with the same states, rewards and balances', async () => {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async ({ facts, twice, seed }) => {
      // The reference: every fact at its instant, in order.
      const base = await h.clock.sync();
      const ref = await world(base);
      for (const [k, f] of facts.entries()) {
        const now = await h.clock.sync();
        if (base + f.at > now) await h.clock.skip(base + f.at - now);
        expect([f, [200, 202].includes(await ref.send(f, k))]).toEqual([f, true]);
      }
      await h.clock.skip(200 * DAY);
      const expected = await outcome(ref, facts);

      // The same facts, all at once, long after: shuffled, some twice; a 404 is sent again later.
      const later = (await h.clock.sync()) - 150 * DAY - 5 * 60_000;
      const run = await world(later);
      const queue = shuffled(facts.map((f, k) => ({ f, k })), seed);
      for (const n of twice) queue.splice(n % (queue.length + 1), 0, queue[n % queue.length]!);
      for (let guard = 0; queue.length && guard < 100; guard++) {
        const { f, k } = queue.shift()!;
        const status = await run.send(f, k);
        if (status === 404) queue.push({ f, k });
        else expect([f, [200, 202].includes(status)]).toEqual([f, true]);
      }
      expect(await outcome(run, facts)).toEqual(expected);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 10), endOnFailure: true },
  );
  await expectLedgerSound(ctx.sql);
}, 600_000);
