/**
 * Rule-set versions published at run time (issue 14, item 1): validated like the table read at
 * start, published ahead of their instant, immutable once in force, listed with their history,
 * heard by every process (LISTEN/NOTIFY) without a restart; an order placed after the new
 * instant is settled under the new version, one placed before it under the old (R-ORD-9).
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PROJECT_ROOT } from '../config';
import { createSql, type Sql } from '../db/client';
import { DEFAULT_RULE_SETS, defaultRuleBook, ruleSetsMarkdown, type RuleSet } from '../domain/rulesets';
import { bookWithCandidate, checkPublication, checkWithdrawal, type RuleSetVersion } from '../domain/rulesets-publishing';
import { openConfiguredRuleBook, openLiveRuleBook, type LiveRuleBook } from '../services/rulesets/book';
import { createTestContext, type TestContext } from './harness/context';
import { createHarness, waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed } from './harness/order-fixtures';

let ctx: TestContext;
let h: Harness;
let live: LiveRuleBook;

beforeAll(async () => {
  ctx = await createTestContext({ RULESET_PUBLISH_LEAD_SECONDS: '2' });
  live = await openConfiguredRuleBook(ctx.sql, ctx.config);
  ctx.deps.ruleBook = live; // the worker's activities and the API read the live book
  h = await createHarness(ctx);
});
afterAll(async () => {
  await live?.close();
  await ctx?.close();
});

const latest = DEFAULT_RULE_SETS[DEFAULT_RULE_SETS.length - 1]!;
const candidate = (version: string, effectiveFromMs: number, over: Partial<RuleSet> = {}): RuleSet => ({ ...latest, version, effectiveFrom: new Date(effectiveFromMs).toISOString(), ...over });
const asVersions = (sets: readonly RuleSet[]): RuleSetVersion[] =>
  sets.map((rs) => ({ ruleSet: rs, author: 'system', reason: 'seed', source: 'seed', publishedAtMs: 0, withdrawnAtMs: null, withdrawnBy: null, withdrawReason: null }));
const publish = (body: object) => h.ops(request(h.app).post('/v1/ops/rulesets')).send(body);
const withHalfRate = (rs: RuleSet): RuleSet['levels'] => ({ ...rs.levels, L1: { ...rs.levels.L1, firstPurchaseRate: '0.5' } });

test('R-ORD-9 publication rules (pure): schema, a fresh version id, ahead of the lead, one version per instant', () => {
  const versions = asVersions(DEFAULT_RULE_SETS);
  const now = Date.parse('2025-01-01T00:00:00Z');
  expect(checkPublication(versions, { ...latest, version: 'x', levels: {} }, now, 30_000)).toMatchObject({ ok: false, code: 'invalid_rule_set' });
  expect(checkPublication(versions, candidate('2024-06-01', now + 60_000), now, 30_000)).toMatchObject({ ok: false, code: 'version_exists' });
  expect(checkPublication(versions, candidate('next', now + 10_000), now, 30_000)).toMatchObject({ ok: false, code: 'too_soon' });
  const ok = checkPublication(versions, candidate('next', now + 60_000), now, 30_000);
  expect(ok).toMatchObject({ ok: true, ruleSet: { version: 'next' } });
  const withNext = [...versions, ...asVersions([candidate('next', now + 60_000)])];
  expect(checkPublication(withNext, candidate('other', now + 60_000), now, 30_000)).toMatchObject({ ok: false, code: 'invalid_rule_set', reason: expect.stringContaining('two rule sets take effect') });
  expect(checkWithdrawal(withNext, '2024-06-01', now, 30_000)).toMatchObject({ ok: false, code: 'immutable' });
  expect(checkWithdrawal(withNext, 'next', now + 40_000, 30_000)).toMatchObject({ ok: false, code: 'too_soon' });
  expect(checkWithdrawal(withNext, 'next', now, 30_000)).toMatchObject({ ok: true });
  // What-if: a candidate replaces the version of its id, or joins.
  const replaced = bookWithCandidate(DEFAULT_RULE_SETS, { ...latest, strategicRate: '0.2' });
  expect(replaced.replaced).toBe('2024-06-01');
  expect(replaced.book.byVersion('2024-06-01').strategicRate).toBe('0.2');
  expect(bookWithCandidate(DEFAULT_RULE_SETS, candidate('2024-07-01', Date.parse('2024-07-01T00:00:00+08:00'))).book.all()).toHaveLength(4);
});

test('the table is seeded once from the defaults, and the README table is generated from the stored versions', async () => {
  expect(live.all().map((rs) => rs.version)).toEqual(DEFAULT_RULE_SETS.map((rs) => rs.version));
  expect(live.versions().every((v) => v.source === 'seed' && v.author === 'system')).toBe(true);
  // A second process does not seed again.
  const again = await openLiveRuleBook(ctx.sql, { seed: [candidate('other-seed', 0)], seedReason: 'x', refreshMs: 60_000, listen: false });
  expect(again.all().map((rs) => rs.version)).toEqual(DEFAULT_RULE_SETS.map((rs) => rs.version));
  await again.close();
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const table = await h.ops(request(h.app).get('/v1/ops/rulesets/table'));
  expect(table.status).toBe(200);
  expect(table.body.markdown).toBe(ruleSetsMarkdown(defaultRuleBook()));
  expect(readme).toContain(table.body.markdown);
});

test('bad input is a 4xx with its reason: schema 400, too soon 422, reused id 409; a version in force is immutable', async () => {
  const noAuth = await request(h.app).post('/v1/ops/rulesets').send({});
  expect(noAuth.status).toBe(401);
  const bad = await publish({ ruleSet: { ...latest, levels: { L1: {} } }, author: 'pm', reason: 'r' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('validation_failed');
  expect(JSON.stringify(bad.body.error.details)).toContain('body.ruleSet.levels');
  const soon = await publish({ ruleSet: candidate('soon', Date.now() + 100), author: 'pm', reason: 'r' });
  expect(soon.status).toBe(422);
  expect(soon.body.error.code).toBe('too_soon');
  const reused = await publish({ ruleSet: candidate('earliest', Date.now() + 60_000), author: 'pm', reason: 'r' });
  expect(reused.status).toBe(409);
  expect(reused.body.error.code).toBe('version_exists');
  const inForce = await h.ops(request(h.app).post('/v1/ops/rulesets/2024-06-01/withdrawal')).send({ author: 'pm', reason: 'no' });
  expect(inForce.status).toBe(409);
  expect(inForce.body.error.code).toBe('immutable');
  // The database refuses too, whoever writes.
  await expect(ctx.sql`UPDATE rule_set_versions SET reason = 'edited' WHERE version = '2024-06-01'`).rejects.toThrow(/immutable/);
  await expect(ctx.sql`DELETE FROM rule_set_versions WHERE version = 'earliest'`).rejects.toThrow(/never deleted/);
  await expect(ctx.sql`INSERT INTO rule_set_versions (version, effective_from, body, author, reason, source)
    VALUES ('past', now() - interval '1 day', ${ctx.sql.json({ ...latest, version: 'past' } as never)}, 'x', 'y', 'published')`).rejects.toThrow(/ahead of its instant/);
});

test('a withdrawn future version steps aside but stays in the history and in byVersion', async () => {
  const at = Date.now() + 3_600_000;
  const res = await publish({ ruleSet: candidate('to-withdraw', at), author: 'pm-li', reason: 'draft' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ version: 'to-withdraw', state: 'scheduled', author: 'pm-li', reason: 'draft', source: 'published' });
  expect(live.at(at).version).toBe('to-withdraw');
  const w = await h.ops(request(h.app).post('/v1/ops/rulesets/to-withdraw/withdrawal')).send({ author: 'pm-li', reason: 'wrong rate' });
  expect(w.status).toBe(200);
  expect(w.body.withdrawal).toMatchObject({ by: 'pm-li', reason: 'wrong rate' });
  expect(live.at(at).version).toBe('2024-06-01');
  expect(live.byVersion('to-withdraw').version).toBe('to-withdraw');
  const list = await h.ops(request(h.app).get('/v1/ops/rulesets'));
  expect(list.body.versions.map((v: { version: string; state: string }) => [v.version, v.state])).toEqual([
    ['earliest', 'past'],
    ['2024-04-17', 'past'],
    ['2024-06-01', 'in_force'],
    ['to-withdraw', 'withdrawn'],
  ]);
  const again = await h.ops(request(h.app).post('/v1/ops/rulesets/to-withdraw/withdrawal')).send({ author: 'pm-li', reason: 'twice' });
  expect(again.status).toBe(409);
  expect((await h.ops(request(h.app).get('/v1/ops/rulesets/nope'))).status).toBe(404);
});

test('R-ORD-9 a version published to take effect shortly changes the rate of an order placed after its instant, not of one placed before; another process hears it at once', async () => {
  // A second process (its own connections, no periodic refresh to speak of) must hear the NOTIFY.
  const otherSql: Sql = createSql(ctx.dbUrl, { max: 2 });
  const other = await openLiveRuleBook(otherSql, { seed: DEFAULT_RULE_SETS, seedReason: 'x', refreshMs: 3_600_000 });
  try {
    const now = await h.clock.sync();
    const before = await associatedCustomer(h, { clickAt: now - 60_000 });
    const after = await associatedCustomer(h, { clickAt: now - 60_000 });
    const effectiveFrom = Date.now() + 4_000;
    const res = await publish({ ruleSet: candidate('half-rate', effectiveFrom, { levels: withHalfRate(latest) }), author: 'pm-wang', reason: 'summer campaign: L1 first purchases at 50%' });
    expect(res.status).toBe(201);
    await waitFor(async () => other.all().map((rs) => rs.version), (v) => v.includes('half-rate'), 'the other process to hear the publication', 5_000);

    // Placed before the instant: the old version (25%); placed after it (an order system's clock
    // may run ahead by up to 5 minutes): the new one (50%).
    const o1 = await placed(h, orderMessage(before.customerId, { paidAmount: '100.00', placedAt: new Date(effectiveFrom - 1).toISOString() }));
    const o2 = await placed(h, orderMessage(after.customerId, { paidAmount: '100.00', placedAt: new Date(effectiveFrom).toISOString() }));
    const v1 = await opsOrder(h, o1.orderId, (x) => x.state === 'in_review');
    const v2 = await opsOrder(h, o2.orderId, (x) => x.state === 'in_review');
    expect([v1.ruleSetVersion, v1.reward.yunqi]).toEqual(['2024-06-01', 2_500]);
    expect([v2.ruleSetVersion, v2.reward.yunqi]).toEqual(['half-rate', 5_000]);
    // A version in force is immutable; byVersion still answers every version ever published.
    await new Promise((r) => setTimeout(r, Math.max(0, effectiveFrom - Date.now() + 50)));
    const late = await h.ops(request(h.app).post('/v1/ops/rulesets/half-rate/withdrawal')).send({ author: 'pm', reason: 'too late' });
    expect(late.status).toBe(409);
    expect(other.byVersion('half-rate').levels.L1.firstPurchaseRate).toBe('0.5');
  } finally {
    await other.close();
    await otherSql.end();
  }
});
