/**
 * Customer routes: the identity system upserts customers (identity hashed, purchase facts,
 * R-ATTR-7 non-associable reason) and reports identity changes (kept with their instant for
 * R-SAME-2); ops read a customer's association (关联) history and timeline.
 */
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { NON_ASSOCIABLE_REASONS, customerFacts, setIdentity, upsertCustomer, ensureCustomer, type NonAssociableReason } from '../../customers/identity';
import { associationWorkflowId } from '../../workflows/association';
import { IdSchema, IdentitySchema, InstantSchema, NonAssociableReasonSchema, iso, isoDate, nowOf } from './customers-common';

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

async function factsView(deps: ApiDeps, customerId: string) {
  const f = await customerFacts(deps.sql, customerId);
  return { ...f, firstPaidPurchaseAt: iso(f.firstPaidPurchaseAt), lastConsumptionAt: iso(f.lastConsumptionAt) };
}

export function customersRoutes(api: ApiRegistry, deps: ApiDeps): void {
  const { sql, config } = deps;
  const secret = config.IDENTITY_HMAC_SECRET;
  const ms = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));

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
    },
    handler: async ({ params, body }) => {
      const atMs = ms(body.observedAt) ?? nowOf(deps);
      const f = body.facts ?? {};
      const out = await upsertCustomer(
        sql,
        secret,
        params.id,
        {
          identity: body.identity,
          nonAssociableReason: body.nonAssociableReason,
          facts: {
            firstPaidPurchaseAtMs: ms(f.firstPaidPurchaseAt),
            lastConsumptionAtMs: ms(f.lastConsumptionAt),
            firstPaygUseAtMs: ms(f.firstPaygUseAt),
            paygBeforeFirstPurchase: f.paygBeforeFirstPurchase,
            sameEntityHasPaidHistory: f.sameEntityHasPaidHistory,
          },
        },
        atMs,
      );
      const [row] = await sql<{ non_associable_reason: string | null }[]>`SELECT non_associable_reason FROM customers WHERE id = ${params.id}`;
      return {
        status: 200,
        body: { customerId: params.id, ...out, nonAssociableReason: row?.non_associable_reason ?? null, facts: await factsView(deps, params.id) },
      };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/customers/:id/identity-changes',
    summary: "Report the customer's identity as of an instant: changed values are hashed and kept with the instant (R-SAME-2)",
    tags: ['customers'],
    auth: 'service',
    params: z.object({ id: IdSchema }),
    body: IdentitySchema.extend({ changedAt: InstantSchema.optional().describe('defaults to now') }),
    responses: { 200: { description: 'recorded', schema: z.object({ changed: z.array(z.string()) }) } },
    handler: async ({ params, body }) => {
      const { changedAt, ...identity } = body;
      const atMs = ms(changedAt) ?? nowOf(deps);
      await ensureCustomer(sql, secret, params.id, atMs);
      const changed = await setIdentity(sql, secret, { kind: 'customer', id: params.id, accountId: params.id }, identity, atMs);
      return { status: 200, body: { changed } };
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
      // One snapshot for the three reads: the projection writes a batch's association rows and
      // timeline events in one transaction, and separate read-committed statements could see the
      // events of a batch without its rows (a timeline with `created` but no current association).
      const { customer, associations, events } = await sql.begin('isolation level repeatable read read only', async (tx) => {
        const [customer] = await tx<{ non_associable_reason: NonAssociableReason | null; non_associable_at: Date | null }[]>`
          SELECT non_associable_reason, non_associable_at FROM customers WHERE id = ${params.id}`;
        const associations = await tx<
          {
            id: string;
            ambassador_id: string;
            usercode: string | null;
            started_at: Date;
            ends_at: Date;
            ended_at: Date | null;
            end_reason: string | null;
            rule_set_version: string | null;
          }[]
        >`SELECT id, ambassador_id, usercode, started_at, ends_at, ended_at, end_reason, rule_set_version
            FROM associations WHERE customer_id = ${params.id} ORDER BY started_at, id`;
        const events = await tx<
          { seq: number; kind: string; at: Date; click_id: string | null; ambassador_id: string | null; association_id: string | null; detail: Record<string, unknown> }[]
        >`SELECT seq, kind, at, click_id, ambassador_id, association_id, detail FROM association_events WHERE customer_id = ${params.id} ORDER BY seq`;
        return { customer, associations, events };
      });
      if (!customer && events.length === 0) throw notFound(`customer ${params.id}`);
      const list = associations.map((a) => ({
        associationId: a.id,
        ambassadorId: a.ambassador_id,
        usercode: a.usercode,
        startedAt: a.started_at.toISOString(),
        endsAt: a.ends_at.toISOString(),
        endedAt: isoDate(a.ended_at),
        endReason: a.end_reason,
        ruleSetVersion: a.rule_set_version,
      }));
      const now = nowOf(deps);
      const open = associations.find((a) => a.ended_at === null && a.ends_at.getTime() > now);
      const nar = customer?.non_associable_reason;
      return {
        status: 200,
        body: {
          customerId: params.id,
          workflowId: associationWorkflowId(params.id),
          nonAssociableReason: nar ? { code: nar, reason: NON_ASSOCIABLE_REASONS[nar], since: isoDate(customer?.non_associable_at) } : null,
          current: open ? (list.find((a) => a.associationId === open.id) ?? null) : null,
          associations: list,
          timeline: events.map((e) => ({
            seq: e.seq,
            kind: e.kind,
            at: e.at.toISOString(),
            clickId: e.click_id,
            ambassadorId: e.ambassador_id,
            associationId: e.association_id,
            detail: e.detail,
          })),
        },
      };
    },
  });
}
