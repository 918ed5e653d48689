/**
 * Clicks on promotion links (R-ATTR-1). Everything that needs I/O is resolved here (ambassador by
 * usercode, rule set and window at the click, refusals: unknown or unverified ambassador,
 * enterprise before it was allowed, R-ATTR-7 non-associable customer, R-SAME-1 same person), then
 * the click is sent to the customer's workflow with signal-with-start. Refused clicks are sent
 * too, so they land in the customer's timeline.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { HttpError, unprocessable } from '../errors';
import type { ApiRegistry } from '../registry';
import { TypedSearchAttributes } from '@temporalio/common';
import { CustomerIdKey } from '../../lib/search-attributes';
import { associationEndMs } from '../../domain/rulesets';
import { findAmbassadorByUsercode } from '../../customers/ambassadors';
import { NON_ASSOCIABLE_REASONS, ensureCustomer, isSamePerson, type NonAssociableReason } from '../../customers/identity';
import {
  associationWorkflowId,
  clickSignal,
  customerAssociationWorkflow,
  type Click,
  type RefusalCode,
} from '../../workflows/association';
import { CLOCK_SKEW_MS, IdSchema, InstantSchema, UsercodeSchema, iso, nowOf } from './customers-common';

const ClickResultSchema = z.object({
  recorded: z.literal(true),
  clickId: z.string(),
  customerId: z.string(),
  usercode: z.string(),
  occurredAt: z.string(),
  workflowId: z.string(),
  refused: z.object({ code: z.string(), reason: z.string() }).nullable(),
  note: z.string(),
});

export interface ClickInput {
  customerId: string;
  usercode: string;
  clickId: string;
  occurredAtMs: number;
}

/** Resolves a click and signals it to the customer's workflow; throws 404 for an unknown usercode
 * (after recording it in the customer's timeline). */
export async function recordClick(deps: ApiDeps, input: ClickInput) {
  const { sql, config, ruleBook, client } = deps;
  const c = input.occurredAtMs;
  let ruleSet;
  try {
    ruleSet = ruleBook.at(c);
  } catch {
    throw unprocessable('no_rule_set', `no rule set is in force at ${iso(c)}`);
  }
  const windowMs = associationEndMs(c, ruleSet) - c;
  const [ambassador] = await Promise.all([
    findAmbassadorByUsercode(sql, input.usercode),
    ensureCustomer(sql, config.IDENTITY_HMAC_SECRET, input.customerId, nowOf(deps)),
  ]);
  const refuse = (code: RefusalCode, reason: string) => ({ code, reason });
  let refusal: Click['refusal'];
  if (!ambassador) {
    refusal = refuse('UNKNOWN_AMBASSADOR', `no ambassador has usercode ${input.usercode}`);
  } else if (!ambassador.real_name_verified) {
    refusal = refuse('AMBASSADOR_NOT_VERIFIED', 'the ambassador is not real-name verified (实名认证) (R-AMB-1)');
  } else if (ambassador.kind === 'enterprise' && !ruleSet.enterpriseAmbassadors) {
    refusal = refuse('ENTERPRISE_NOT_ALLOWED', `enterprise ambassadors are not in rule set ${ruleSet.version} (R-AMB-1)`);
  } else {
    const [customer] = await sql<{ non_associable_reason: NonAssociableReason | null }[]>`
      SELECT non_associable_reason FROM customers WHERE id = ${input.customerId}`;
    const nar = customer?.non_associable_reason;
    if (nar) {
      refusal = refuse('NON_ASSOCIABLE', `the customer is ${NON_ASSOCIABLE_REASONS[nar]}: no association (关联) is created (R-ATTR-7)`);
    } else {
      const same = await isSamePerson(sql, ambassador.id, input.customerId);
      if (same.same) {
        refusal = refuse(
          'SAME_PERSON',
          `the customer and the ambassador are the same person (同人), matched on ${same.matchedOn?.join(', ')} (R-SAME-1, R-ATTR-7)`,
        );
      }
    }
  }
  const click: Click = {
    clickId: input.clickId,
    usercode: input.usercode,
    ambassadorId: ambassador?.id ?? null,
    occurredAt: c,
    ruleSetVersion: ruleSet.version,
    windowMs,
    ...(refusal ? { refusal } : {}),
  };
  const workflowId = associationWorkflowId(input.customerId);
  try {
    await client.workflow.signalWithStart(customerAssociationWorkflow, {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ customerId: input.customerId }],
      signal: clickSignal,
      signalArgs: [click],
      ...(config.TEMPORAL_SEARCH_ATTRIBUTES ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: input.customerId }]) } : {}),
    });
  } catch (err) {
    deps.logger.error({ err, workflowId }, 'click signal failed');
    throw new HttpError(503, 'temporarily_unavailable', 'the click could not be recorded now; retry with the same clickId (repeats change nothing)');
  }
  if (!ambassador) {
    throw new HttpError(404, 'unknown_usercode', `no ambassador has usercode ${input.usercode}; no association (关联) was made`, {
      recorded: true,
      workflowId,
    });
  }
  return {
    recorded: true as const,
    clickId: input.clickId,
    customerId: input.customerId,
    usercode: input.usercode,
    occurredAt: iso(c) as string,
    workflowId,
    refused: refusal ?? null,
    note: refusal
      ? `refused: ${refusal.reason}`
      : 'recorded; the association (关联) is created, extended or switched by the customer workflow (see the ops timeline)',
  };
}

export function clicksRoutes(api: ApiRegistry, deps: ApiDeps): void {
  api.add({
    method: 'get',
    path: '/r/:usercode',
    summary: 'A promotion-link click by the logged-in customer (R-ATTR-1); a customer who is not logged in is associated with no one',
    tags: ['clicks'],
    auth: 'customer',
    params: z.object({ usercode: UsercodeSchema }),
    query: z.object({ clickId: IdSchema.optional().describe('the front end may supply one; otherwise generated') }),
    responses: {
      202: { description: 'the click was recorded in the customer’s association workflow', schema: ClickResultSchema },
      200: { description: 'not logged in: nobody was associated', schema: z.object({ recorded: z.literal(false), reasonCode: z.literal('NOT_LOGGED_IN'), reason: z.string() }) },
      404: { description: 'unknown usercode' },
    },
    handler: async ({ params, query }, _req, res) => {
      const customerId = res.locals.customerId as string | undefined;
      if (!customerId) {
        if (!(await findAmbassadorByUsercode(deps.sql, params.usercode))) {
          throw new HttpError(404, 'unknown_usercode', `no ambassador has usercode ${params.usercode}`);
        }
        return {
          status: 200,
          body: {
            recorded: false,
            reasonCode: 'NOT_LOGGED_IN',
            reason: 'not logged in: only a logged-in customer opening the link is associated (关联) with the ambassador (R-ATTR-1); log in or register through the link',
          },
        };
      }
      const out = await recordClick(deps, {
        customerId,
        usercode: params.usercode,
        clickId: query.clickId ?? `web-${crypto.randomUUID()}`,
        occurredAtMs: nowOf(deps),
      });
      return { status: 202, body: out };
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
      422: { description: 'occurredAt in the future' },
    },
    handler: async ({ body }) => {
      const now = nowOf(deps);
      const occurredAtMs = body.occurredAt ? Date.parse(body.occurredAt) : now;
      if (occurredAtMs > now + CLOCK_SKEW_MS) {
        throw unprocessable('occurred_at_in_future', `occurredAt ${body.occurredAt} is in the future (now is ${iso(now)}; allowed skew ${CLOCK_SKEW_MS / 60_000} minutes)`);
      }
      return { status: 202, body: await recordClick(deps, { customerId: body.customerId, usercode: body.usercode, clickId: body.clickId, occurredAtMs }) };
    },
  });
}
