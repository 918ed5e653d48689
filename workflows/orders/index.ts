/**
 * The order workflow (`order:<orderId>`): runs started before the settlement model continue on
 * their own code (patch `settlement-by-facts`, workflows/orders/legacy.ts); every new run settles
 * by facts (workflows/orders/settlement.ts).
 */
import { patched } from '@temporalio/workflow';
import type { OrderStatus, OrderWorkflowInput } from '../../contracts/orders';
import { legacyOrderSettlement } from './legacy';
import { settleByFacts } from './settlement';

export { orderLateRefund } from './legacy';

export const SETTLEMENT_BY_FACTS = 'settlement-by-facts';

export async function orderSettlement(input: OrderWorkflowInput): Promise<OrderStatus> {
  if (patched(SETTLEMENT_BY_FACTS) || !input.order) return settleByFacts(input);
  return legacyOrderSettlement({ ...input, order: input.order });
}
