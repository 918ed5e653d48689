/**
 * The first settlement step of an order: it records the order, attributes it (R-ATTR-5), checks
 * same person (R-SAME-1), classifies the customer and the order (R-CUST-*, R-ORD-1/2), computes
 * the commission while reserving cap room atomically under a row lock on the association's usage
 * (R-ORD-6/7), grants the reward to the ambassador's pending account and plans the crediting.
 * Idempotent: a retry returns the stored decision.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../contracts/errors';
import type { OrderPlaced, OrderSnapshot, OrderState, TimelineEvent } from '../../contracts/orders';
import type { Attribution } from '../../contracts/associations';
import { classifyCustomer, orderEligibility } from '../../domain/classify';
import { computeCommission, type CommissionInput } from '../../domain/commission';
import { creditingPlan, creditingSchedule } from '../../domain/crediting';
import { cnyToYunqi, yunqiToCny } from '../../domain/money';
import type { RuleSet } from '../../domain/rulesets';
import type { Sql } from '../../db/client';
import { customerFacts, recordPurchaseFacts } from '../../db/repositories/customers';
import { isSamePerson } from '../../db/repositories/identity';
import * as orders from '../../db/repositories/orders';
import { ambassador, postEntry, system } from '../../ledger';
import { attributeOrder } from '../associations';
import type { Deps } from '../deps';
import { event, iso } from './timeline';

export interface AssessInput {
  order: OrderPlaced;
  bodyHash: string;
  workflowId: string;
  runId: string;
  nowMs: number;
}

/** First purchases: none paid before this one, or paid together with the first (R-ORD-8). */
async function isFirstPurchase(sql: Sql, order: OrderPlaced, placedAtMs: number): Promise<boolean> {
  const key = { customerId: order.customerId, orderId: order.orderId, placedAtMs, cartId: order.cartId ?? null };
  if ((await orders.earlierPrepaidOrders(sql, key)) > 0) return false;
  const facts = await customerFacts(sql, order.customerId);
  if (facts.firstPaidPurchaseAt == null || facts.firstPaidPurchaseAt >= placedAtMs) return true;
  // Paid history before this order: still a first purchase when it is a sibling in the first cart.
  if (!order.cartId) return false;
  return (await orders.cartOrdersUpTo(sql, { customerId: order.customerId, cartId: order.cartId, atMs: facts.firstPaidPurchaseAt })) > 0;
}

function attributedEvent(a: Extract<Attribution, { associated: true }>, atMs: number): TimelineEvent {
  return event('attributed', 'attributed', atMs, `attributed to ambassador ${a.ambassadorId} (level ${a.level}) through association ${a.associationId}`, {
    ambassadorId: a.ambassadorId,
    associationId: a.associationId,
    associationStartedAt: iso(a.associationStartedAt),
    associationEndsAt: iso(a.associationEndsAt),
    level: a.level,
    associationWorkflowId: a.workflowId,
  });
}

export async function assessOrder(deps: Pick<Deps, 'sql' | 'client' | 'ruleBook'>, input: AssessInput): Promise<OrderSnapshot> {
  const { sql, ruleBook } = deps;
  const { order } = input;
  const placedAtMs = Date.parse(order.placedAt);
  const paidYunqi = cnyToYunqi(order.paidAmount);
  const existing = await orders.insertOrder(sql, { order, bodyHash: input.bodyHash, workflowId: input.workflowId, runId: input.runId, paidYunqi });
  if (existing.body_hash !== input.bodyHash) {
    throw ApplicationFailure.nonRetryable(`order ${order.orderId} was recorded with a different body`, FailureType.orderConflict);
  }
  if (existing.state !== 'received') return orders.snapshot((await orders.getOrder(sql, order.orderId))!, await orders.orderEvents(sql, order.orderId));

  // Purchase facts this system sees (first paid purchase, pay-as-you-go use: R-CUST-1, R-CUST-4).
  await recordPurchaseFacts(sql, order.customerId, order.billing === 'prepaid' ? { paidPurchaseAtMs: placedAtMs } : { paygUseAtMs: placedAtMs });

  const events: TimelineEvent[] = [
    event('placed', 'placed', placedAtMs, `order placed: ${order.productCode} (${order.productCategory}), paid ${order.paidAmount} CNY, ${order.billing}, ${order.orderType}`, {
      cartId: order.cartId ?? null,
    }),
  ];
  const finish = (state: OrderState, reasonCode: string | null, extra: Partial<orders.OrderRow> = {}) =>
    sql.begin(async (t) => {
      const tx = t as unknown as Sql;
      const row = await orders.lockOrder(tx, order.orderId);
      Object.assign(row, extra, { state });
      await orders.saveAssessment(tx, row, { reasonCode });
      await orders.recordEvents(tx, order.orderId, events);
      return orders.snapshot(row, events);
    }) as Promise<OrderSnapshot>;

  const ruleSet: RuleSet = ruleBook.at(placedAtMs); // R-ORD-9: the rules in force when placed
  const attribution = await attributeOrder(deps, { customerId: order.customerId, placedAtMs });
  if (!attribution.associated) {
    events.push(event('not_attributed', 'not_attributed', input.nowMs, `no reward: ${attribution.reason}`, { reasonCode: attribution.reasonCode }));
    return finish('not_attributed', attribution.reasonCode, { rule_set_version: ruleSet.version });
  }
  const assoc = {
    ambassador_id: attribution.ambassadorId,
    association_id: attribution.associationId,
    association_started_at: new Date(attribution.associationStartedAt),
    rule_set_version: ruleSet.version,
  };
  events.push(attributedEvent(attribution, input.nowMs));

  const same = await isSamePerson(sql, attribution.ambassadorId, order.customerId, placedAtMs);
  if (same.same) {
    events.push(event('ineligible', 'ineligible', input.nowMs, 'no reward: the ambassador and the customer are the same person (同人)', { reasonCode: 'SAME_PERSON', matchedOn: same.matchedOn ?? [] }));
    return finish('ineligible', 'SAME_PERSON', assoc);
  }

  const facts = await customerFacts(sql, order.customerId);
  const customer = classifyCustomer(facts, attribution.associationStartedAt, ruleSet);
  const first = await isFirstPurchase(sql, order, placedAtMs);
  const eligibility = orderEligibility(
    { billing: order.billing, productCategory: order.productCategory, orderType: order.orderType, excludedChannel: order.excludedChannel ?? false },
    { customerType: customer.type, isFirstPurchase: first },
    ruleSet,
  );
  if (!eligibility.eligible) {
    events.push(event('ineligible', 'ineligible', input.nowMs, `no reward: ${eligibility.reason}`, { reasonCode: eligibility.reasonCode, customerType: customer.type, customerReason: customer.reason }));
    return finish('ineligible', eligibility.reasonCode, assoc);
  }

  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const row = await orders.lockOrder(tx, order.orderId);
    if (row.state !== 'received') return orders.snapshot(row, []); // a concurrent retry got here first
    Object.assign(row, assoc);
    const usage = await orders.lockCapUsage(tx, attribution.associationId, order.customerId);
    const commissionInput: CommissionInput = { ruleSet, level: attribution.level, kind: eligibility.kind, productCategory: order.productCategory, paidYunqi, usage };
    const c = computeCommission(commissionInput);
    await orders.reserveCapRoom(tx, {
      orderId: order.orderId,
      associationId: attribution.associationId,
      paidYunqi: c.cappedBaseYunqi,
      rewardYunqi: c.rewardYunqi,
      computation: { ...commissionInput, ruleSet: undefined, ruleSetVersion: ruleSet.version },
    });
    const rewardTotal = usage.rewardUsedYunqi + c.rewardYunqi;
    events.push(event('commission', 'commission', input.nowMs, c.explanation.summary, c.explanation as unknown as Record<string, unknown>));
    if (c.rewardYunqi === 0) {
      events.push(event('zero_reward', 'zero_reward', input.nowMs, 'no reward: the per-customer caps (R-ORD-6) leave no room'));
      row.state = 'zero_reward';
      await orders.saveAssessment(tx, row, { reasonCode: 'CAP_EXHAUSTED', explanation: c.explanation });
      await orders.recordEvents(tx, order.orderId, events);
      return orders.snapshot(row, events);
    }
    const { reviewEndsAtMs, installments } = creditingSchedule(ruleSet, placedAtMs, creditingPlan(ruleSet, c.rewardYunqi, rewardTotal));
    events.push(
      event('review_started', 'review_started', input.nowMs, `review period (审核期) of ${ruleSet.reviewPeriodDays} days until ${iso(reviewEndsAtMs)}; then ${installments.length === 1 ? 'credited whole' : 'credited in two installments'}: ${installments.map((i) => `${yunqiToCny(i.yunqi)} CNY at ${iso(i.dueAtMs)}`).join(', ')}`, {
        reviewEndsAt: iso(reviewEndsAtMs),
        customerRewardTotalYunqi: rewardTotal,
        installmentThresholdYunqi: ruleSet.installmentThresholdYunqi,
      }),
    );
    await postEntry(tx, {
      idempotencyKey: `order:${order.orderId}:granted`,
      kind: 'reward.granted',
      ambassadorId: attribution.ambassadorId,
      orderId: order.orderId,
      ruleSetVersion: ruleSet.version,
      explanation: c.explanation as unknown as Record<string, unknown>,
      postings: [
        { account: system('rewards_expense'), amountYunqi: -c.rewardYunqi },
        { account: ambassador(attribution.ambassadorId, 'pending'), amountYunqi: c.rewardYunqi },
      ],
    });
    Object.assign(row, { state: 'in_review', granted_yunqi: c.rewardYunqi, installments, review_ends_at: new Date(reviewEndsAtMs) });
    await orders.saveAssessment(tx, row, { reasonCode: null, explanation: c.explanation });
    await orders.recordEvents(tx, order.orderId, events);
    return orders.snapshot(row, events);
  }) as Promise<OrderSnapshot>;
}
