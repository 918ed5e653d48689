/**
 * Clicks on promotion links (R-ATTR-1): the logged-in customer opening the link, and clicks seen
 * by other systems. services/associations.ts resolves and records them.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { nowOf } from '../../services/deps';
import { CLOCK_SKEW_MS } from '../../domain/instants';
import { recordClick, type ClickInput } from '../../services/associations';
import { HttpError, unprocessable } from '../errors';
import type { ApiRegistry } from '../registry';
import { IdSchema, InstantSchema, UsercodeSchema, iso } from '../schemas';

const ClickResultSchema = z.object({
  recorded: z.literal(true),
  clickId: z.string(),
  customerId: z.string(),
  usercode: z.string(),
  occurredAt: z.string(),
  workflowId: z.string(),
  refused: z.object({ code: z.string(), reason: z.string() }).nullable(),
  outcome: z.enum(['created', 'extended', 'switched', 'reopened', 'refused', 'reordered', 'late_click_ignored', 'duplicate']).describe('what the click did to the associations (reordered: a late click placed in click-time order)'),
  associationId: z.string().nullable(),
  note: z.string(),
});

/** Records the click and maps the outcome to the answer (an unknown usercode is 404, after it was recorded). */
async function clickAnswer(deps: Deps, input: ClickInput) {
  const out = await recordClick(deps, input);
  if (!out.ok) {
    if (out.code === 'no_rule_set') throw unprocessable(out.code, out.reason);
    if (out.code === 'unknown_usercode') throw new HttpError(404, out.code, out.reason, { recorded: true, workflowId: out.workflowId });
    throw new HttpError(503, out.code, out.reason);
  }
  const refusal = out.click.refusal;
  return {
    recorded: true as const,
    clickId: input.clickId,
    customerId: input.customerId,
    usercode: input.usercode,
    occurredAt: iso(input.occurredAtMs) as string,
    workflowId: out.workflowId,
    refused: refusal ?? null,
    outcome: out.outcome.outcome,
    associationId: out.outcome.associationId,
    note: refusal ? `refused: ${refusal.reason}` : `recorded: ${out.outcome.outcome}${out.outcome.associationId ? ` (association ${out.outcome.associationId})` : ''}`,
  };
}

export function clicksRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/r/:usercode',
    summary: 'A promotion-link click by the logged-in customer (R-ATTR-1), asserted by the identity gateway (X-Customer-Assertion); without a valid assertion nobody is associated',
    tags: ['clicks'],
    auth: 'customer',
    params: z.object({ usercode: UsercodeSchema }),
    query: z.object({ clickId: IdSchema.optional().describe('the front end may supply one; otherwise generated') }),
    responses: {
      202: { description: 'the click was recorded in the customer’s association workflow', schema: ClickResultSchema },
      401: { description: 'not_logged_in (no assertion) or invalid_customer_assertion (forged, malformed or expired): no click is recorded' },
      404: { description: 'unknown usercode' },
      422: { description: 'no_rule_set: no rule set is in force now' },
    },
    handler: async ({ params, query }, _req, res) => {
      const customerId = res.locals.customerId as string;
      const input = { customerId, usercode: params.usercode, clickId: query.clickId ?? `web-${crypto.randomUUID()}`, occurredAtMs: nowOf(deps) };
      return { status: 202, body: await clickAnswer(deps, input) };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/clicks',
    summary: 'A click seen by another system (R-ATTR-1): repeated clickIds change nothing; occurredAt may be in the past, not in the future',
    tags: ['clicks'],
    auth: 'service',
    body: z.strictObject({
      customerId: IdSchema,
      usercode: UsercodeSchema,
      clickId: IdSchema,
      occurredAt: InstantSchema.optional().describe('defaults to now; refused when later than now plus 5 minutes of clock skew'),
    }),
    responses: {
      202: { description: 'recorded in the customer’s association workflow', schema: ClickResultSchema },
      404: { description: 'unknown usercode (recorded in the timeline as refused)' },
      422: { description: 'occurred_at_in_future, or no_rule_set at occurredAt' },
    },
    handler: async ({ body }) => {
      const now = nowOf(deps);
      const occurredAtMs = body.occurredAt ? Date.parse(body.occurredAt) : now;
      if (occurredAtMs > now + CLOCK_SKEW_MS) {
        throw unprocessable('occurred_at_in_future', `occurredAt ${body.occurredAt} is in the future (now is ${iso(now)}; allowed skew ${CLOCK_SKEW_MS / 60_000} minutes)`);
      }
      return { status: 202, body: await clickAnswer(deps, { customerId: body.customerId, usercode: body.usercode, clickId: body.clickId, occurredAtMs }) };
    },
  });
}
