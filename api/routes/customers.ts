/**
 * Customer routes: the identity system upserts customers (identity hashed, purchase facts,
 * R-ATTR-7 non-associable reason) and reports identity changes (kept with their instant for
 * R-SAME-2); ops read a customer's association (关联) history and timeline.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { customerAssociations, reportCustomer, reportCustomerIdentity } from '../../services/customers';
import { notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { IdSchema, IdentitySchema, InstantSchema, NonAssociableReasonSchema, msOf, notInFuture, IdentityChangeBody, IdentityChangeAnswer } from '../schemas';
import { nowOf } from '../../services/deps';

const FactsSchema = z.object({
  firstPaidPurchaseAt: z.string().nullable(),
  lastConsumptionAt: z.string().nullable(),
  sameEntityHasPaidHistory: z.boolean(),
  payAsYouGoBeforeFirstPurchase: z.boolean(),
});

const AssociationSchema = z.object({
  associationId: z.string(),
  ambassadorId: z.string(),
  usercode: z.string().nullable(),
  startedAt: z.string(),
  endsAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  ruleSetVersion: z.string().nullable(),
});
const EventSchema = z.object({
  seq: z.number(),
  kind: z.string(),
  at: z.string(),
  clickId: z.string().nullable(),
  ambassadorId: z.string().nullable(),
  associationId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export function customersRoutes(api: ApiRegistry, deps: Deps): void {

  api.add({
    method: 'put',
    path: '/v1/customers/:id',
    summary: 'Upsert a customer from the identity system: identity (stored only as HMAC hashes), purchase facts, non-associable reason (R-ATTR-7)',
    tags: ['customers'],
    auth: 'service',
    params: z.object({ id: IdSchema }),
    body: z.strictObject({
      observedAt: InstantSchema.optional().describe('instant of this identity snapshot; defaults to now'),
      identity: IdentitySchema.optional(),
      facts: z
        .strictObject({
          firstPaidPurchaseAt: InstantSchema.optional(),
          lastConsumptionAt: InstantSchema.optional(),
          firstPaygUseAt: InstantSchema.optional(),
          paygBeforeFirstPurchase: z.boolean().optional(),
          sameEntityHasPaidHistory: z.boolean().optional(),
        })
        .optional(),
      nonAssociableReason: NonAssociableReasonSchema.nullable()
        .optional()
        .describe('R-ATTR-7: cloud_business_manager (云业务经理), telesales (电销), distribution_partner (分销伙伴), ppl_reported (PPL报备); null clears'),
    }),
    responses: {
      200: {
        description: 'stored',
        schema: z.object({
          customerId: z.string(),
          created: z.boolean(),
          identityChanged: z.array(z.string()),
          nonAssociableReason: z.string().nullable(),
          facts: FactsSchema,
        }),
      },
      422: { description: '<field>_out_of_bounds: observedAt or a facts instant in the future' },
    },
    handler: async ({ params, body }) => {
      const f = body.facts ?? {};
      const now = nowOf(deps);
      notInFuture(msOf(body.observedAt), now, 'observedAt');
      for (const [k, v] of Object.entries(f)) if (typeof v === 'string') notInFuture(msOf(v), now, k);
      const out = await reportCustomer(deps, params.id, {
        identity: body.identity,
        nonAssociableReason: body.nonAssociableReason,
        observedAtMs: msOf(body.observedAt),
        facts: {
          firstPaidPurchaseAtMs: msOf(f.firstPaidPurchaseAt),
          lastConsumptionAtMs: msOf(f.lastConsumptionAt),
          firstPaygUseAtMs: msOf(f.firstPaygUseAt),
          paygBeforeFirstPurchase: f.paygBeforeFirstPurchase,
          sameEntityHasPaidHistory: f.sameEntityHasPaidHistory,
        },
      });
      return { status: 200, body: out };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/customers/:id/identity-changes',
    summary: "Report the customer's identity as of an instant: changed values are hashed and kept with the instant (R-SAME-2)",
    tags: ['customers'],
    auth: 'service',
    params: z.object({ id: IdSchema }),
    body: IdentityChangeBody,
    responses: { ...IdentityChangeAnswer, 422: { description: 'changed_at_out_of_bounds: changedAt in the future' } },
    handler: async ({ params, body }) => {
      const { changedAt, ...identity } = body;
      notInFuture(msOf(changedAt), nowOf(deps), 'changedAt');
      return { status: 200, body: { changed: await reportCustomerIdentity(deps, params.id, identity, msOf(changedAt)) } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/customers/:id/association',
    summary: "A customer's current association (关联), every past one and the whole timeline, with the workflow ID for the Temporal UI",
    tags: ['ops'],
    auth: 'ops',
    params: z.object({ id: IdSchema }),
    responses: {
      200: {
        description: 'projection of the customer workflow',
        schema: z.object({
          customerId: z.string(),
          workflowId: z.string(),
          nonAssociableReason: z.object({ code: z.string(), reason: z.string(), since: z.string().nullable() }).nullable(),
          current: AssociationSchema.nullable(),
          associations: z.array(AssociationSchema),
          timeline: z.array(EventSchema),
        }),
      },
      404: { description: 'no such customer and no clicks' },
    },
    handler: async ({ params }) => {
      const view = await customerAssociations(deps, params.id);
      if (!view) throw notFound(`customer ${params.id}`);
      return { status: 200, body: view };
    },
  });
}
