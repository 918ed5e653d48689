/**
 * The zod schemas of the messages order systems send (contracts/orders/index.ts has the rest of
 * the contract): the placement, a refund and a finding. The API validates with them, the typed
 * client parses with them, and the order workflow checks a refund or finding with them
 * (workflows/orders/facts.ts loads this module on the first one it sees, not in every workflow).
 */
import { z } from 'zod';
import { CnyAmountSchema } from '../../domain/money-schema';
import { IdSchema, InstantSchema, TextSchema } from '../schemas';

const id = IdSchema;
const instant = InstantSchema;

export const OrderPlacedSchema = z.strictObject({
  orderId: id,
  customerId: id,
  productCode: TextSchema(128, 1),
  productCategory: z.enum(['core', 'strategic', 'none']).describe('rebate product category: core, strategic, or none (not a rebate product)'),
  paidAmount: CnyAmountSchema.describe('amount actually paid (实付金额), CNY'),
  billing: z.enum(['prepaid', 'payg']).describe('prepaid (预付费) or pay-as-you-go (按量付费)'),
  orderType: z.enum(['new', 'upgrade', 'renewal']).describe('new purchase (新购), upgrade (升级) or renewal (续费)'),
  cartId: id.nullable().optional().describe('cart or batch payment id: orders paid together (R-ORD-8)'),
  excludedChannel: z.boolean().optional().describe('bought through a channel or activity excluded from the program'),
  placedAt: instant.describe('when the order was placed and paid'),
});
export type OrderPlaced = z.infer<typeof OrderPlacedSchema>;

export const RefundSchema = z
  .strictObject({
    refundId: id,
    amount: CnyAmountSchema.optional().describe('amount refunded by this refund, CNY; not needed for a full refund'),
    full: z.boolean().describe('true when the whole order is refunded'),
    refundedAt: instant.optional().describe('when the refund happened (R-REV-1 judges the review period by it); defaults to when it is received'),
  })
  .refine((r) => r.full || r.amount !== undefined, { message: 'a partial refund (full: false) needs its amount', path: ['amount'] });
export type RefundRequest = z.infer<typeof RefundSchema>;

export const FindingSchema = z.strictObject({
  findingId: id,
  reason: z.enum(['same_person', 'cheating']).describe('same person (同人) or cheating order (作弊订单)'),
  note: TextSchema(1000).optional(),
  foundAt: instant.optional().describe('when it was found (R-REV-1 judges the review period by it); defaults to when it is received'),
});
export type Finding = z.infer<typeof FindingSchema>;
