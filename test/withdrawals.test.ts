/**
 * Withdrawals over the real HTTP app (supertest), real workflows on the time-skipping server, a
 * real Postgres: refusals (R-WD-1, R-WD-3, R-WD-5/R-AMB-2), money in yunqi and CNY (R-WD-2),
 * withholding tax with monthly aggregation (R-WD-4), idempotency, concurrency, statements and
 * security. The ledger is checked for consistency after every test.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import {
  clawback,
  completedOrder,
  createAmbassador,
  halfCreditedOrder,
  type FixtureAmbassador,
} from './harness/ledger-fixtures';
import { ambassadorBalances, systemBalance } from '../ledger';
import { hashToken } from '../lib/tokens';
import type { WithdrawalWorkflowResult } from '../contracts/withdrawals';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x), { env: { RATE_LIMIT_PER_MINUTE: '10000' }, ledgerSound: true });

const CNY = 100; // yunqi per CNY (R-WD-2)
const key = () => crypto.randomUUID();

function withdraw(a: FixtureAmbassador, body: unknown, idempotencyKey: string | null = key()) {
  const r = request(app).post('/v1/ambassadors/me/withdrawals').set('Authorization', a.auth);
  if (idempotencyKey !== null) r.set('Idempotency-Key', idempotencyKey);
  return r.send(body as object);
}

const get = (a: FixtureAmbassador, path: string) => request(app).get(path).set('Authorization', a.auth);

function settled(withdrawalId: string): Promise<WithdrawalWorkflowResult> {
  return ctx.client.workflow.getHandle(`withdrawal:${withdrawalId}`).result();
}

/** One result at a time: concurrent result() calls unbalance the time-skipping server's lock
 * count, which then skips time while activities run (their timeouts fire early). */
async function settledAll(ids: string[]): Promise<WithdrawalWorkflowResult[]> {
  const out: WithdrawalWorkflowResult[] = [];
  for (const id of ids) out.push(await settled(id));
  return out;
}

/** An individual ambassador with one completed valid order worth `cny` available. */
async function earner(cny: number): Promise<FixtureAmbassador> {
  const a = await createAmbassador(ctx.sql);
  await completedOrder(ctx.sql, a.id, cny * CNY);
  return a;
}

describe('refusals', () => {
  test('R-WD-1 no completed valid order: refused with the reason, even with yunqi available from a half-credited order', async () => {
    const a = await createAmbassador(ctx.sql);
    await halfCreditedOrder(ctx.sql, a.id, 4000 * CNY); // 2,000 CNY credited, second installment pending (R-PAY-3)
    const res = await withdraw(a, { amount: '100.00' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('no_completed_valid_order');
    expect(res.body.error.message).toMatch(/completed valid order/);
    expect(res.body.error.details.rule).toBe('R-WD-1');
    expect((await ambassadorBalances(ctx.sql, a.id)).available).toBe(2000 * CNY);
  });

  test('R-WD-3 above 100,000 CNY: refused with advice to split; exactly 100,000 is accepted', async () => {
    const a = await earner(150_000);
    const res = await withdraw(a, { amount: '120000.00' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('above_withdrawal_max');
    expect(res.body.error.message).toMatch(/split/);
    expect(res.body.error.details).toMatchObject({ rule: 'R-WD-3', max: '100000.00', suggestedSplit: ['100000.00', '20000.00'] });
    const over = await withdraw(a, { amount: '100000.01' });
    expect(over.status).toBe(422);
    const ok = await withdraw(a, { amount: '100000.00' });
    expect(ok.status).toBe(201);
    await settled(ok.body.id);
  });

  test('R-WD-5 R-AMB-2 an enterprise ambassador earns but cannot withdraw: refused with a clear reason', async () => {
    const e = await createAmbassador(ctx.sql, { kind: 'enterprise' });
    await completedOrder(ctx.sql, e.id, 5000 * CNY);
    const res = await withdraw(e, { amount: '100.00' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('enterprise_cannot_withdraw');
    expect(res.body.error.message).toMatch(/enterprise ambassadors .* cannot withdraw yet/);
    expect(res.body.error.details.rule).toBe('R-AMB-2');
    const bal = await get(e, '/v1/ambassadors/me/balance');
    expect(bal.body.available).toEqual({ cny: '5000.00', yunqi: 500_000 });
    expect(bal.body.reserved.yunqi).toBe(0);
  });

  test('more than available is refused; a clawback that leaves a debt makes any withdrawal refused', async () => {
    const a = await earner(500);
    const res = await withdraw(a, { amount: '500.01' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('insufficient_available');
    expect(res.body.error.details).toMatchObject({ available: '500.00', requested: '500.01' });
    const [orderId] = (await ctx.sql<{ order_id: string }[]>`SELECT order_id FROM orders WHERE ambassador_id = ${a.id}`).map((r) => r.order_id);
    await clawback(ctx.sql, a.id, orderId!, 600 * CNY);
    expect((await ambassadorBalances(ctx.sql, a.id)).available).toBe(-100 * CNY);
    const debt = await withdraw(a, { amount: '0.01' });
    expect(debt.status).toBe(422);
    expect(debt.body.error.code).toBe('insufficient_available');
    expect((await ambassadorBalances(ctx.sql, a.id)).available).toBe(-100 * CNY);
  });
});

describe('R-WD-4 tax withheld at withdrawal, one income per UTC+8 month', () => {
  test('R-WD-4 month example: 3,000 then 30,000 in one month withhold 440 then 5,480', async () => {
    const a = await earner(40_000);
    const first = await withdraw(a, { amount: '3000.00' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ gross: '3000.00', tax: '440.00', net: '2560.00', grossYunqi: 300_000, taxYunqi: 44_000, netYunqi: 256_000 });
    expect(['reserved', 'processing', 'paid']).toContain(first.body.status);
    expect((await settled(first.body.id)).status).toBe('paid');

    const second = await withdraw(a, { amount: '30000.00' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ gross: '30000.00', tax: '5480.00', net: '24520.00' });
    expect(second.body.taxExplanation).toMatchObject({
      rule: 'R-WD-4',
      monthGrossBefore: '3000.00',
      taxWithheldBefore: '440.00',
      monthGross: '33000.00',
      monthTax: '5920.00',
      taxable: '26400.00',
      bracket: { n: 2, rate: '0.3', quickDeduction: '2000.00' },
    });
    expect((await settled(second.body.id)).status).toBe('paid');

    const bal = await get(a, '/v1/ambassadors/me/balance');
    expect(bal.status).toBe(200);
    expect(bal.body).toMatchObject({
      pending: { cny: '0.00', yunqi: 0 },
      available: { cny: '7000.00', yunqi: 700_000 },
      reserved: { cny: '0.00', yunqi: 0 },
      paidOut: { cny: '27080.00', yunqi: 2_708_000 },
      withdrawnThisMonth: { cny: '33000.00', yunqi: 3_300_000 },
      taxWithheldThisMonth: { cny: '5920.00', yunqi: 592_000 },
    });
    const got = await get(a, `/v1/ambassadors/me/withdrawals/${second.body.id}`);
    expect(got.body).toMatchObject({ status: 'paid', net: '24520.00', payoutAttempts: 1 });
    expect(got.body.providerRef).toMatch(/^lp_/);
  });

  test('R-WD-4 R-WD-3 a single 100,000 withdrawal withholds 25,000', async () => {
    const a = await earner(100_000);
    const res = await withdraw(a, { amount: '100000' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ gross: '100000.00', tax: '25000.00', net: '75000.00' });
    expect(res.body.taxExplanation).toMatchObject({ taxable: '80000.00', bracket: { n: 3, rate: '0.4', quickDeduction: '7000.00' } });
    const taxBefore = await systemBalance(ctx.sql, 'tax_payable');
    await settled(res.body.id);
    expect(await systemBalance(ctx.sql, 'tax_payable')).toBe(taxBefore + 25_000 * CNY);
    expect(await ambassadorBalances(ctx.sql, a.id)).toEqual({ pending: 0, available: 0, reserved: 0, paid_out: 75_000 * CNY });
  });

  test('R-WD-4 small withdrawals: up to 800 CNY in a month withholds nothing; the month total then decides', async () => {
    const a = await earner(5000);
    const r1 = await withdraw(a, { amount: '800.00' });
    expect(r1.body).toMatchObject({ tax: '0.00', net: '800.00' });
    const r2 = await withdraw(a, { amount: '200.00' }); // month 1,000 → (1000 − 800) × 20% = 40
    expect(r2.body).toMatchObject({ tax: '40.00', net: '160.00' });
    await settledAll([r1.body.id, r2.body.id]);
    const ledger = await get(a, '/v1/ambassadors/me/ledger');
    // No tax line for the untaxed withdrawal, one for the second.
    const taxLines = ledger.body.items.filter((e: { link: { type: string } }) => e.link.type === 'tax');
    expect(taxLines).toHaveLength(1);
    expect(taxLines[0]).toMatchObject({ kind: 'withdrawal.tax_withheld', link: { withdrawalId: r2.body.id } });
  });
});

describe('R-WD-2 yunqi and CNY', () => {
  test('R-WD-2 100 yunqi = 1 CNY: amounts are decimal strings in JSON and whole yunqi in the ledger', async () => {
    const a = await earner(10);
    const res = await withdraw(a, { amount: '0.01' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ gross: '0.01', grossYunqi: 1, tax: '0.00', net: '0.01', netYunqi: 1 });
    await settled(res.body.id);
    const bal = await get(a, '/v1/ambassadors/me/balance');
    expect(bal.body.available).toEqual({ cny: '9.99', yunqi: 999 });
    expect(bal.body.paidOut).toEqual({ cny: '0.01', yunqi: 1 });
  });

  test('R-WD-2 validation: more than 2 decimals, numbers, negatives, zero and extra fields are 400 with field paths', async () => {
    const a = await earner(10);
    for (const body of [{ amount: '1.001' }, { amount: 5 }, { amount: '-1.00' }, { amount: '0.00' }, { amount: '1.00', ambassadorId: 'x' }, {}]) {
      const res = await withdraw(a, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toMatch(/^body/);
    }
  });
});

describe('Idempotency-Key', () => {
  test('same key and body: the same answer and one reservation; same key and another body: 422; no key: 400', async () => {
    const a = await earner(1000);
    const k = key();
    const first = await withdraw(a, { amount: '100.00' }, k);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const again = await withdraw(a, { amount: '100.00' }, k);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const sameAmount = await withdraw(a, { amount: '100' }, k); // the same amount, written differently
    expect(sameAmount.body.id).toBe(first.body.id);
    const other = await withdraw(a, { amount: '200.00' }, k);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const none = await withdraw(a, { amount: '100.00' }, null);
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    await settled(first.body.id);
    expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 900 * CNY, paid_out: 100 * CNY - 0 });
    const list = await get(a, '/v1/ambassadors/me/withdrawals');
    expect(list.body.items).toHaveLength(1);
  });

  test('a refusal is an answer too: replayed for the same key', async () => {
    const a = await earner(100);
    const k = key();
    const r1 = await withdraw(a, { amount: '200.00' }, k);
    expect(r1.status).toBe(422);
    await completedOrder(ctx.sql, a.id, 500 * CNY);
    const r2 = await withdraw(a, { amount: '200.00' }, k);
    expect(r2.status).toBe(422);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers['idempotent-replayed']).toBe('true');
  });

  test('keys belong to one ambassador: another ambassador may use the same key', async () => {
    const a = await earner(100);
    const b = await earner(100);
    const k = key();
    const ra = await withdraw(a, { amount: '10.00' }, k);
    const rb = await withdraw(b, { amount: '20.00' }, k);
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.body.id).not.toBe(ra.body.id);
    await settledAll([ra.body.id, rb.body.id]);
  });
});

describe('concurrency', () => {
  test('fifty concurrent withdrawals against one balance never overdraw it', async () => {
    const a = await earner(1000);
    const answers = await Promise.all(Array.from({ length: 50 }, () => withdraw(a, { amount: '30.00' })));
    const ok = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status === 422);
    expect(ok).toHaveLength(33); // 33 × 30 = 990 ≤ 1000 < 34 × 30
    expect(refused).toHaveLength(17);
    for (const r of refused) expect(r.body.error.code).toBe('insufficient_available');
    const b = await ambassadorBalances(ctx.sql, a.id);
    expect(b.available).toBe(10 * CNY);
    // The month's tax was computed serially: the withholdings add up to the tax on the month total.
    const taxes = ok.map((r) => r.body.taxYunqi as number);
    const monthTax = Math.max(...ok.map((r) => Number(r.body.taxExplanation.monthTax.replace('.', ''))));
    expect(taxes.reduce((s, t) => s + t, 0)).toBe(monthTax);
    expect(monthTax).toBe(3800); // 990 CNY: (990 − 800) × 20% = 38.00
    await settledAll(ok.map((r) => r.body.id));
    const after = await ambassadorBalances(ctx.sql, a.id);
    expect(after).toEqual({ pending: 0, available: 10 * CNY, reserved: 0, paid_out: 990 * CNY - 3800 });
    expect(after.available + after.paid_out + (await taxOf(a.id))).toBe(1000 * CNY);
  });
});

/** Tax of this ambassador's withdrawals that did not fail. */
async function taxOf(ambassadorId: string): Promise<number> {
  const [r] = await ctx.sql<{ t: number }[]>`SELECT coalesce(sum(tax_yunqi), 0)::bigint AS t FROM withdrawals WHERE ambassador_id = ${ambassadorId} AND status = 'paid'`;
  return r!.t;
}

describe('statements', () => {
  test('GET balance shows pending, available, reserved, paid out and tax withheld this month', async () => {
    const a = await earner(1000);
    await halfCreditedOrder(ctx.sql, a.id, 3000 * CNY); // 1,500 pending, 1,500 available
    const bal = await get(a, '/v1/ambassadors/me/balance');
    expect(bal.body).toMatchObject({
      ambassadorId: a.id,
      currency: 'CNY',
      pending: { cny: '1500.00' },
      available: { cny: '2500.00' },
      reserved: { cny: '0.00' },
      paidOut: { cny: '0.00' },
      taxWithheldThisMonth: { cny: '0.00' },
    });
    expect(bal.body.month).toMatch(/^\d{4}-\d{2}$/);
  });

  test('GET ledger pages through entries, each linked to its order and installment, withdrawal or tax line', async () => {
    const a = await createAmbassador(ctx.sql);
    const orderId = await completedOrder(ctx.sql, a.id, 10_000 * CNY, { split: true });
    const w = await withdraw(a, { amount: '5000.00' });
    await settled(w.body.id);
    const all: { id: string; kind: string; link: Record<string, unknown>; postings: { account: string; amount: string }[] }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(a, `/v1/ambassadors/me/ledger?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(all.map((e) => e.kind)).toEqual([
      'withdrawal.paid',
      'withdrawal.tax_withheld',
      'withdrawal.reserved',
      'reward.credited',
      'reward.credited',
      'reward.granted',
    ]);
    expect(all[0]!.link).toEqual({ type: 'withdrawal', withdrawalId: w.body.id });
    expect(all[1]!.link).toEqual({ type: 'tax', withdrawalId: w.body.id });
    expect(all[1]!.postings).toEqual(
      expect.arrayContaining([
        { account: 'reserved', amount: '-800.00', amountYunqi: -80_000 },
        { account: 'system:tax_payable', amount: '800.00', amountYunqi: 80_000 },
      ]),
    );
    expect(all[3]!.link).toEqual({ type: 'order', orderId, installment: 2 });
    expect(all[4]!.link).toEqual({ type: 'order', orderId, installment: 1 });
    // Ids strictly decrease: no entry twice, none skipped between pages.
    const ids = all.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('GET withdrawals lists newest first with a cursor', async () => {
    const a = await earner(100);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await withdraw(a, { amount: '1.00' })).body.id);
    const p1 = await get(a, '/v1/ambassadors/me/withdrawals?limit=2');
    expect(p1.body.items.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
    const p2 = await get(a, `/v1/ambassadors/me/withdrawals?limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items.map((w: { id: string }) => w.id)).toEqual([ids[0]]);
    expect(p2.body.nextCursor).toBeNull();
    await settledAll(ids);
  });
});

describe('security', () => {
  test('401 without a token or with an unknown one; tokens are stored only as hashes', async () => {
    expect((await request(app).get('/v1/ambassadors/me/balance')).status).toBe(401);
    expect((await request(app).post('/v1/ambassadors/me/withdrawals').send({ amount: '1.00' })).status).toBe(401);
    const bad = await request(app).get('/v1/ambassadors/me/ledger').set('Authorization', 'Bearer amb_nope');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('unauthorized');
    const a = await createAmbassador(ctx.sql);
    const rows = await ctx.sql<{ token_hash: string }[]>`SELECT token_hash FROM ambassadors WHERE id = ${a.id}`;
    expect(rows[0]!.token_hash).toBe(hashToken(a.token));
    expect(rows[0]!.token_hash).not.toContain(a.token);
  });

  test("404 for another ambassador's withdrawal; lists and statements show only one's own", async () => {
    const a = await earner(100);
    const b = await earner(100);
    const w = await withdraw(a, { amount: '10.00' });
    await settled(w.body.id);
    const other = await get(b, `/v1/ambassadors/me/withdrawals/${w.body.id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    expect((await get(b, '/v1/ambassadors/me/withdrawals')).body.items).toEqual([]);
    const ledger = await get(b, '/v1/ambassadors/me/ledger');
    expect(ledger.body.items.every((e: { link: { withdrawalId?: string } }) => e.link.withdrawalId !== w.body.id)).toBe(true);
    expect((await get(b, '/v1/ambassadors/me/balance')).body.paidOut.yunqi).toBe(0);
  });

  test('bodies above the size limit are refused with 413', async () => {
    const a = await earner(100);
    const res = await withdraw(a, { amount: '1.00', padding: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });

  test('money-moving POSTs are rate limited per ambassador (429), other ambassadors unaffected', async () => {
    const { createApp } = await import('../api/app');
    const limited = createApp({
      sql: ctx.sql,
      client: ctx.client,
      config: { ...ctx.config, RATE_LIMIT_PER_MINUTE: 3 },
      logger: ctx.deps.logger,
      ruleBook: ctx.deps.ruleBook,
    });
    const a = await earner(100);
    const b = await earner(100);
    const post = (x: FixtureAmbassador) =>
      request(limited).post('/v1/ambassadors/me/withdrawals').set('Authorization', x.auth).set('Idempotency-Key', key()).send({ amount: '1.00' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(a)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limitedRes = await post(a);
    expect(limitedRes.body.error.code).toBe('rate_limited');
    expect((await post(b)).status).toBe(201);
    // GETs are not limited.
    expect((await request(limited).get('/v1/ambassadors/me/balance').set('Authorization', a.auth)).status).toBe(200);
    const ids = (await ctx.sql<{ id: string }[]>`SELECT id FROM withdrawals WHERE ambassador_id IN (${a.id}, ${b.id})`).map((r) => r.id);
    await settledAll(ids);
  });

  test('the OpenAPI document describes the withdrawal routes with the Idempotency-Key header', async () => {
    const res = await request(app).get('/openapi.json');
    const post = res.body.paths['/v1/ambassadors/me/withdrawals'].post;
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true })]));
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/ambassadors/me/withdrawals/{withdrawalId}', '/v1/ambassadors/me/balance', '/v1/ambassadors/me/ledger']),
    );
  });
});
