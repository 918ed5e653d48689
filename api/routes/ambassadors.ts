/**
 * Ambassador (大使) routes: join (R-AMB-1), own profile, promotion link (R-AMB-4), own customers,
 * level changes by ops (R-AMB-3), and identity updates from the identity system (R-SAME-*).
 */
import { z } from 'zod';
import type { ApiDeps } from '../app';
import type { AuthedAmbassador } from '../auth';
import { HttpError, badRequest, conflict, notFound, unprocessable } from '../errors';
import type { ApiRegistry } from '../registry';
import {
  createAmbassador,
  findAmbassadorByAccount,
  getAmbassador,
  levelHistory,
  promotionLink,
  setLevel,
  setRealNameVerified,
  type AmbassadorRow,
  type LevelEntry,
} from '../../customers/ambassadors';
import { setIdentity } from '../../customers/identity';
import { CLOCK_SKEW_MS, IdSchema, IdentitySchema, InstantSchema, LevelSchema, iso, isoDate, nowOf } from './customers-common';

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

const levelsView = (levels: LevelEntry[]) =>
  levels.map((l) => ({ level: l.level, effectiveAt: iso(l.effectiveAt) as string, setBy: l.setBy, reason: l.reason }));

function view(row: AmbassadorRow, levels: LevelEntry[], baseUrl: string, nowMs: number) {
  const inForce = levels.filter((l) => l.effectiveAt <= nowMs);
  const level = (inForce[inForce.length - 1] ?? levels[0])?.level ?? 'L1';
  return {
    id: row.id,
    accountId: row.account_id,
    usercode: row.usercode,
    kind: row.kind,
    displayName: row.display_name,
    realNameVerified: row.real_name_verified,
    joinedAt: row.joined_at.toISOString(),
    ruleSetVersion: row.rule_set_version,
    level,
    levelHistory: levelsView(levels),
    link: promotionLink(baseUrl, row.usercode),
  };
}

const me = (res: { locals: Record<string, unknown> }) => res.locals.ambassador as AuthedAmbassador;

/** Opaque page cursor: the (startedAt, associationId) of the last item. */
const encodeCursor = (startedAt: Date, id: string) => Buffer.from(JSON.stringify([startedAt.getTime(), id])).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw badRequest('validation_failed', 'request validation failed', [{ path: 'query.cursor', message: 'not a cursor returned by this endpoint' }]);
}

export function ambassadorsRoutes(api: ApiRegistry, deps: ApiDeps): void {
  const { sql, config, ruleBook } = deps;
  const secret = config.IDENTITY_HMAC_SECRET;

  api.add({
    method: 'post',
    path: '/v1/ambassadors',
    summary: 'Join the program (R-AMB-1): called by the identity system, which knows real-name verification; returns the API token once',
    tags: ['ambassadors'],
    auth: 'service',
    body: z.strictObject({
      accountId: IdSchema,
      kind: z.enum(['individual', 'enterprise']),
      displayName: z.string().trim().min(1).max(100),
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
      const now = nowOf(deps);
      const joinedAtMs = body.joinedAt ? Date.parse(body.joinedAt) : now;
      if (!body.realNameVerified) {
        throw unprocessable('not_real_name_verified', 'only real-name-verified (实名认证) accounts can join the ambassador program (R-AMB-1)');
      }
      if (joinedAtMs > now + CLOCK_SKEW_MS) throw unprocessable('joined_at_in_future', 'joinedAt is in the future');
      const ruleSet = ruleBook.at(joinedAtMs);
      if (body.kind === 'enterprise' && !ruleSet.enterpriseAmbassadors) {
        throw unprocessable(
          'enterprise_not_allowed',
          `enterprise accounts cannot join under rule set ${ruleSet.version} (enterprises may join from 2024-06-01, R-AMB-1)`,
          { ruleSetVersion: ruleSet.version },
        );
      }
      const created = await createAmbassador(sql, secret, {
        accountId: body.accountId,
        kind: body.kind,
        displayName: body.displayName,
        joinedAtMs,
        ruleSetVersion: ruleSet.version,
        level: body.level,
        identity: body.identity,
      });
      if (!created) {
        const existing = await findAmbassadorByAccount(sql, body.accountId);
        throw conflict('already_joined', `account ${body.accountId} has already joined as ambassador ${existing?.id}`, { ambassadorId: existing?.id });
      }
      const levels = await levelHistory(sql, created.ambassador.id);
      return { status: 201, body: { ambassador: view(created.ambassador, levels, config.PUBLIC_BASE_URL, now), token: created.token } };
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
      if (!(await setRealNameVerified(sql, params.id, body.realNameVerified))) throw notFound(`ambassador ${params.id}`);
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
    body: IdentitySchema.extend({ changedAt: InstantSchema.optional().describe('defaults to now') }),
    responses: { 200: { description: 'recorded', schema: z.object({ changed: z.array(z.string()) }) } },
    handler: async ({ params, body }) => {
      const row = await getAmbassador(sql, params.id);
      if (!row) throw notFound(`ambassador ${params.id}`);
      const { changedAt, ...identity } = body;
      const atMs = changedAt ? Date.parse(changedAt) : nowOf(deps);
      const changed = await setIdentity(sql, secret, { kind: 'ambassador', id: row.id, accountId: row.account_id }, identity, atMs);
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
      const row = await getAmbassador(sql, me(res).id);
      if (!row) throw notFound('ambassador');
      return { status: 200, body: view(row, await levelHistory(sql, row.id), config.PUBLIC_BASE_URL, nowOf(deps)) };
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
      const row = await getAmbassador(sql, me(res).id);
      if (!row) throw notFound('ambassador');
      return { status: 200, body: { usercode: row.usercode, url: promotionLink(config.PUBLIC_BASE_URL, row.usercode), parameter: 'usercode' } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/customers',
    summary: "The calling ambassador's associations (关联), newest first, paginated; never another ambassador's",
    tags: ['ambassadors'],
    auth: 'ambassador',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
    }),
    responses: { 200: { description: 'a page', schema: z.object({ items: z.array(CustomerItemSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }, _req, res) => {
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      const rows = await sql<{ id: string; customer_id: string; started_at: Date; ends_at: Date; ended_at: Date | null; end_reason: string | null }[]>`
        SELECT id, customer_id, started_at, ends_at, ended_at, end_reason FROM associations
         WHERE ambassador_id = ${me(res).id}
           ${after ? sql`AND (started_at, id) < (${new Date(after[0])}, ${after[1]})` : sql``}
         ORDER BY started_at DESC, id DESC LIMIT ${query.limit + 1}`;
      const page = rows.slice(0, query.limit);
      const now = nowOf(deps);
      const items = page.map((r) => ({
        customerId: r.customer_id,
        associationId: r.id,
        status: (r.end_reason === 'switched' ? 'switched' : r.end_reason === 'expired' || r.ends_at.getTime() <= now ? 'expired' : 'active') as
          | 'active'
          | 'expired'
          | 'switched',
        startedAt: r.started_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        endedAt: isoDate(r.ended_at),
      }));
      const last = page[page.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.started_at, last.id) : null } };
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
      reason: z.string().trim().max(500).optional(),
    }),
    responses: {
      200: { description: 'recorded (or already recorded)', schema: z.object({ ambassadorId: z.string(), level: LevelSchema, levelHistory: z.array(LevelEntrySchema) }) },
      409: { description: 'a different level is already recorded at that instant' },
      422: { description: 'effectiveAt before the ambassador joined' },
    },
    handler: async ({ params, body }) => {
      const row = await getAmbassador(sql, params.id);
      if (!row) throw notFound(`ambassador ${params.id}`);
      const effectiveAtMs = body.effectiveAt ? Date.parse(body.effectiveAt) : nowOf(deps);
      if (effectiveAtMs < row.joined_at.getTime()) {
        throw unprocessable('before_joining', `effectiveAt is before the ambassador joined (${row.joined_at.toISOString()})`);
      }
      const out = await setLevel(sql, { ambassadorId: row.id, level: body.level, effectiveAtMs, setBy: 'ops', reason: body.reason });
      if (out === 'conflict') throw new HttpError(409, 'level_conflict', `another level is already recorded at ${iso(effectiveAtMs)}`);
      return { status: 200, body: { ambassadorId: row.id, level: body.level, levelHistory: levelsView(await levelHistory(sql, row.id)) } };
    },
  });
}
