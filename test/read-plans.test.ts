/**
 * The read endpoints and the settlement stay fast as the data grows (issue 16: p99 < 50 ms at
 * 100,000 customers and 200,000 orders): on a database seeded with enough rows that a full scan
 * would cost, every statement the ambassador and ops read endpoints run, and every statement a
 * whole order settlement runs, is EXPLAINed, and none reads a large table sequentially; the
 * paginated lists read their page in index order (keyset pagination: no sort of the ambassador's
 * rows, the next page starts where the index left off).
 */
import request from 'supertest';
import type { Express } from 'express';
import type { Sql } from '../db/client';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';

let ctx: TestContext;
let app: Express;
useTestApp((x) => ({ ctx, app } = x));

const AMBASSADORS = 400;
const CUSTOMERS = 12_000; // one association each, two orders each
const BIG = 2_000; // customers of pa7
const TOKEN_PREFIX = 'amb_plan_token_';
const TOKEN = (a: number) => `${TOKEN_PREFIX}${a}`; // stored as its sha256 (lib/tokens.ts hashToken)

const TAX = { table: 'labour_remuneration', monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, monthGrossYunqi: 10000, monthTaxYunqi: 0, taxableYunqi: 0, bracket: { n: 0, rate: '0', quickDeductionYunqi: 0 } };

/** Rows enough that a sequential scan of any of these tables costs more than its index; one
 * ambassador (pa7, the one the tests read) has many more customers than the others. */
async function seed(sql: Sql): Promise<void> {
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    SELECT 'pa' || g, 'puc' || g, 'pacct' || g, 'individual', 'Plan ' || g, true, encode(sha256(convert_to(${TOKEN_PREFIX} || g, 'UTF8')), 'hex'),
           now() - interval '400 days', '2024-06-01'
      FROM generate_series(1, ${AMBASSADORS}) g`;
  await sql`INSERT INTO ambassador_levels (ambassador_id, effective_at, level, set_by) SELECT 'pa' || g, now() - interval '400 days', 'L1', 'join' FROM generate_series(1, ${AMBASSADORS}) g`;
  await sql`CREATE TABLE plan_seed AS SELECT g, 'pc' || g AS customer, CASE WHEN g <= ${BIG} THEN 'pa7' ELSE 'pa' || (g % ${AMBASSADORS} + 1) END AS amb FROM generate_series(1, ${CUSTOMERS}) g`;
  await sql`INSERT INTO customers (id) SELECT customer FROM plan_seed`;
  await sql`INSERT INTO identity_attributes (subject_kind, subject_id, attr, value_hash, valid_from) SELECT 'customer', customer, 'linked_account', md5(customer), now() - interval '300 days' FROM plan_seed`;
  await sql`
    INSERT INTO associations (id, customer_id, ambassador_id, started_at, ends_at, workflow_id, usercode, rule_set_version, last_click_at, last_seq)
    SELECT 'pas' || g, customer, amb, now() - g * interval '10 minutes', now() - g * interval '10 minutes' + interval '60 days',
           'customer:' || customer, 'puc' || substr(amb, 3), '2024-06-01', now() - g * interval '10 minutes', 2
      FROM plan_seed`;
  await sql`
    INSERT INTO association_events (customer_id, seq, kind, at, ambassador_id, association_id, detail, click_id, workflow_id)
    SELECT customer, s, CASE s WHEN 1 THEN 'click' ELSE 'associated' END, now() - g * interval '10 minutes', amb, 'pas' || g, '{}', 'pclick' || g, 'customer:' || customer
      FROM plan_seed CROSS JOIN generate_series(1, 2) s`;
  await sql`
    INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, ambassador_id, association_id, state, workflow_id, paid_yunqi, granted_yunqi, reward_yunqi, credited_yunqi)
    SELECT 'po' || g || '-' || k, customer, 'h', '{}', now() - g * interval '10 minutes' + k * interval '1 minute', amb, 'pas' || g,
           'completed', 'order:po' || g || '-' || k, 500000, 125000, 125000, 125000
      FROM plan_seed CROSS JOIN generate_series(1, 2) k`;
  await sql`INSERT INTO cap_usage (association_id, customer_id, paid_used_yunqi, reward_used_yunqi) SELECT 'pas' || g, customer, 1000000, 250000 FROM plan_seed`;
  await sql`INSERT INTO cap_reservations (order_id, association_id, paid_yunqi, reward_yunqi, computation) SELECT order_id, association_id, 500000, 125000, '{}' FROM orders`;
  await sql`
    INSERT INTO order_events (order_id, key, kind, at, summary)
    SELECT o.order_id, e, e, o.placed_at, e FROM orders o CROSS JOIN unnest(ARRAY['placed', 'attributed', 'commission']) e`;
  // A grant per order, and a credit per order of pa7, in placement order (through the apply
  // trigger: balances follow).
  await sql`
    WITH acc AS (
      SELECT a.id AS amb, ledger_system_account_id('rewards_expense', a.id) AS expense,
             (SELECT id FROM ledger_accounts WHERE ambassador_id = a.id AND kind = 'pending') AS pending,
             (SELECT id FROM ledger_accounts WHERE ambassador_id = a.id AND kind = 'available') AS available
        FROM ambassadors a)
    INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, order_id, account_ids, amounts)
    SELECT 'plan:' || o.order_id || ':' || x.kind, x.kind, o.ambassador_id, o.order_id,
           CASE WHEN x.a < x.b THEN ARRAY[x.a, x.b] ELSE ARRAY[x.b, x.a] END,
           CASE WHEN x.a < x.b THEN ARRAY[-125000, 125000]::bigint[] ELSE ARRAY[125000, -125000]::bigint[] END
      FROM orders o JOIN acc ON acc.amb = o.ambassador_id
      CROSS JOIN LATERAL (VALUES ('reward.granted', acc.expense, acc.pending), ('reward.credited', acc.pending, acc.available)) AS x(kind, a, b)
     WHERE x.kind = 'reward.granted' OR o.ambassador_id = 'pa7'
     ORDER BY o.placed_at, x.kind DESC`;
  await sql`
    INSERT INTO withdrawals (id, ambassador_id, gross_yunqi, tax_yunqi, net_yunqi, tax_month, status, rule_set_version, tax_explanation, workflow_id, requested_at)
    SELECT 'pw' || a || '-' || k, 'pa' || a, 10000, 0, 10000, '2024-07', 'reserved', '2024-06-01', ${sql.json(TAX as never)}, 'withdrawal:pw' || a || '-' || k, now() - k * interval '1 hour'
      FROM generate_series(1, ${AMBASSADORS}) a CROSS JOIN generate_series(1, CASE WHEN a = 7 THEN 2000 ELSE 20 END) k`;
  await sql`DROP TABLE plan_seed`;
  await sql`ANALYZE`;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

type Page = { items: unknown[]; nextCursor: string | null };

interface Statement {
  text: string;
  params: unknown[];
}

/** The statements `work` runs on the test's pool (the API's and the worker's), those EXPLAIN
 * takes (reads and writes, not transaction control), with their parameters, in order. */
async function captured<T>(work: () => Promise<T>): Promise<{ statements: Statement[]; result: T }> {
  const statements: Statement[] = [];
  // postgres.js reads its debug hook at each query from the options the pool was made with.
  const options = (ctx.sql as unknown as { options: { debug?: unknown } }).options;
  options.debug = (_conn: number, text: string, params: unknown[]) => {
    if (/^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(text) && !/pg_advisory/.test(text)) statements.push({ text, params });
  };
  try {
    return { statements, result: await work() };
  } finally {
    delete options.debug;
  }
}

/** The SELECTs an HTTP call runs. */
async function statementsOf(call: () => Promise<request.Response>): Promise<{ statements: Statement[]; status: number; body: Page }> {
  const { statements, result: res } = await captured(call);
  return { statements: statements.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.text)), status: res.status, body: res.body as Page };
}

/** Each statement's plan: its scans, and whether it sorts. */
async function plans(statements: Statement[]) {
  const out: { text: string; page: boolean; scans: string[]; sorts: boolean; seqScans: string[] }[] = [];
  for (const s of statements) {
    const [row] = await ctx.sql.unsafe(`EXPLAIN (FORMAT JSON) ${s.text}`, s.params as never[]);
    const plan = (row as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
    const all = nodes(plan);
    out.push({
      text: s.text.replace(/\s+/g, ' ').slice(0, 160),
      page: /\bLIMIT\b/.test(s.text),
      scans: all.filter((n) => n['Relation Name']).map((n) => `${n['Node Type']} ${n['Relation Name']}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`),
      sorts: all.some((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort'),
      seqScans: all.filter((n) => n['Node Type'] === 'Seq Scan' && large.has(n['Relation Name']!)).map((n) => n['Relation Name']!),
    });
  }
  return out;
}

let large: Set<string>;

beforeAll(async () => {
  await seed(ctx.sql);
  const rows = await ctx.sql<{ relname: string }[]>`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples > 2000`;
  large = new Set(rows.map((r) => r.relname));
  // outbox_pending: the seed writes events straight in, and no delivery round takes them here.
  expect([...large].sort()).toEqual(['association_events', 'associations', 'cap_reservations', 'cap_usage', 'customers', 'identity_attributes', 'journal_entries', 'order_events', 'orders', 'outbox_events', 'outbox_pending', 'withdrawals']);
}, 300_000);

const amb = `Bearer ${TOKEN(7)}`;
const ops = () => `Bearer ${ctx.config.OPS_TOKEN}`;

test.each([
  ['/v1/ambassadors/me/orders', 'orders'],
  ['/v1/ambassadors/me/ledger', 'journal_entries'],
  ['/v1/ambassadors/me/withdrawals', 'withdrawals'],
  ['/v1/ambassadors/me/customers', 'associations'],
])('GET %s: index scans only, each page read in index order (keyset)', async (path, table) => {
  const first = await statementsOf(() => request(app).get(`${path}?limit=20`).set('authorization', amb));
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(20);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await statementsOf(() => request(app).get(`${path}?limit=20&cursor=${encodeURIComponent(first.body.nextCursor!)}`).set('authorization', amb));
  expect(second.status).toBe(200);
  expect(second.body.items).toHaveLength(20);
  for (const page of [first, second]) {
    const p = await plans(page.statements);
    expect(p.flatMap((s) => s.seqScans.map((t) => `${t} in ${s.text}`))).toEqual([]);
    // The page itself (the statement with the LIMIT): read from the index in order, no sort.
    const list = p.filter((s) => s.page && s.scans.some((x) => x.includes(` ${table} `)));
    expect(list).toHaveLength(1);
    const own = list[0]!.scans.filter((x) => x.includes(` ${table} `));
    expect([list[0]!.text, list[0]!.sorts, own.every((x) => /^Index( Only)? Scan/.test(x))]).toEqual([list[0]!.text, false, true]);
  }
});

test.each([
  ['/v1/ops/orders/po1234-1', 'orders'],
  ['/v1/ops/customers/pc1234/association', 'associations'],
])('GET %s: index scans only', async (path) => {
  const r = await statementsOf(() => request(app).get(path).set('authorization', ops()));
  expect(r.status).toBe(200);
  const p = await plans(r.statements);
  expect(p.length).toBeGreaterThan(0);
  expect(p.flatMap((s) => s.seqScans.map((t) => `${t} in ${s.text}`))).toEqual([]);
});

test('a whole order settlement (placement, both installments) reads every large table by index', async () => {
  const service = (r: request.Test) => r.set('authorization', `Bearer ${ctx.config.SERVICE_TOKEN}`);
  const customerId = `pc-settle-${Date.now()}`;
  expect((await service(request(app).put(`/v1/customers/${customerId}`)).send({})).status).toBe(200);
  expect((await service(request(app).post('/v1/clicks')).send({ customerId, usercode: 'puc7', clickId: `${customerId}-click` })).status).toBe(202);
  const orderId = `po-settle-${Date.now()}`;
  const { statements, result } = await captured(async () => {
    const res = await service(request(app).post('/v1/orders')).send({
      orderId, customerId, productCode: 'ecs.g7.large', productCategory: 'core', paidAmount: '5000.00', billing: 'prepaid', orderType: 'new', placedAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    return ctx.client.workflow.getHandle(`order:${orderId}`).result(); // the test server skips the waits
  });
  expect((result as { state: string }).state).toBe('completed');
  const p = await plans(statements);
  expect(p.length).toBeGreaterThan(10);
  expect(p.flatMap((s) => s.seqScans.map((t) => `${t} in ${s.text}`))).toEqual([]);
});
