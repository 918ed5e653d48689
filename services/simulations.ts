/**
 * What-if over past orders (POST /v1/ops/simulations; docs/operations.md "Simulations"): a
 * candidate rule set replaces the version of its id (or of its instant) or joins the others, and
 * the pure settlement (domain/settlement settleCustomer) judges, at the run's instant, every
 * customer who ordered in the period, from the facts Postgres records (loaded as the settlement
 * loads them: db/repositories/settlement.ts). Nothing is posted: the answer is each order's and
 * each ambassador's difference from what was actually settled, with its explanation.
 */
import crypto from 'node:crypto';
import { simulationProgress, startSimulation } from '../contracts/simulations/client';
import { simulationWorkflowId } from '../contracts/simulations';
import * as repo from '../db/repositories/simulations';
import { customersSettlementFacts, reportedFacts } from '../db/repositories/settlement';
import { DomainError } from '../domain/errors';
import { RuleBook, type RuleSet } from '../domain/rulesets';
import { bookWithCandidate } from '../domain/rulesets-publishing';
import { settleCustomer } from '../domain/settlement';
import { compareOrder, sideOfExplanation, type OrderDifference } from '../domain/simulation';
import type { CommissionExplanation } from '../domain/commission';
import type { OrderRow } from '../db/repositories/orders';
import { yunqiToCny } from '../domain/money';
import { nowOf, type Deps } from './deps';

const MAX_PERIOD_MS = 3 * 366 * 86_400_000;

export type SimulationRefusal = { ok: false; code: 'invalid_rule_set' | 'invalid_period'; reason: string; details?: unknown };

export async function createSimulation(
  deps: Pick<Deps, 'sql' | 'client' | 'config' | 'ruleBook' | 'now'>,
  input: { ruleSet: RuleSet; from: string; to: string; requestedBy: string; reason?: string | undefined },
): Promise<{ ok: true; simulation: repo.SimulationRow } | SimulationRefusal> {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  if (!(from < to)) return { ok: false, code: 'invalid_period', reason: `the period must end after it starts (from ${input.from}, to ${input.to})` };
  if (to - from > MAX_PERIOD_MS) return { ok: false, code: 'invalid_period', reason: 'a period is at most three years; run several' };
  let built;
  try {
    built = bookWithCandidate(deps.ruleBook.all(), input.ruleSet);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, code: 'invalid_rule_set', reason: err.message, details: err.details ?? null };
    throw err;
  }
  const id = `sim_${crypto.randomBytes(9).toString('base64url')}`;
  const simulation = await repo.insertSimulation(deps.sql, {
    id,
    requested_by: input.requestedBy,
    reason: input.reason ?? null,
    candidate: input.ruleSet,
    replaced_version: built.replaced,
    rule_sets: [...built.book.all()],
    placed_from: new Date(from),
    placed_to: new Date(to),
    judged_at: new Date(nowOf(deps)),
    workflow_id: simulationWorkflowId(id),
  });
  await startSimulation(deps.client, id, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
  return { ok: true, simulation };
}

function actualOf(row: OrderRow) {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    placedAtMs: row.placed_at.getTime(),
    ambassadorId: row.ambassador_id,
    state: row.state,
    reasonCode: row.reason_code,
    ruleSetVersion: row.rule_set_version,
    rewardYunqi: row.granted_yunqi,
    creditedYunqi: row.credited_yunqi,
    ...sideOfExplanation(row.explanation as CommissionExplanation | null),
  };
}

/** Judges one batch of customers under the run's book; answers the period's orders beside their actual settlement. */
export async function judgeCustomers(deps: Pick<Deps, 'sql'>, sim: repo.SimulationRow, book: RuleBook, customerIds: string[]): Promise<OrderDifference[]> {
  const [orders, reported] = await Promise.all([repo.ordersOf(deps.sql, customerIds), reportedFacts(deps.sql, customerIds)]);
  const customers = customerIds.map((customerId) => ({ customerId, reported: reported.get(customerId)!, rows: orders.get(customerId) ?? [] }));
  const facts = await customersSettlementFacts(deps.sql, customers);
  const from = sim.placed_from.getTime();
  const to = sim.placed_to.getTime();
  const judgedAt = sim.judged_at.getTime();
  const out: OrderDifference[] = [];
  customers.forEach((c, i) => {
    const outcomes = settleCustomer(facts[i]!, book, judgedAt);
    for (const row of c.rows) {
      const t = row.placed_at.getTime();
      if (t >= from && t < to) out.push(compareOrder(actualOf(row), outcomes.get(row.order_id)!));
    }
  });
  return out;
}

export interface SliceResult {
  done: boolean;
  customersDone: number;
  ordersDone: number;
}

/**
 * Judges batches from the run's cursor until the period is done or `budgetMs` has passed; each
 * batch's orders and the cursor after it are written together, and `checkpoint` is told (the
 * activity heartbeats it). A repeated batch (a retry after a crash) changes nothing.
 */
export async function runSlice(deps: Pick<Deps, 'sql' | 'config'>, id: string, budgetMs: number, checkpoint: (c: { cursor: string | null } & SliceResult) => void, stop: () => boolean = () => false): Promise<SliceResult> {
  const started = Date.now();
  let sim = (await repo.getSimulation(deps.sql, id))!;
  const book = new RuleBook(sim.rule_sets);
  for (;;) {
    const batch = await repo.nextCustomers(deps.sql, sim, sim.cursor, deps.config.SIMULATION_BATCH_CUSTOMERS);
    if (batch.length === 0) return { done: true, customersDone: sim.customers_done, ordersDone: sim.orders_done };
    const diffs = await judgeCustomers(deps, sim, book, batch);
    await repo.saveBatch(deps.sql, id, sim.cursor, batch[batch.length - 1]!, batch.length, diffs);
    sim = (await repo.getSimulation(deps.sql, id))!;
    if (sim.status !== 'running') return { done: true, customersDone: sim.customers_done, ordersDone: sim.orders_done };
    const progress = { done: false, customersDone: sim.customers_done, ordersDone: sim.orders_done };
    checkpoint({ cursor: sim.cursor, ...progress });
    if (Date.now() - started >= budgetMs || stop()) return progress;
  }
}

export async function finishSimulation(deps: Pick<Deps, 'sql'>, id: string): Promise<repo.SimulationTotals> {
  const totals = await repo.computeTotals(deps.sql, id);
  await repo.finishSimulation(deps.sql, id, { totals });
  return totals;
}

export const failSimulation = (deps: Pick<Deps, 'sql'>, id: string, error: string) => repo.finishSimulation(deps.sql, id, { error });

const money = (yunqi: number) => ({ yunqi, cny: yunqiToCny(yunqi) });

/** A run as ops see it: the request, where it stands (its workflow's progress query while it runs), and the totals. */
export async function simulationView(deps: Pick<Deps, 'sql' | 'client'>, id: string) {
  const sim = await repo.getSimulation(deps.sql, id);
  if (!sim) return null;
  const progress = sim.status === 'running' ? await simulationProgress(deps.client, id) : null;
  const t = sim.totals;
  return {
    id: sim.id,
    status: sim.status,
    requestedBy: sim.requested_by,
    reason: sim.reason,
    candidateVersion: sim.candidate.version,
    replacedVersion: sim.replaced_version,
    period: { from: sim.placed_from.toISOString(), to: sim.placed_to.toISOString() },
    judgedAt: sim.judged_at.toISOString(),
    workflowId: sim.workflow_id,
    progress: {
      customersTotal: sim.customers_total,
      customersDone: Math.max(sim.customers_done, progress?.customersDone ?? 0),
      ordersDone: Math.max(sim.orders_done, progress?.ordersDone ?? 0),
      fraction: sim.customers_total ? Math.min(1, sim.customers_done / sim.customers_total) : sim.status === 'completed' ? 1 : 0,
    },
    totals: t
      ? {
          orders: t.orders,
          changedOrders: t.changedOrders,
          actual: money(t.actualYunqi),
          simulated: money(t.simulatedYunqi),
          difference: money(t.deltaYunqi),
          creditedDifference: money(t.deltaCreditedYunqi),
          ambassadors: t.ambassadors,
          changedAmbassadors: t.changedAmbassadors,
        }
      : null,
    error: sim.error,
    createdAt: sim.created_at.toISOString(),
    completedAt: sim.completed_at?.toISOString() ?? null,
  };
}

/** The orders the candidate changes, each with both sides and the explanation (a page in order-id order). */
export async function simulatedOrders(deps: Pick<Deps, 'sql'>, id: string, page: { limit: number; after?: string | undefined }) {
  if (!(await repo.getSimulation(deps.sql, id))) return null;
  return (await repo.changedOrders(deps.sql, id, page)).map((o) => ({
    orderId: o.order_id,
    customerId: o.customer_id,
    placedAt: o.placed_at.toISOString(),
    difference: money(o.delta_yunqi),
    actual: o.detail.actual,
    simulated: o.detail.simulated,
    explanation: o.detail.explanation,
  }));
}

/** Per ambassador: what the period's orders were actually granted and what the candidate grants, largest difference first. */
export async function simulatedAmbassadors(deps: Pick<Deps, 'sql'>, id: string, page: { limit: number; after?: [number, string] | undefined; changedOnly: boolean }) {
  if (!(await repo.getSimulation(deps.sql, id))) return null;
  return (await repo.ambassadorDifferences(deps.sql, id, page)).map((a) => ({
    ambassadorId: a.ambassador_id,
    orders: a.orders,
    actual: money(a.actual_yunqi),
    simulated: money(a.simulated_yunqi),
    difference: money(a.delta_yunqi),
    explanation: `${a.orders} order(s) of the period: granted ${yunqiToCny(a.actual_yunqi)} CNY as settled, ${yunqiToCny(a.simulated_yunqi)} CNY under the candidate`,
  }));
}
