/**
 * Settled orders in bulk, for the what-if test and `npm run bench:simulation`: ambassadors,
 * customers associated with them, and their prepaid orders, settled by the pure model
 * (settleCustomer under the given book at `nowMs`) and written as the settlement writes its rows,
 * thousands per statement. Deterministic for a seed. Nothing is posted to the ledger (a what-if
 * run reads the order rows, not the entries).
 */
import type { Sql } from '../../db/client';
import { LEVELS, type Level, type RuleBook } from '../../domain/rulesets';
import { settleCustomer, type CustomerSettlementFacts, type PlacedOrder } from '../../domain/settlement';
import { yunqiToCny } from '../../domain/money';

const DAY = 86_400_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BulkOptions {
  prefix: string;
  customers: number;
  ordersPerCustomer: number;
  ambassadors: number;
  /** Associations start in [fromMs, toMs); orders follow within 30 days. */
  fromMs: number;
  toMs: number;
  book: RuleBook;
  nowMs: number;
  seed?: number;
}

async function insertRows(sql: Sql, table: string, columns: string, types: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await sql.unsafe(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS x(${types})`, [chunk as never]);
  }
}

/** Seeds the rows; answers how many orders and the yunqi they were granted. */
export async function seedSettledOrders(sql: Sql, o: BulkOptions): Promise<{ orders: number; grantedYunqi: number }> {
  const rand = rng(o.seed ?? 20240601);
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const ambassadors = Array.from({ length: o.ambassadors }, (_, i) => ({ id: `${o.prefix}-amb-${i}`, level: LEVELS[int(LEVELS.length - 1)] as Level }));
  const joinedAt = new Date(o.fromMs - 30 * DAY).toISOString();
  await insertRows(
    sql,
    'ambassadors',
    'id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version',
    'id text, usercode text, account_id text, kind text, display_name text, real_name_verified boolean, token_hash text, joined_at timestamptz, rule_set_version text',
    ambassadors.map((a) => ({ id: a.id, usercode: `u${a.id.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 32), account_id: `acct-${a.id}`, kind: 'individual', display_name: a.id, real_name_verified: true, token_hash: `h-${a.id}`, joined_at: joinedAt, rule_set_version: o.book.at(o.fromMs).version })),
  );
  await insertRows(sql, 'ambassador_levels', 'ambassador_id, effective_at, level, set_by', 'ambassador_id text, effective_at timestamptz, level text, set_by text', ambassadors.map((a) => ({ ambassador_id: a.id, effective_at: joinedAt, level: a.level, set_by: 'seed' })));

  const customers: Record<string, unknown>[] = [];
  const associations: Record<string, unknown>[] = [];
  const orders: Record<string, unknown>[] = [];
  let granted = 0;
  for (let c = 0; c < o.customers; c++) {
    const customerId = `${o.prefix}-cust-${String(c).padStart(7, '0')}`;
    const amb = ambassadors[int(ambassadors.length - 1)]!;
    const startedAtMs = o.fromMs + Math.floor(rand() * (o.toMs - o.fromMs));
    const associationId = `${o.prefix}-as-${c}`;
    const endsAtMs = startedAtMs + o.book.at(startedAtMs).associationWindowDays * DAY;
    const placed: PlacedOrder[] = Array.from({ length: o.ordersPerCustomer }, (_, k) => ({
      orderId: `${customerId}-o${k}`,
      placedAtMs: startedAtMs + 60_000 + Math.floor(rand() * 29 * DAY),
      paidYunqi: (50 + int(4950)) * 100,
      billing: 'prepaid',
      productCode: 'ecs',
      productCategory: rand() < 0.2 ? 'strategic' : 'core',
      orderType: k === 0 ? 'new' : rand() < 0.3 ? 'renewal' : 'new',
      cartId: null,
      excludedChannel: false,
    }));
    const facts: CustomerSettlementFacts = {
      customerId,
      reported: { firstPaidPurchaseAt: null, lastConsumptionAt: null, firstPaygUseAt: null, payAsYouGoBeforeFirstPurchase: false, sameEntityHasPaidHistory: false },
      orders: placed,
      refunds: [],
      findings: [],
      associations: [{ associationId, ambassadorId: amb.id, startedAtMs, endsAtMs }],
      ambassadors: new Map([[amb.id, { id: amb.id, accountId: `acct-${amb.id}`, kind: 'individual' as const, levels: [{ level: amb.level, effectiveAtMs: Date.parse(joinedAt) }] }]]),
      identity: [],
    };
    const outcomes = settleCustomer(facts, o.book, o.nowMs);
    customers.push({ id: customerId });
    associations.push({ id: associationId, customer_id: customerId, ambassador_id: amb.id, started_at: new Date(startedAtMs).toISOString(), ends_at: new Date(endsAtMs).toISOString(), workflow_id: `customer:${customerId}` });
    for (const p of placed) {
      const out = outcomes.get(p.orderId)!;
      granted += out.rewardYunqi;
      const body = { orderId: p.orderId, customerId, productCode: p.productCode, productCategory: p.productCategory, paidAmount: yunqiToCny(p.paidYunqi), billing: p.billing, orderType: p.orderType, placedAt: new Date(p.placedAtMs).toISOString() };
      orders.push({
        order_id: p.orderId,
        customer_id: customerId,
        body_hash: 'bulk',
        body,
        placed_at: body.placedAt,
        ambassador_id: out.assessment.ambassadorId,
        association_id: out.assessment.associationId,
        state: out.state,
        reason_code: out.reasonCode,
        rule_set_version: out.assessment.ruleSetVersion,
        paid_yunqi: p.paidYunqi,
        reward_yunqi: out.rewardYunqi,
        granted_yunqi: out.rewardYunqi,
        credited_yunqi: out.creditedYunqi,
        explanation: out.assessment.commission,
        workflow_id: `order:${p.orderId}`,
      });
    }
  }
  await insertRows(sql, 'customers', 'id', 'id text', customers);
  await insertRows(sql, 'associations', 'id, customer_id, ambassador_id, started_at, ends_at, workflow_id', 'id text, customer_id text, ambassador_id text, started_at timestamptz, ends_at timestamptz, workflow_id text', associations);
  await insertRows(
    sql,
    'orders',
    'order_id, customer_id, body_hash, body, placed_at, ambassador_id, association_id, state, reason_code, rule_set_version, paid_yunqi, reward_yunqi, granted_yunqi, credited_yunqi, explanation, workflow_id',
    'order_id text, customer_id text, body_hash text, body jsonb, placed_at timestamptz, ambassador_id text, association_id text, state text, reason_code text, rule_set_version text, paid_yunqi bigint, reward_yunqi bigint, granted_yunqi bigint, credited_yunqi bigint, explanation jsonb, workflow_id text',
    orders,
  );
  return { orders: orders.length, grantedYunqi: granted };
}
