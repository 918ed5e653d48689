/**
 * The README walk-through through REST, for the console tests: an L1 ambassador joins
 * (2024-04-01), a customer is associated by a click (2024-05-01 10:30, UTC+8), and a 20,000.00 CNY
 * first purchase placed 2024-05-02 10:00 settles at once (its review and installments are past):
 * 25% would be 5,000.00, the per-customer reward cap (R-ORD-6) makes it 3,000.00, credited in two
 * installments of 1,500.00 (R-PAY-2).
 */
import request from 'supertest';
import { joinAmbassador, uniq, type Harness, type JoinedAmbassador } from '../harness/association-fixtures';
import type { TestContext } from '../harness/context';
import { associatedCustomer, opsOrder, orderMessage, placed, settled } from '../harness/order-fixtures';

export interface Walkthrough {
  amb: JoinedAmbassador;
  customerId: string;
  orderId: string;
}

export async function walkthrough(ctx: TestContext, h: Harness, opts: { displayName?: string } = {}): Promise<Walkthrough> {
  const amb = await joinAmbassador(h, { level: 'L1', displayName: opts.displayName ?? 'Wang Fang', joinedAt: '2024-04-01T00:00:00+08:00' });
  const { customerId } = await associatedCustomer(h, { clickAt: Date.parse('2024-05-01T10:30:00+08:00'), ambassador: amb });
  const order = await placed(h, orderMessage(customerId, { orderId: uniq('o'), productCode: 'ecs', paidAmount: '20000.00', placedAt: '2024-05-02T10:00:00+08:00' }));
  await settled(ctx, order.orderId);
  await opsOrder(h, order.orderId, (o) => o.state === 'completed');
  return { amb, customerId, orderId: order.orderId };
}

export const asAmbassador = (amb: JoinedAmbassador) => (r: request.Test) => r.set('Authorization', `Bearer ${amb.token}`);
