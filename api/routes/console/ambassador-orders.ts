/**
 * GET /v1/ambassadors/me/orders/{orderId}: one of the ambassador's orders with why it earns what
 * it earns (the commission explanation: rule set, rate, the caps and the room each left), its
 * installments, and the ambassador-safe lines of its timeline (refunds, findings, voids with
 * their reason codes). Another ambassador's order is 404, like an unknown one.
 */
import { z } from 'zod';
import { ORDER_REASON_CODES, ORDER_STATES } from '../../../contracts/orders';
import type { Deps } from '../../../services/deps';
import { ambassadorOrderView } from '../../../services/console/ambassador-order';
import type { AuthedAmbassador } from '../../auth';
import { notFound } from '../../errors';
import type { ApiRegistry } from '../../registry';
import { CommissionExplanationSchema, IdSchema, LevelSchema, Money } from '../../schemas';

const Detail = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const AmbassadorOrder = z.object({
  orderId: z.string(),
  customerId: z.string(),
  productCode: z.string(),
  productCategory: z.enum(['core', 'strategic', 'none']),
  orderType: z.enum(['new', 'upgrade', 'renewal']),
  state: z.enum(ORDER_STATES),
  reasonCode: z.enum(ORDER_REASON_CODES).nullable(),
  placedAt: z.string(),
  ruleSetVersion: z.string().nullable(),
  paid: Money,
  refunded: Money,
  reward: Money,
  credited: Money,
  clawedBack: Money,
  reviewEndsAt: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  installments: z.array(z.object({ n: z.number(), amount: Money, dueAt: z.string(), credited: z.boolean(), status: z.enum(['due', 'credited', 'voided']) })),
  explanation: CommissionExplanationSchema.nullable(),
  assessment: z
    .object({
      purchaseKind: z.enum(['first_purchase', 'later_purchase']).nullable(),
      customerType: z.enum(['new', 'dormant', 'old']).nullable(),
      customerReason: z.string().nullable(),
      level: LevelSchema.nullable(),
    })
    .nullable(),
  timeline: z.array(
    z.object({
      at: z.string(),
      kind: z.string().describe('placed, attributed, commission, review_started, review_passed, credited, completed, refund, finding, voided, ineligible, zero_reward, reassessed, ...'),
      detail: z.record(z.string(), Detail).describe('amounts in yunqi, reason codes, the installment; never free text'),
    }),
  ),
});

export function ambassadorOrderRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/orders/:orderId',
    summary: "One of the ambassador's orders: why this reward (rule set, rate, caps), the installments, and the timeline's ambassador-safe lines",
    tags: ['ambassadors'],
    auth: 'ambassador',
    params: z.object({ orderId: IdSchema }),
    responses: { 200: { description: 'the order', schema: AmbassadorOrder }, 404: { description: 'no such order of yours' } },
    handler: async ({ params }, _req, res) => {
      const view = await ambassadorOrderView(deps, (res.locals.ambassador as AuthedAmbassador).id, params.orderId);
      if (!view) throw notFound(`order ${params.orderId}`);
      return { status: 200, body: view };
    },
  });
}
