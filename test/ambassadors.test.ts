/** Ambassadors (大使): joining, tokens, levels, usercodes and links, auth and isolation. */
import request from 'supertest';
import { hashToken } from '../lib/tokens';
import { levelAt } from '../db/repositories/ambassadors';
import { utc8 } from '../domain/time';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, postClick, uniq, waitFor, type Harness } from './harness/association-fixtures';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x));

const join = (body: Record<string, unknown>) =>
  h.service(request(h.app).post('/v1/ambassadors')).send({ kind: 'individual', displayName: 'Amb', realNameVerified: true, accountId: uniq('acct'), ...body });

test('R-AMB-1 only real-name-verified accounts join; the token is returned once and stored only as a hash', async () => {
  const refused = await join({ realNameVerified: false });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({ code: 'not_real_name_verified' });
  expect(refused.body.error.message).toMatch(/实名认证.*R-AMB-1/);

  const accountId = uniq('acct');
  const res = await join({ accountId, identity: { phone: '13800002222' } });
  expect(res.status).toBe(201);
  const { token, ambassador } = res.body;
  expect(token).toMatch(/^amb_/);
  expect(ambassador).toMatchObject({ accountId, kind: 'individual', realNameVerified: true, level: 'L1', ruleSetVersion: '2024-06-01' });

  const [row] = await ctx.sql<Record<string, unknown>[]>`SELECT * FROM ambassadors WHERE id = ${ambassador.id}`;
  expect(row?.token_hash).toBe(hashToken(token));
  expect(JSON.stringify(row)).not.toContain(token);

  const meRes = await request(h.app).get('/v1/ambassadors/me').set('Authorization', `Bearer ${token}`);
  expect(meRes.status).toBe(200);
  expect(meRes.body.id).toBe(ambassador.id);
  expect(JSON.stringify(meRes.body)).not.toContain(token);

  const again = await join({ accountId });
  expect(again.status).toBe(409);
  expect(again.body.error).toMatchObject({ code: 'already_joined', details: { ambassadorId: ambassador.id } });
});

test('R-AMB-1 enterprises join only under a rule set that allows them (from 2024-06-01)', async () => {
  const before = await join({ kind: 'enterprise', joinedAt: '2024-05-31T23:59:00+08:00' });
  expect(before.status).toBe(422);
  expect(before.body.error).toMatchObject({ code: 'enterprise_not_allowed', details: { ruleSetVersion: '2024-04-17' } });
  expect(before.body.error.message).toMatch(/2024-06-01/);

  const onTheDay = await join({ kind: 'enterprise', joinedAt: '2024-06-01T00:00:00+08:00' });
  expect(onTheDay.status).toBe(201);
  expect(onTheDay.body.ambassador).toMatchObject({ kind: 'enterprise', ruleSetVersion: '2024-06-01' });

  const individualEarly = await join({ kind: 'individual', joinedAt: '2024-01-01T00:00:00+08:00' });
  expect(individualEarly.status).toBe(201);
  expect((await join({ kind: 'individual', joinedAt: new Date(h.clock.now() + 86_400_000).toISOString() })).status).toBe(422);
});

test('R-AMB-3 levels change by ops from an instant and the level at any past instant is known', async () => {
  const amb = await joinAmbassador(h, { joinedAt: '2024-01-01T00:00:00+08:00' });
  const setLevel = (body: Record<string, unknown>, id = amb.id) => h.ops(request(h.app).put(`/v1/ops/ambassadors/${id}/level`)).send(body);

  expect((await setLevel({ level: 'L2', effectiveAt: '2024-07-01T00:00:00+08:00', reason: 'orders in Q2' })).status).toBe(200);
  const l3 = await setLevel({ level: 'L3', effectiveAt: '2025-01-01T00:00:00+08:00' });
  expect(l3.status).toBe(200);
  expect(l3.body.levelHistory.map((l: { level: string }) => l.level)).toEqual(['L1', 'L2', 'L3']);
  // Repeating a change is harmless; a different level at the same instant is a conflict.
  expect((await setLevel({ level: 'L3', effectiveAt: '2025-01-01T00:00:00+08:00' })).status).toBe(200);
  const clash = await setLevel({ level: 'L4', effectiveAt: '2025-01-01T00:00:00+08:00' });
  expect(clash.status).toBe(409);
  expect(clash.body.error.code).toBe('level_conflict');
  expect((await setLevel({ level: 'L4', effectiveAt: '2023-01-01T00:00:00+08:00' })).body.error.code).toBe('before_joining');
  expect((await setLevel({ level: 'L9' })).status).toBe(400);
  expect((await setLevel({ level: 'L2' }, 'amb-nobody')).status).toBe(404);
  expect((await h.service(request(h.app).put(`/v1/ops/ambassadors/${amb.id}/level`)).send({ level: 'L2' })).status).toBe(401);

  const me = await request(h.app).get('/v1/ambassadors/me').set('Authorization', `Bearer ${amb.token}`);
  expect(me.body.level).toBe('L3');
  expect(me.body.levelHistory[1]).toMatchObject({ level: 'L2', effectiveAt: new Date(utc8('2024-07-01')).toISOString(), setBy: 'ops', reason: 'orders in Q2' });

  expect(await levelAt(ctx.sql, amb.id, utc8('2024-03-01'))).toBe('L1');
  expect(await levelAt(ctx.sql, amb.id, utc8('2024-07-01'))).toBe('L2');
  expect(await levelAt(ctx.sql, amb.id, utc8('2024-12-31T23:59'))).toBe('L2');
  expect(await levelAt(ctx.sql, amb.id, utc8('2025-06-01'))).toBe('L3');
  // Before the first recorded row: the level joined with.
  expect(await levelAt(ctx.sql, amb.id, utc8('2023-06-01'))).toBe('L1');
});

test('R-AMB-4 each ambassador has a unique URL-safe usercode carried by the promotion link', async () => {
  const ambs = await Promise.all([1, 2, 3, 4, 5].map(() => joinAmbassador(h)));
  expect(new Set(ambs.map((a) => a.usercode)).size).toBe(5);
  for (const a of ambs) expect(a.usercode).toMatch(/^[a-z0-9]{8}$/);

  const link = await request(h.app).get('/v1/ambassadors/me/link').set('Authorization', `Bearer ${ambs[0]!.token}`);
  expect(link.status).toBe(200);
  expect(link.body).toEqual({ usercode: ambs[0]!.usercode, url: `${ctx.config.PUBLIC_BASE_URL}/r/${ambs[0]!.usercode}`, parameter: 'usercode' });
  // The link's path is the click route.
  const path = new URL(link.body.url).pathname;
  expect((await request(h.app).get(path)).body.error).toMatchObject({ code: 'not_logged_in' });
});

test('R-AMB-1 R-AMB-4 401 without a valid token on every protected route', async () => {
  const amb = await joinAmbassador(h);
  for (const path of ['/v1/ambassadors/me', '/v1/ambassadors/me/link', '/v1/ambassadors/me/customers']) {
    expect((await request(h.app).get(path)).status).toBe(401);
    expect((await request(h.app).get(path).set('Authorization', 'Bearer amb_not-a-token')).status).toBe(401);
    expect((await h.service(request(h.app).get(path))).status).toBe(401);
  }
  const opsPath = '/v1/ops/customers/someone/association';
  expect((await request(h.app).get(opsPath).set('Authorization', `Bearer ${amb.token}`)).status).toBe(401);
  expect((await h.service(request(h.app).get(opsPath))).status).toBe(401);
  expect((await request(h.app).post('/v1/ambassadors').set('Authorization', `Bearer ${amb.token}`).send({})).status).toBe(401);
  expect((await request(h.app).put('/v1/customers/someone').set('Authorization', `Bearer ${ctx.config.OPS_TOKEN}`).send({})).status).toBe(401);
});

test('R-ATTR-1 R-AMB-4 an ambassador lists only their own customers, paginated; never another ambassador’s', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const aCustomers = [uniq('cust'), uniq('cust'), uniq('cust')];
  const bCustomers = [uniq('cust')];
  const t = await h.clock.sync();
  for (const [i, c] of aCustomers.entries()) await postClick(h, { customerId: c, usercode: a.usercode, occurredAt: t - (10 - i) * 60_000 });
  for (const c of bCustomers) await postClick(h, { customerId: c, usercode: b.usercode, occurredAt: t });

  const list = (token: string, query = '') => request(h.app).get(`/v1/ambassadors/me/customers${query}`).set('Authorization', `Bearer ${token}`);
  const all = await waitFor(() => list(a.token), (r) => r.body.items?.length === 3, "a's projected customers");
  expect(all.body.items.map((i: { customerId: string }) => i.customerId)).toEqual([...aCustomers].reverse());
  expect(all.body.items[0]).toMatchObject({ status: 'active', associationId: `${aCustomers[2]}:1` });
  expect(all.body.nextCursor).toBeNull();

  const page1 = await list(a.token, '?limit=2');
  expect(page1.body.items).toHaveLength(2);
  const page2 = await list(a.token, `?limit=2&cursor=${page1.body.nextCursor}`);
  expect(page2.body.items.map((i: { customerId: string }) => i.customerId)).toEqual([aCustomers[0]]);
  expect(page2.body.nextCursor).toBeNull();

  const bList = await waitFor(() => list(b.token), (r) => r.body.items?.length === 1, "b's projected customers");
  expect(bList.body.items.map((i: { customerId: string }) => i.customerId)).toEqual(bCustomers);
  expect(JSON.stringify(bList.body)).not.toContain(aCustomers[0]);

  expect((await list(a.token, '?cursor=garbage')).status).toBe(400);
  expect((await list(a.token, '?limit=1000')).status).toBe(400);
});
