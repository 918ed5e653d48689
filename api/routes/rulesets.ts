/**
 * Rule-set versions for operations (ops token): publish the next version ahead of its instant,
 * withdraw one not yet in force, list every version with its history, and the README's table
 * generated from the versions that govern.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { RuleSetSchema } from '../../domain/rulesets';
import type { PublicationRefusal } from '../../domain/rulesets-publishing';
import { listRuleSets, publishRuleSet, ruleSetTableMarkdown, withdrawRuleSet, type VersionView } from '../../services/rulesets/publishing';
import { HttpError, notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { TextSchema, iso } from '../schemas';

const Who = { author: TextSchema(200, 1).describe('who publishes or withdraws (a person of the program team)'), reason: TextSchema(2000, 1) };
const PublishBody = z.strictObject({ ruleSet: RuleSetSchema.describe('a rule set, validated like the table read at start (domain/rulesets.ts RuleSetSchema)'), ...Who });
const WithdrawBody = z.strictObject(Who);
const VersionParams = z.object({ version: z.string().min(1).max(200) });

const Version = z.object({
  version: z.string(),
  effectiveFrom: z.string(),
  state: z.enum(['past', 'in_force', 'scheduled', 'withdrawn']),
  source: z.enum(['seed', 'published']),
  author: z.string(),
  reason: z.string(),
  publishedAt: z.string(),
  withdrawal: z.object({ at: z.string(), by: z.string(), reason: z.string().nullable() }).nullable(),
  ruleSet: z.unknown(),
});

const STATUS: Record<PublicationRefusal['code'], number> = { invalid_rule_set: 422, version_exists: 409, too_soon: 422, not_found: 404, immutable: 409, already_withdrawn: 409 };
const refusal = (r: PublicationRefusal) => new HttpError(STATUS[r.code], r.code, r.reason, r.details);

const show = (v: VersionView) => ({
  version: v.ruleSet.version,
  effectiveFrom: v.ruleSet.effectiveFrom,
  state: v.state,
  source: v.source,
  author: v.author,
  reason: v.reason,
  publishedAt: iso(v.publishedAtMs)!,
  withdrawal: v.withdrawnAtMs === null ? null : { at: iso(v.withdrawnAtMs)!, by: v.withdrawnBy ?? '', reason: v.withdrawReason },
  ruleSet: v.ruleSet,
});

export function ruleSetsRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ops/rulesets',
    summary: 'Every rule-set version ever written, oldest instant first, with who published it, why, and where it stands now',
    tags: ['ops', 'rulesets'],
    auth: 'ops',
    responses: { 200: { description: 'the versions', schema: z.object({ versions: z.array(Version) }) } },
    handler: async () => ({ status: 200, body: { versions: (await listRuleSets(deps)).map(show) } }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/rulesets/table',
    summary: "The rule-set table as the README shows it, generated from the versions that govern (Markdown)",
    tags: ['ops', 'rulesets'],
    auth: 'ops',
    responses: { 200: { description: 'the table', schema: z.object({ markdown: z.string() }) } },
    handler: async () => ({ status: 200, body: { markdown: await ruleSetTableMarkdown(deps) } }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/rulesets/:version',
    summary: 'One rule-set version and its publication record',
    tags: ['ops', 'rulesets'],
    auth: 'ops',
    params: VersionParams,
    responses: { 200: { description: 'the version', schema: Version }, 404: { description: 'no such version' } },
    handler: async ({ params }) => {
      const v = (await listRuleSets(deps)).find((x) => x.ruleSet.version === params.version);
      if (!v) throw notFound(`rule-set version ${params.version}`);
      return { status: 200, body: show(v) };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/ops/rulesets',
    summary: 'Publish the next rule-set version, to take effect at its effectiveFrom (at least RULESET_PUBLISH_LEAD_SECONDS ahead); every process uses it from that instant, without a restart',
    tags: ['ops', 'rulesets'],
    auth: 'ops',
    body: PublishBody,
    responses: {
      201: { description: 'published (scheduled)', schema: Version },
      409: { description: 'the version id was used before (version_exists)' },
      422: { description: 'effectiveFrom too soon (too_soon), or the table would be invalid, e.g. two versions at one instant (invalid_rule_set)' },
    },
    handler: async ({ body }) => {
      const r = await publishRuleSet(deps, body);
      if (!r.ok) throw refusal(r);
      return { status: 201, body: show(r.version) };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/ops/rulesets/:version/withdrawal',
    summary: 'Withdraw a version that is not yet in force (its row stays in the history); a version in force or past is immutable',
    tags: ['ops', 'rulesets'],
    auth: 'ops',
    params: VersionParams,
    body: WithdrawBody,
    responses: {
      200: { description: 'withdrawn', schema: Version },
      404: { description: 'no such version' },
      409: { description: 'in force or past (immutable), or withdrawn already' },
      422: { description: 'takes effect within RULESET_PUBLISH_LEAD_SECONDS (too_soon)' },
    },
    handler: async ({ params, body }) => {
      const r = await withdrawRuleSet(deps, params.version, body);
      if (!r.ok) throw refusal(r);
      return { status: 200, body: show(r.version) };
    },
  });
}
