/**
 * What-if runs (033_simulations.sql): the run's row, the customers of its period in batches, each
 * batch's orders written with the cursor that follows them, and the totals read back at the end.
 */
import type { Sql } from '../client';
import type { OrderDifference } from '../../domain/simulation';
import type { RuleSet } from '../../domain/rulesets';
import type { OrderRow } from './orders';

export interface SimulationRow {
  id: string;
  requested_by: string;
  reason: string | null;
  candidate: RuleSet;
  replaced_version: string | null;
  rule_sets: RuleSet[];
  placed_from: Date;
  placed_to: Date;
  judged_at: Date;
  status: 'running' | 'completed' | 'failed';
  customers_total: number | null;
  customers_done: number;
  orders_done: number;
  cursor: string | null;
  totals: SimulationTotals | null;
  error: string | null;
  workflow_id: string;
  created_at: Date;
  completed_at: Date | null;
}

export interface SimulationTotals {
  orders: number;
  changedOrders: number;
  actualYunqi: number;
  simulatedYunqi: number;
  deltaYunqi: number;
  deltaCreditedYunqi: number;
  ambassadors: number;
  changedAmbassadors: number;
}

export async function insertSimulation(sql: Sql, s: Pick<SimulationRow, 'id' | 'requested_by' | 'reason' | 'candidate' | 'replaced_version' | 'rule_sets' | 'placed_from' | 'placed_to' | 'judged_at' | 'workflow_id'>): Promise<SimulationRow> {
  const [row] = await sql<SimulationRow[]>`
    INSERT INTO simulations (id, requested_by, reason, candidate, replaced_version, rule_sets, placed_from, placed_to, judged_at, workflow_id)
    VALUES (${s.id}, ${s.requested_by}, ${s.reason}, ${sql.json(s.candidate as never)}, ${s.replaced_version}, ${sql.json(s.rule_sets as never)},
            ${s.placed_from}, ${s.placed_to}, ${s.judged_at}, ${s.workflow_id})
    RETURNING *`;
  return row!;
}

export async function getSimulation(sql: Sql, id: string): Promise<SimulationRow | undefined> {
  const [row] = await sql<SimulationRow[]>`SELECT * FROM simulations WHERE id = ${id}`;
  return row;
}

/** Counts the customers with an order (not failed) placed in the period, once. */
export async function countCustomers(sql: Sql, id: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    UPDATE simulations s SET customers_total = coalesce(s.customers_total, (
      SELECT count(DISTINCT o.customer_id)::int FROM orders o WHERE o.placed_at >= s.placed_from AND o.placed_at < s.placed_to AND o.failure IS NULL))
     WHERE s.id = ${id} RETURNING customers_total AS n`;
  return row?.n ?? 0;
}

/** The next customers of the period after `cursor`, in id order. */
export async function nextCustomers(sql: Sql, s: Pick<SimulationRow, 'placed_from' | 'placed_to'>, cursor: string | null, limit: number): Promise<string[]> {
  const rows = await sql<{ customer_id: string }[]>`
    SELECT DISTINCT customer_id FROM orders
     WHERE placed_at >= ${s.placed_from} AND placed_at < ${s.placed_to} AND failure IS NULL ${cursor === null ? sql`` : sql`AND customer_id > ${cursor}`}
     ORDER BY customer_id LIMIT ${limit}`;
  return rows.map((r) => r.customer_id);
}

/** Every order (not failed) of the customers, by customer, in placement order. */
export async function ordersOf(sql: Sql, customerIds: string[]): Promise<Map<string, OrderRow[]>> {
  const out = new Map<string, OrderRow[]>();
  if (customerIds.length === 0) return out;
  const rows = await sql<OrderRow[]>`SELECT * FROM orders WHERE customer_id IN ${sql(customerIds)} AND failure IS NULL ORDER BY customer_id, placed_at, order_id`;
  for (const r of rows) {
    const list = out.get(r.customer_id);
    if (list) list.push(r);
    else out.set(r.customer_id, [r]);
  }
  return out;
}

/** Writes a batch's orders and moves the cursor past its customers, in one transaction (a repeat overwrites the same rows). */
export async function saveBatch(sql: Sql, id: string, after: string | null, cursor: string, customers: number, diffs: OrderDifference[]): Promise<boolean> {
  return (await sql.begin(async (tx) => {
    const moved = await tx`UPDATE simulations SET cursor = ${cursor}, customers_done = customers_done + ${customers}, orders_done = orders_done + ${diffs.length}
                            WHERE id = ${id} AND status = 'running' AND cursor IS NOT DISTINCT FROM ${after} RETURNING 1`;
    if (moved.length === 0) return false; // another attempt did this batch already
    if (diffs.length === 0) return true;
    const rows = diffs.map((d) => ({
      order_id: d.orderId,
      customer_id: d.customerId,
      placed_at: new Date(d.placedAtMs).toISOString(),
      actual_ambassador_id: d.actual.ambassadorId,
      simulated_ambassador_id: d.simulated.ambassadorId,
      actual_yunqi: d.actual.rewardYunqi,
      simulated_yunqi: d.simulated.rewardYunqi,
      delta_yunqi: d.deltaYunqi,
      delta_credited_yunqi: d.deltaCreditedYunqi,
      changed: d.changed,
      detail: d.changed ? { actual: d.actual, simulated: d.simulated, explanation: d.explanation } : null,
    }));
    await tx`
      INSERT INTO simulation_orders (simulation_id, order_id, customer_id, placed_at, actual_ambassador_id, simulated_ambassador_id,
                                     actual_yunqi, simulated_yunqi, delta_yunqi, delta_credited_yunqi, changed, detail)
      SELECT ${id}, x.order_id, x.customer_id, x.placed_at::timestamptz, x.actual_ambassador_id, x.simulated_ambassador_id,
             x.actual_yunqi, x.simulated_yunqi, x.delta_yunqi, x.delta_credited_yunqi, x.changed, x.detail
        FROM jsonb_to_recordset(${tx.json(rows as never)}) AS x(order_id text, customer_id text, placed_at text, actual_ambassador_id text,
             simulated_ambassador_id text, actual_yunqi bigint, simulated_yunqi bigint, delta_yunqi bigint, delta_credited_yunqi bigint,
             changed boolean, detail jsonb)
      ON CONFLICT (simulation_id, order_id) DO NOTHING`;
    return true;
  })) as boolean;
}

/** Per-ambassador sums: what the ambassador was actually granted for the period's orders and what the candidate grants. */
export interface AmbassadorDifference {
  ambassador_id: string;
  orders: number;
  actual_yunqi: number;
  simulated_yunqi: number;
  delta_yunqi: number;
}

export async function ambassadorDifferences(sql: Sql, id: string, opts: { limit: number; changedOnly: boolean; after?: [number, string] | undefined }): Promise<AmbassadorDifference[]> {
  return sql<AmbassadorDifference[]>`
    WITH sides AS (
      SELECT actual_ambassador_id AS ambassador_id, actual_yunqi AS actual, 0::bigint AS simulated, 1 AS n FROM simulation_orders WHERE simulation_id = ${id} AND actual_ambassador_id IS NOT NULL
      UNION ALL
      SELECT simulated_ambassador_id, 0, simulated_yunqi, CASE WHEN simulated_ambassador_id IS DISTINCT FROM actual_ambassador_id THEN 1 ELSE 0 END
        FROM simulation_orders WHERE simulation_id = ${id} AND simulated_ambassador_id IS NOT NULL),
    per AS (
      SELECT ambassador_id, sum(n)::int AS orders, sum(actual)::bigint AS actual_yunqi, sum(simulated)::bigint AS simulated_yunqi,
             (sum(simulated) - sum(actual))::bigint AS delta_yunqi FROM sides GROUP BY ambassador_id)
    SELECT * FROM per
     WHERE (${!opts.changedOnly} OR delta_yunqi <> 0)
       ${opts.after ? sql`AND (abs(delta_yunqi), ambassador_id) < (${opts.after[0]}::bigint, ${opts.after[1]})` : sql``}
     ORDER BY abs(delta_yunqi) DESC, ambassador_id DESC LIMIT ${opts.limit}`;
}

export async function computeTotals(sql: Sql, id: string): Promise<SimulationTotals> {
  const [t] = await sql<Omit<SimulationTotals, 'ambassadors' | 'changedAmbassadors'>[]>`
    SELECT count(*)::int AS orders, count(*) FILTER (WHERE changed)::int AS "changedOrders",
           coalesce(sum(actual_yunqi), 0)::bigint AS "actualYunqi", coalesce(sum(simulated_yunqi), 0)::bigint AS "simulatedYunqi",
           coalesce(sum(delta_yunqi), 0)::bigint AS "deltaYunqi", coalesce(sum(delta_credited_yunqi), 0)::bigint AS "deltaCreditedYunqi"
      FROM simulation_orders WHERE simulation_id = ${id}`;
  const all = await ambassadorDifferences(sql, id, { limit: 1_000_000_000, changedOnly: false });
  return { ...t!, ambassadors: all.length, changedAmbassadors: all.filter((a) => a.delta_yunqi !== 0).length };
}

export async function finishSimulation(sql: Sql, id: string, outcome: { totals: SimulationTotals } | { error: string }): Promise<void> {
  if ('totals' in outcome) {
    await sql`UPDATE simulations SET status = 'completed', totals = ${sql.json(outcome.totals as never)}, completed_at = now() WHERE id = ${id} AND status = 'running'`;
  } else {
    await sql`UPDATE simulations SET status = 'failed', error = ${outcome.error}, completed_at = now() WHERE id = ${id} AND status = 'running'`;
  }
}

export interface SimulatedOrderRow {
  order_id: string;
  customer_id: string;
  placed_at: Date;
  delta_yunqi: number;
  detail: { actual: unknown; simulated: unknown; explanation: string };
}

/** The orders the candidate changes, in id order after `after`. */
export async function changedOrders(sql: Sql, id: string, opts: { limit: number; after?: string | undefined }): Promise<SimulatedOrderRow[]> {
  return sql<SimulatedOrderRow[]>`
    SELECT order_id, customer_id, placed_at, delta_yunqi, detail FROM simulation_orders
     WHERE simulation_id = ${id} AND changed ${opts.after ? sql`AND order_id > ${opts.after}` : sql``}
     ORDER BY order_id LIMIT ${opts.limit}`;
}
