/**
 * The order workflow (`order:<orderId>`). New runs settle by facts (workflows/orders/settlement.ts):
 * their input says so (`model: 'facts'`, or `resume`). Runs started before the settlement model
 * carry neither in their input, which is part of their history, so they replay and continue on
 * their own code unchanged (workflows/orders/legacy.ts). This input-selected version takes the
 * place of a patched() call: a patch marker costs a search-attribute upsert (TemporalChangeVersion),
 * one billable action on every order, and the stored histories of both paths replay either way
 * (test/replay.test.ts).
 */
import type { OrderStatus, OrderWorkflowInput } from '../../contracts/orders';
import { legacyOrderSettlement } from './legacy';
import { settleByFacts } from './settlement';

export { orderLateRefund } from './legacy';

export async function orderSettlement(input: OrderWorkflowInput): Promise<OrderStatus> {
  if (input.model === 'facts' || input.resume || !input.order) return settleByFacts(input);
  return legacyOrderSettlement({ ...input, order: input.order });
}
