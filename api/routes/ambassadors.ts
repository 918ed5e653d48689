/**
 * Ambassador (大使) routes: join (R-AMB-1), own profile, promotion link (R-AMB-4), own customers,
 * level changes by ops (R-AMB-3), and identity updates from the identity system (R-SAME-*).
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { nowOf } from '../../services/deps';
import { ambassadorAssociationsPage } from '../../db/repositories/associations';
import type { AmbassadorRow, LevelEntry } from '../../db/repositories/ambassadors';
import {
  ambassadorProfile,
  joinProgram,
  levelInForce,
  promotionLink,
  reportAmbassadorIdentity,
  setAmbassadorLevel,
  setRealNameVerified,
} from '../../services/ambassadors';
import { NUL_MESSAGE, withoutNul } from '../../contracts/schemas';
import type { AuthedAmbassador } from '../auth';
import { HttpError, conflict, notFound, unprocessable } from '../errors';
import type { ApiRegistry } from '../registry';
import { IdSchema, IdentitySchema, InstantSchema, LevelSchema, PageQuery, decodeCursor, encodeCursor, iso, isoDate, msOf, notInFuture, IdentityChangeBody, IdentityChangeAnswer } from '../schemas';

const LevelEntrySchema = z.object({ level: LevelSchema, effectiveAt: z.string(), setBy: z.string(), reason: z.string().nullable() });
const AmbassadorSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  usercode: z.string(),
  kind: z.enum(['individual', 'enterprise']),
  displayName: z.string(),
  realNameVerified: z.boolean(),
  joinedAt: z.string(),
  ruleSetVersion: z.string(),
  level: LevelSchema,
  levelHistory: z.array(LevelEntrySchema),
  link: z.string(),
});
const LinkSchema = z.object({ usercode: z.string(), url: z.string(), parameter: z.literal('usercode') });
const CustomerItemSchema = z.object({
  customerId: z.string(),
  associationId: z.string(),
  status: z.enum(['active', 'expired', 'switched']),
  startedAt: z.string(),
  endsAt: z.string(),
  endedAt: z.string().nullable(),
});

const levelsView = (levels: LevelEntry[]) => levels.map((l) => ({ level: l.level, effectiveAt: iso(l.effectiveAt) as string, setBy: l.setBy, reason: l.reason }));

function view(row: AmbassadorRow, levels: LevelEntry[], baseUrl: string, nowMs: number) {
  return {
    id: row.id,
    accountId: row.account_id,
    usercode: row.usercode,
    kind: row.kind,
    displayName: row.display_name,
    realNameVerified: row.real_name_verified,
    joinedAt: row.joined_at.toISOString(),
    ruleSetVersion: row.rule_set_version,
    level: levelInForce(levels, nowMs),
    levelHistory: levelsView(levels),
    link: promotionLink(baseUrl, row.usercode),
  };
}

const me = (res: { locals: Record<string, unknown> }) => res.locals.ambassador as AuthedAmbassador;
const isAssociationCursor = (v: unknown[]): v is [number, string] => v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';

export function ambassadorsRoutes(api: ApiRegistry, deps: Deps): void {
  const { config } = deps;

  api.add({
    method: 'post',
    path: '/v1/ambassadors',
    summary: 'Join the program (R-AMB-1): called by the identity system, which knows real-name verification; returns the API token once',
    tags: ['ambassadors'],
    auth: 'service',
    body: z.strictObject({
      accountId: IdSchema,
      kind: z.enum(['individual', 'enterprise']),
      displayName: z.string().trim().min(1).max(100).refine(withoutNul, NUL_MESSAGE),
      realNameVerified: z.boolean(),
      joinedAt: InstantSchema.optional().describe('defaults to now'),
      level: LevelSchema.default('L1').describe('R-AMB-3 entry level 弟子 = L1'),
      identity: IdentitySchema.optional(),
    }),
    responses: {
      201: { description: 'joined; the token is shown only in this response', schema: z.object({ ambassador: AmbassadorSchema, token: z.string() }) },
      409: { description: 'this account has already joined' },
      422: { description: 'not real-name verified, or enterprises may not join under the rule set in force' },
    },
    handler: async ({ body }) => {
      const out = await joinProgram(deps, { ...body, joinedAtMs: msOf(body.joinedAt) });
      if (!out.ok) throw out.code === 'already_joined' ? conflict(out.code, out.reason, out.details) : unprocessable(out.code, out.reason, out.details);
      return { status: 201, body: { ambassador: view(out.ambassador, out.levels, config.PUBLIC_BASE_URL, nowOf(deps)), token: out.token } };
    },
  });

  api.add({
    method: 'put',
    path: '/v1/ambassadors/:id/real-name',
    summary: 'The identity system withdraws or restores real-name verification (R-AMB-1); unverified ambassadors associate no one',
    tags: ['ambassadors'],
    auth: 'service',
    params: z.object({ id: IdSchema }),
    body: z.strictObject({ realNameVerified: z.boolean() }),
    responses: { 200: { description: 'updated', schema: z.object({ id: z.string(), realNameVerified: z.boolean() }) } },
    handler: async ({ params, body }) => {
      if (!(await setRealNameVerified(deps, params.id, body.realNameVerified))) throw notFound(`ambassador ${params.id}`);
      return { status: 200, body: { id: params.id, realNameVerified: body.realNameVerified } };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/ambassadors/:id/identity-changes',
    summary: "Report the ambassador's identity as of an instant (hashed; each change kept with its instant for R-SAME-2)",
    tags: ['ambassadors'],
    auth: 'service',
    params: z.object({ id: IdSchema }),
    body: IdentityChangeBody,
    responses: { ...IdentityChangeAnswer, 422: { description: 'changed_at_out_of_bounds: changedAt in the future' } },
    handler: async ({ params, body }) => {
      const { changedAt, ...identity } = body;
      notInFuture(msOf(changedAt), nowOf(deps), 'changedAt');
      const changed = await reportAmbassadorIdentity(deps, params.id, identity, msOf(changedAt));
      if (!changed) throw notFound(`ambassador ${params.id}`);
      return { status: 200, body: { changed } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me',
    summary: 'The calling ambassador: level (R-AMB-3) with its history, usercode and link (R-AMB-4)',
    tags: ['ambassadors'],
    auth: 'ambassador',
    responses: { 200: { description: 'profile', schema: AmbassadorSchema } },
    handler: async (_input, _req, res) => {
      const p = await ambassadorProfile(deps, me(res).id);
      if (!p) throw notFound('ambassador');
      return { status: 200, body: view(p.ambassador, p.levels, config.PUBLIC_BASE_URL, nowOf(deps)) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/link',
    summary: 'The promotion link carrying the usercode (R-AMB-4)',
    tags: ['ambassadors'],
    auth: 'ambassador',
    responses: { 200: { description: 'link', schema: LinkSchema } },
    handler: async (_input, _req, res) => {
      const p = await ambassadorProfile(deps, me(res).id);
      if (!p) throw notFound('ambassador');
      return { status: 200, body: { usercode: p.ambassador.usercode, url: promotionLink(config.PUBLIC_BASE_URL, p.ambassador.usercode), parameter: 'usercode' } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/customers',
    summary: "The calling ambassador's associations (关联), newest first, paginated; never another ambassador's",
    tags: ['ambassadors'],
    auth: 'ambassador',
    query: PageQuery(),
    responses: { 200: { description: 'a page', schema: z.object({ items: z.array(CustomerItemSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }, _req, res) => {
      const after = query.cursor ? decodeCursor(query.cursor, isAssociationCursor) : null;
      const rows = await ambassadorAssociationsPage(deps.sql, me(res).id, { limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const now = nowOf(deps);
      const items = page.map((r) => ({
        customerId: r.customer_id,
        associationId: r.id,
        status: (r.end_reason === 'switched' ? 'switched' : r.end_reason === 'expired' || r.ends_at.getTime() <= now ? 'expired' : 'active') as 'active' | 'expired' | 'switched',
        startedAt: r.started_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        endedAt: isoDate(r.ended_at),
      }));
      const last = page[page.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.started_at.getTime(), last.id]) : null } };
    },
  });

  api.add({
    method: 'put',
    path: '/v1/ops/ambassadors/:id/level',
    summary: "Set an ambassador's level from an instant (R-AMB-3); kept as history, so the level at any past instant is known",
    tags: ['ops'],
    auth: 'ops',
    params: z.object({ id: IdSchema }),
    body: z.strictObject({
      level: LevelSchema,
      effectiveAt: InstantSchema.optional().describe('defaults to now'),
      reason: z.string().trim().max(500).refine(withoutNul, NUL_MESSAGE).optional(),
    }),
    responses: {
      200: { description: 'recorded (or already recorded)', schema: z.object({ ambassadorId: z.string(), level: LevelSchema, levelHistory: z.array(LevelEntrySchema) }) },
      409: { description: 'a different level is already recorded at that instant' },
      422: { description: 'effectiveAt before the ambassador joined' },
    },
    handler: async ({ params, body }) => {
      const out = await setAmbassadorLevel(deps, { ambassadorId: params.id, level: body.level, effectiveAtMs: msOf(body.effectiveAt), reason: body.reason });
      if (!out.ok) {
        if (out.code === 'not_found') throw notFound(`ambassador ${params.id}`);
        throw out.code === 'level_conflict' ? new HttpError(409, out.code, out.reason) : unprocessable(out.code, out.reason);
      }
      return { status: 200, body: { ambassadorId: params.id, level: body.level, levelHistory: levelsView(out.levels) } };
    },
  });
}
