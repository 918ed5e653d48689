/** Schemas and helpers shared by the routes: IDs, instants, levels, identity, money, pages. */
import { z } from 'zod';
import { BUSINESS_ID_PATTERN } from '../contracts/ids';
import { InstantSchema as ContractInstant, NUL_MESSAGE, TextSchema, withoutNul } from '../contracts/schemas';
import { LEVELS } from '../domain/rulesets';
import { NON_ASSOCIABLE_REASONS, type NonAssociableReason } from '../domain/refusals';
import { yunqiToCny } from '../domain/money';
import { USERCODE_PATTERN } from '../db/repositories/ambassadors';
import { badRequest, unprocessable } from './errors';
import { instantProblem } from '../domain/instants';

export const IdSchema = z.string().regex(BUSINESS_ID_PATTERN, 'an id is 1-128 characters: letters, digits, ".", "_", ":", "-", starting with a letter or digit');
export const UsercodeSchema = z.string().regex(USERCODE_PATTERN, 'a usercode is 4-32 letters or digits');
export const InstantSchema = ContractInstant;
export { TextSchema };
export const LevelSchema = z.enum(LEVELS);
export const NonAssociableReasonSchema = z.enum(Object.keys(NON_ASSOCIABLE_REASONS) as [NonAssociableReason, ...NonAssociableReason[]]);

const identityValue = z.string().trim().min(1).max(200).refine(withoutNul, NUL_MESSAGE);
/** Identity attributes in plaintext: hashed (HMAC) before they are stored, never kept as given. */
export const IdentitySchema = z.strictObject({
  idDocument: identityValue.nullable().optional(),
  phone: identityValue.nullable().optional(),
  email: z.string().trim().email().max(200).refine(withoutNul, NUL_MESSAGE).nullable().optional(),
  linkedAccounts: z.array(IdSchema).max(100).optional(),
});

/** Money in answers: integer yunqi and the CNY decimal string. */
export const Money = z.object({ yunqi: z.number().int(), cny: z.string() });
export const money = (yunqi: number) => ({ yunqi, cny: yunqiToCny(yunqi) });

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
export const isoDate = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const msOf = (s: string | undefined): number | undefined => (s === undefined ? undefined : Date.parse(s));

/** The query of a list endpoint: a page size and the opaque cursor of the previous page. */
export const PageQuery = (max = 100, dflt = 20) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(max).default(dflt),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  });

/** Opaque page cursors: base64url of a JSON array of the last item's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends unknown[]>(cursor: string, valid: (v: unknown[]) => v is T): T {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && valid(v)) return v;
  } catch {
    // fall through
  }
  throw badRequest('validation_failed', 'request validation failed', [{ path: 'query.cursor', message: 'not a cursor returned by this endpoint' }]);
}

/** A reported instant may not lie in the future beyond the clock skew: 422 with the reason. */
export function notInFuture(atMs: number | undefined, nowMs: number, what: string): void {
  if (atMs === undefined) return;
  const problem = instantProblem(atMs, { nowMs }, what);
  if (problem) throw unprocessable(`${what.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_out_of_bounds`, problem);
}

/** The identity system's report of an identity as of an instant (customers and ambassadors alike, R-SAME-2). */
export const IdentityChangeBody = IdentitySchema.extend({ changedAt: InstantSchema.optional().describe('defaults to now; not in the future') });
export const IdentityChangeAnswer = { 200: { description: 'recorded; the orders it may void settle at once', schema: z.object({ changed: z.array(z.string()) }) } };

/** The commission explanation the settlement records (domain/commission.ts CommissionExplanation). */
export const CommissionExplanationSchema = z.object({
  ruleSetVersion: z.string(),
  level: LevelSchema,
  kind: z.enum(['first_purchase', 'later_purchase']),
  productCategory: z.enum(['core', 'strategic', 'none']),
  rate: z.string(),
  rateSource: z.enum(['strategicRate', 'firstPurchaseRate', 'laterPurchaseRate']),
  paidYunqi: z.number().int(),
  capScope: z.enum(['association', 'order']),
  caps: z.array(
    z.object({
      cap: z.enum(['perOrderPaid', 'perCustomerPaid', 'perCustomerReward']),
      rule: z.enum(['R-ORD-6', 'R-ORD-7']),
      limitYunqi: z.number().int().nullable().describe('null: no such cap at this level'),
      roomBeforeYunqi: z.number().int().nullable().describe('room left before this order; null: unlimited'),
      bound: z.boolean().describe('this cap reduced the amount'),
    }),
  ),
  cappedBaseYunqi: z.number().int(),
  uncappedRewardYunqi: z.number().int(),
  rewardYunqi: z.number().int(),
  rounding: z.literal('ROUND_DOWN'),
  summary: z.string().describe('one English sentence'),
});
