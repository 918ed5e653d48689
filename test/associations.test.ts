/**
 * Associations (关联) end to end: the real HTTP app, the real customer workflows on the
 * time-skipping server, the real Postgres projection, attribution through the activity.
 */
import request from 'supertest';
import { keepHistory } from './harness/histories';
import { Worker } from '@temporalio/worker';
import { projectAssociationChange } from '../db/repositories/associations';
import { attributeOrder } from '../services/associations';
import type { Sql } from '../db/client';
import { utc8 } from '../domain/time';
import { clickSignal, customerWorkflowId as associationWorkflowId, type ProjectionInput } from '../contracts/associations';
import { customerAssociationWorkflow } from '../workflows/associations';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { signCustomerAssertion } from '../lib/tokens';
import {
  DAY,
  HOUR,
  isoAt,
  joinAmbassador,
  kinds,
  opsAssociation,
  postClick,
  uniq,
  waitFor,
  workflowSettled,
  workflowView,
  type Harness,
} from './harness/association-fixtures';

let ctx: TestContext;
let h: Harness;
let attribute: (input: { customerId: string; placedAtMs: number }) => ReturnType<typeof attributeOrder>;

useHarness((x) => {
  ({ ctx, h } = x);
  attribute = (input) => attributeOrder(ctx.deps, input);
});

/** The latest instant at or before `nowMs` whose UTC+8 wall time is hh:mm. */
function latestWallTime(nowMs: number, hh: number, mm: number): number {
  const wall = new Date(nowMs + 8 * HOUR);
  const t = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), hh, mm) - 8 * HOUR;
  return t <= nowMs ? t : t - DAY;
}

/** What the identity gateway sends for a logged-in customer (X-Customer-Assertion), valid 5 minutes. */
const loggedIn = (customerId: string, opts: { secret?: string; expiresAtMs?: number } = {}) =>
  signCustomerAssertion(opts.secret ?? ctx.config.CUSTOMER_ASSERTION_SECRET, customerId, opts.expiresAtMs ?? h.clock.now() + 5 * 60_000);

test('R-ATTR-1 a logged-in customer opening the link is associated; a click without login associates no one', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');

  const anonymous = await request(h.app).get(`/r/${amb.usercode}`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.error).toMatchObject({ code: 'not_logged_in', message: expect.stringMatching(/log in/) });

  const res = await request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(customerId));
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ recorded: true, customerId, usercode: amb.usercode, refused: null, workflowId: `customer:${customerId}` });

  const view = await opsAssociation(h, customerId, 2);
  expect(kinds(view.timeline)).toEqual(['click', 'created']);
  expect(view.current).toMatchObject({ ambassadorId: amb.id, associationId: `${customerId}:1` });
  expect(view.workflowId).toBe(`customer:${customerId}`);
});

test('R-ATTR-1 the link trusts only an assertion signed by the identity gateway: a plain, forged, tampered or expired one is 401 and records no click', async () => {
  const amb = await joinAmbassador(h);
  const victim = uniq('cust');
  const attempts = {
    plainHeader: request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Id', victim),
    forged: request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(victim, { secret: 'someone-else-s-secret-of-32-chars!!' })),
    tampered: request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(uniq('cust')).replace(/^v1\.[^.]+\./, `v1.${victim}.`)),
    expired: request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(victim, { expiresAtMs: h.clock.now() - 1000 })),
    tooLongLived: request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(victim, { expiresAtMs: h.clock.now() + 86_400_000 })),
  };
  for (const [what, req] of Object.entries(attempts)) {
    const res = await req;
    expect({ what, status: res.status }).toEqual({ what, status: 401 });
    expect(res.body.error.code).toMatch(/^(not_logged_in|invalid_customer_assertion)$/);
  }
  // No click reached the customer's workflow.
  await expect(ctx.client.workflow.getHandle(associationWorkflowId(victim)).describe()).rejects.toThrow(/not found/i);
  const ok = await request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(victim));
  expect(ok.status).toBe(202);
  expect(ok.body.customerId).toBe(victim);
});

test('R-ATTR-1 the ops view reads associations and timeline from one snapshot: a batch projected mid-read is all in or all out', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  expect((await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send({})).status).toBe(200);
  const t = await h.clock.sync();
  const associationId = `${customerId}:1`;
  const batch: ProjectionInput = {
    customerId,
    workflowId: associationWorkflowId(customerId),
    events: [
      { seq: 1, kind: 'click', at: t, clickId: 'c1', ambassadorId: amb.id, associationId: null, detail: {} },
      { seq: 2, kind: 'created', at: t, clickId: 'c1', ambassadorId: amb.id, associationId, detail: { endsAt: t + 60 * DAY } },
    ],
    intervals: [
      { associationId, ambassadorId: amb.id, usercode: amb.usercode, startedAt: t, endsAt: t + 60 * DAY, lastClickAt: t, ruleSetVersion: '2024-06-01', endedAt: null, endReason: null, lastSeq: 2 },
    ],
  };
  // Force the interleaving seen under load: the endpoint has read the association rows and waits
  // for the timeline while the projection of a batch (rows + events, one transaction) commits.
  let reading!: Promise<request.Response>;
  await ctx.sql.begin(async (tx) => {
    await tx`LOCK TABLE association_events IN ACCESS EXCLUSIVE MODE`;
    reading = h.ops(request(h.app).get(`/v1/ops/customers/${customerId}/association`)).then((r) => r);
    await waitFor(
      async () => (await ctx.sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT seq, kind, at, click_id%'`)[0]?.n as number,
      (n) => n > 0,
      'the ops read to wait for the timeline',
    );
    await projectAssociationChange({ begin: (fn: (s: unknown) => unknown) => fn(tx) } as unknown as Sql, batch);
  });
  const torn = await reading;
  expect(torn.status).toBe(200);
  const created = torn.body.timeline.filter((e: { kind: string }) => e.kind === 'created').map((e: { associationId: string }) => e.associationId);
  expect(torn.body.associations.map((a: { associationId: string }) => a.associationId)).toEqual(created);
  expect(torn.body.current?.associationId ?? null).toBe(created.length ? associationId : null);

  const after = await opsAssociation(h, customerId, 2);
  expect(kinds(after.timeline)).toEqual(['click', 'created']);
  expect(after.current).toMatchObject({ associationId, ambassadorId: amb.id, endsAt: isoAt(t + 60 * DAY) });
});

test('R-ATTR-2 R-ATTR-3 click 10:30 then 11:30 by the same ambassador: start 10:30, end 11:30 + 60 days', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  const at1130 = latestWallTime(await h.clock.sync(), 11, 30);
  const at1030 = at1130 - HOUR;

  expect((await postClick(h, { customerId, usercode: amb.usercode, occurredAt: at1030 })).status).toBe(202);
  expect((await postClick(h, { customerId, usercode: amb.usercode, occurredAt: at1130 })).status).toBe(202);

  const view = await opsAssociation(h, customerId, 4);
  expect(kinds(view.timeline)).toEqual(['click', 'created', 'click', 'extended']);
  expect(view.associations).toHaveLength(1);
  expect(view.associations[0]).toMatchObject({
    associationId: `${customerId}:1`,
    ambassadorId: amb.id,
    startedAt: isoAt(at1030),
    endsAt: isoAt(at1130 + 60 * DAY),
    endedAt: null,
    ruleSetVersion: '2024-06-01',
  });
  expect(view.timeline[3]?.detail).toMatchObject({ previousEndsAt: at1030 + 60 * DAY, endsAt: at1130 + 60 * DAY });
  // The workflow (source of truth) agrees with the projection.
  const wf = await workflowView(ctx, customerId);
  expect(wf.current).toMatchObject({ startedAt: at1030, endsAt: at1130 + 60 * DAY });
});

test('R-ATTR-4 R-ATTR-5 a switch on day 10 ends the old association; orders are attributed by placement instant', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t0 = await h.clock.sync();
  await postClick(h, { customerId, usercode: a.usercode, occurredAt: t0 });
  await opsAssociation(h, customerId, 2);

  const t10 = await h.clock.skip(10 * DAY);
  expect((await postClick(h, { customerId, usercode: b.usercode, occurredAt: t10 })).status).toBe(202);
  const view = await opsAssociation(h, customerId, 5);
  expect(kinds(view.timeline)).toEqual(['click', 'created', 'click', 'switched', 'created']);
  expect(view.associations).toEqual([
    expect.objectContaining({ associationId: `${customerId}:1`, ambassadorId: a.id, startedAt: isoAt(t0), endedAt: isoAt(t10), endReason: 'switched' }),
    expect.objectContaining({ associationId: `${customerId}:2`, ambassadorId: b.id, startedAt: isoAt(t10), endsAt: isoAt(t10 + 60 * DAY), endedAt: null }),
  ]);
  expect(view.current?.ambassadorId).toBe(b.id);

  // R-ATTR-5: a late order event is attributed by when it was placed, not when it arrives.
  const onDay5 = await attribute({ customerId, placedAtMs: t0 + 5 * DAY });
  expect(onDay5).toEqual({
    associated: true,
    ambassadorId: a.id,
    associationId: `${customerId}:1`,
    associationStartedAt: t0,
    associationEndsAt: t10,
    level: 'L1',
    ambassadorKind: 'individual',
    workflowId: associationWorkflowId(customerId),
  });
  expect(await attribute({ customerId, placedAtMs: t10 })).toMatchObject({ associated: true, ambassadorId: b.id, associationId: `${customerId}:2` });
  expect(await attribute({ customerId, placedAtMs: t0 - 1 })).toMatchObject({ associated: false, reasonCode: 'NOT_ASSOCIATED_AT_PLACEMENT' });
  expect(await attribute({ customerId: uniq('never-clicked'), placedAtMs: t0 })).toMatchObject({ associated: false, reasonCode: 'NO_ASSOCIATION' });
});

test('R-ATTR-6 R-ATTR-2 the association expires on day 60 and a click on day 62 associates anew', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t0 = await h.clock.sync();
  await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t0 });
  await opsAssociation(h, customerId, 2);

  await h.clock.skip(60 * DAY);
  const expired = await opsAssociation(h, customerId, 3);
  expect(kinds(expired.timeline)).toEqual(['click', 'created', 'expired']);
  expect(expired.timeline[2]).toMatchObject({ at: isoAt(t0 + 60 * DAY), associationId: `${customerId}:1` });
  expect(expired.current).toBeNull();
  expect(expired.associations[0]).toMatchObject({ endedAt: isoAt(t0 + 60 * DAY), endReason: 'expired' });

  await h.clock.skip(2 * DAY);
  const t62 = h.clock.now();
  await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t62 });
  const again = await opsAssociation(h, customerId, 5);
  expect(kinds(again.timeline)).toEqual(['click', 'created', 'expired', 'click', 'created']);
  expect(again.current).toMatchObject({ associationId: `${customerId}:2`, startedAt: isoAt(t62), endsAt: isoAt(t62 + 60 * DAY) });

  expect(await attribute({ customerId, placedAtMs: t0 + 59 * DAY })).toMatchObject({ associated: true, associationId: `${customerId}:1` });
  expect(await attribute({ customerId, placedAtMs: t0 + 61 * DAY })).toMatchObject({ associated: false, reasonCode: 'NOT_ASSOCIATED_AT_PLACEMENT' });
  expect(await attribute({ customerId, placedAtMs: t62 + DAY })).toMatchObject({ associated: true, associationId: `${customerId}:2` });
});

test('R-ATTR-2 R-AMB-3 a click under the rule set with a 30-day window; attribution carries the level at the placement instant', async () => {
  const amb = await joinAmbassador(h, { joinedAt: '2024-02-01T00:00:00+08:00' });
  const level = await h.ops(request(h.app).put(`/v1/ops/ambassadors/${amb.id}/level`)).send({ level: 'L2', effectiveAt: '2024-03-10T00:00:00+08:00', reason: 'promotion' });
  expect(level.status).toBe(200);
  const customerId = uniq('cust');
  const click = utc8('2024-03-01T10:30');
  expect((await postClick(h, { customerId, usercode: amb.usercode, occurredAt: click })).status).toBe(202);

  // The end is already past in workflow time: the association is recorded and expires at once.
  const view = await opsAssociation(h, customerId, 3);
  expect(kinds(view.timeline)).toEqual(['click', 'created', 'expired']);
  expect(view.associations[0]).toMatchObject({
    startedAt: isoAt(click),
    endsAt: isoAt(utc8('2024-03-31T10:30')),
    ruleSetVersion: 'earliest',
    endReason: 'expired',
  });
  expect(view.timeline[1]?.detail).toMatchObject({ windowDays: 30, ruleSetVersion: 'earliest' });

  expect(await attribute({ customerId, placedAtMs: utc8('2024-03-05') })).toMatchObject({ associated: true, level: 'L1' });
  expect(await attribute({ customerId, placedAtMs: utc8('2024-03-15') })).toMatchObject({ associated: true, level: 'L2', associationEndsAt: utc8('2024-03-31T10:30') });
  expect(await attribute({ customerId, placedAtMs: utc8('2024-03-31T10:30') })).toMatchObject({ associated: false, reasonCode: 'NOT_ASSOCIATED_AT_PLACEMENT' });
});

test('R-ATTR-7 a customer reached by the vendor’s own sales is not associated; the refusal and its reason are in the timeline', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  const put = await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send({ nonAssociableReason: 'telesales' });
  expect(put.status).toBe(200);

  const res = await postClick(h, { customerId, usercode: amb.usercode });
  expect(res.status).toBe(202);
  expect(res.body.refused).toMatchObject({ code: 'NON_ASSOCIABLE' });
  expect(res.body.refused.reason).toMatch(/telesales \(电销\).*R-ATTR-7/);

  const view = await opsAssociation(h, customerId, 2);
  expect(kinds(view.timeline)).toEqual(['click', 'refused']);
  expect(view.timeline[1]?.detail).toMatchObject({ code: 'NON_ASSOCIABLE' });
  expect(view.associations).toEqual([]);
  expect(view.nonAssociableReason).toMatchObject({ code: 'telesales' });
  expect(await attribute({ customerId, placedAtMs: h.clock.now() })).toMatchObject({ associated: false, reasonCode: 'NO_ASSOCIATION' });
});

test('R-SAME-1 R-ATTR-7 a same-person click (shared phone, linked account, own account) is refused with the reason', async () => {
  const amb = await joinAmbassador(h, { identity: { phone: '+86 138-0000-1111', email: 'Amb@Example.com' } });
  const samePhone = uniq('cust');
  await h.service(request(h.app).put(`/v1/customers/${samePhone}`)).send({ identity: { phone: '+8613800001111' } });
  const linked = uniq('cust');
  await h.service(request(h.app).put(`/v1/customers/${linked}`)).send({ identity: { linkedAccounts: [amb.accountId] } });

  const r1 = await postClick(h, { customerId: samePhone, usercode: amb.usercode });
  expect(r1.body.refused).toMatchObject({ code: 'SAME_PERSON' });
  expect(r1.body.refused.reason).toMatch(/同人.*phone/);
  const r2 = await postClick(h, { customerId: linked, usercode: amb.usercode });
  expect(r2.body.refused.reason).toMatch(/linked_account/);
  // The ambassador's own account clicking their own link.
  const r3 = await request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', loggedIn(amb.accountId));
  expect(r3.status).toBe(202);
  expect(r3.body.refused).toMatchObject({ code: 'SAME_PERSON' });

  const view = await opsAssociation(h, samePhone, 2);
  expect(kinds(view.timeline)).toEqual(['click', 'refused']);
  expect(view.timeline[1]?.detail).toMatchObject({ code: 'SAME_PERSON' });
  expect(view.associations).toEqual([]);

  // A different person is associated normally.
  const other = uniq('cust');
  await h.service(request(h.app).put(`/v1/customers/${other}`)).send({ identity: { phone: '+86 139-0000-2222' } });
  expect((await postClick(h, { customerId: other, usercode: amb.usercode })).body.refused).toBeNull();
});

test('R-AMB-1 R-ATTR-7 an ambassador whose real-name verification was withdrawn associates no one', async () => {
  const amb = await joinAmbassador(h);
  expect((await h.service(request(h.app).put(`/v1/ambassadors/${amb.id}/real-name`)).send({ realNameVerified: false })).status).toBe(200);
  const customerId = uniq('cust');
  const res = await postClick(h, { customerId, usercode: amb.usercode });
  expect(res.body.refused).toMatchObject({ code: 'AMBASSADOR_NOT_VERIFIED' });
  expect(kinds((await opsAssociation(h, customerId, 2)).timeline)).toEqual(['click', 'refused']);
});

test('R-ATTR-3 a repeated clickId changes nothing', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t = await h.clock.sync();
  const first = { customerId, usercode: amb.usercode, clickId: uniq('dup'), occurredAt: t - 2 * HOUR };
  expect((await postClick(h, first)).status).toBe(202);
  expect((await postClick(h, first)).status).toBe(202);
  expect((await postClick(h, { ...first, occurredAt: t - HOUR })).status).toBe(202); // same id, other body: still the same click
  await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t });

  const view = await opsAssociation(h, customerId, 4);
  await new Promise((r) => setTimeout(r, 300));
  const settled = await opsAssociation(h, customerId, 4);
  expect(kinds(settled.timeline)).toEqual(['click', 'created', 'click', 'extended']);
  expect(settled.timeline).toEqual(view.timeline);
  expect(settled.associations[0]).toMatchObject({ startedAt: isoAt(t - 2 * HOUR), endsAt: isoAt(t + 60 * DAY) });
});

test('R-ATTR-4 R-ATTR-5 a click older than the latest applied click is placed in click-time order: the history is computed again', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t = await h.clock.sync();
  await postClick(h, { customerId, usercode: a.usercode, occurredAt: t });
  await opsAssociation(h, customerId, 2);
  const late = await postClick(h, { customerId, usercode: b.usercode, occurredAt: t - 3 * HOUR });
  expect(late.body).toMatchObject({ outcome: 'reordered' });
  const view = await opsAssociation(h, customerId, 4);
  expect(kinds(view.timeline)).toEqual(['click', 'created', 'click', 'reordered']);
  // In click-time order: B's click came first (B associated), then A's switched it (R-ATTR-4).
  expect(view.associations.map((x) => [x.ambassadorId, x.startedAt, x.endedAt])).toEqual([
    [b.id, isoAt(t - 3 * HOUR), isoAt(t)],
    [a.id, isoAt(t), null],
  ]);
  expect(view.current?.ambassadorId).toBe(a.id);
  expect(await attribute({ customerId, placedAtMs: t - HOUR })).toMatchObject({ associated: true, ambassadorId: b.id });
  expect(await attribute({ customerId, placedAtMs: t + HOUR })).toMatchObject({ associated: true, ambassadorId: a.id });
  await workflowSettled(ctx, customerId);
  await keepHistory(ctx.client.workflow.getHandle(associationWorkflowId(customerId)), 'customer-by-update-late-click-reordered-local-projection');
});

test('R-ATTR-1 bad input gets a 4xx with a reason: unknown usercode, malformed ids, future occurredAt, no token', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');

  const unknown = await postClick(h, { customerId, usercode: 'nosuchcode99' });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error).toMatchObject({ code: 'unknown_usercode' });
  expect(unknown.body.error.message).toMatch(/nosuchcode99/);
  // Still recorded in the customer's timeline as refused.
  const view = await opsAssociation(h, customerId, 2);
  expect(view.timeline[1]).toMatchObject({ kind: 'refused', detail: { code: 'UNKNOWN_AMBASSADOR' } });

  const malformed = await postClick(h, { customerId: 'bad id!', usercode: 'no/slash', clickId: '' });
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.code).toBe('validation_failed');
  expect(malformed.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.clickId', 'body.customerId', 'body.usercode']);

  const badInstant = await postClick(h, { customerId, usercode: amb.usercode, occurredAt: 'yesterday' });
  expect(badInstant.status).toBe(400);
  expect(badInstant.body.error.details[0].path).toBe('body.occurredAt');

  const future = await postClick(h, { customerId, usercode: amb.usercode, occurredAt: h.clock.now() + HOUR });
  expect(future.status).toBe(422);
  expect(future.body.error).toMatchObject({ code: 'occurred_at_in_future' });

  const badHeader = await request(h.app).get(`/r/${amb.usercode}`).set('X-Customer-Assertion', 'not valid!');
  expect(badHeader.status).toBe(401);
  const unknownLink = await request(h.app).get('/r/nosuchcode99').set('X-Customer-Assertion', loggedIn(customerId));
  expect(unknownLink.status).toBe(404);

  const noToken = await request(h.app).post('/v1/clicks').send({ customerId, usercode: amb.usercode, clickId: 'c1' });
  expect(noToken.status).toBe(401);
  const opsTokenOnService = await h.ops(request(h.app).post('/v1/clicks')).send({ customerId, usercode: amb.usercode, clickId: 'c1' });
  expect(opsTokenOnService.status).toBe(401);
  expect((await h.ops(request(h.app).get('/v1/ops/customers/nobody-here/association'))).status).toBe(404);
});

test('R-ATTR-3 R-ATTR-4 a long-lived customer workflow continues as new with its state', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const customerId = uniq('cust');
  const workflowId = associationWorkflowId(customerId);
  const t = await h.clock.sync();
  // Start the workflow with a small history threshold; later clicks reach it through the API.
  const firstClickId = uniq('click');
  const handle = await ctx.client.workflow.signalWithStart(customerAssociationWorkflow, {
    workflowId,
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    args: [{ customerId, continueAsNewAfterEvents: 20 }],
    signal: clickSignal,
    signalArgs: [{ clickId: firstClickId, usercode: a.usercode, ambassadorId: a.id, occurredAt: t - 10 * HOUR, ruleSetVersion: '2024-06-01', windowMs: 60 * DAY }],
  });
  const firstRunId = handle.signaledRunId;
  let expected = 2;
  let previous = a;
  for (let k = 9; k >= 1; k--) {
    const amb = k % 3 === 0 ? b : a;
    await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t - k * HOUR });
    expected += amb === previous ? 2 : 3; // click + extended, or click + switched + created
    previous = amb;
    await opsAssociation(h, customerId, expected); // one click at a time, so the history grows
  }
  const runId = (await ctx.client.workflow.getHandle(workflowId).describe()).runId;
  expect(runId).not.toBe(firstRunId);

  // State survived: every interval, the seen click ids, the association numbering.
  await postClick(h, { customerId, usercode: a.usercode, clickId: firstClickId, occurredAt: t });
  await postClick(h, { customerId, usercode: b.usercode, occurredAt: t });
  const view = await opsAssociation(h, customerId, expected + 3);
  expect(view.timeline).toHaveLength(expected + 3);
  // The last batch may make the workflow continue as new: query only once it has settled.
  await workflowSettled(ctx, customerId);
  const wf = await workflowView(ctx, customerId);
  expect(wf.current?.ambassadorId).toBe(b.id);
  expect(wf.intervals.map((i) => i.associationId)).toEqual(view.associations.map((x) => x.associationId));
  expect(view.associations.map((x) => x.associationId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${customerId}:${n}`));
  expect(view.timeline.map((e) => e.seq)).toEqual(view.timeline.map((_, i) => i + 1));
  expect(view.timeline.filter((e) => e.clickId === firstClickId && e.kind === 'click')).toHaveLength(1);
  expect(await attribute({ customerId, placedAtMs: t - 10 * HOUR })).toMatchObject({ associated: true, associationId: `${customerId}:1` });
});

test('R-ATTR-3 R-ATTR-6 a click from before the recorded end that arrives after the expiry reopens and extends the association', async () => {
  const amb = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t0 = await h.clock.sync();
  await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t0 });
  await opsAssociation(h, customerId, 2);
  await h.clock.skip(61 * DAY);
  await opsAssociation(h, customerId, 3); // expired on day 60
  const lateClick = t0 + 60 * DAY - HOUR; // happened on day 60, reported on day 61
  await postClick(h, { customerId, usercode: amb.usercode, occurredAt: lateClick });
  const view = await opsAssociation(h, customerId, 6);
  expect(kinds(view.timeline)).toEqual(['click', 'created', 'expired', 'click', 'reopened', 'extended']);
  expect(view.associations).toEqual([
    expect.objectContaining({ associationId: `${customerId}:1`, startedAt: isoAt(t0), endsAt: isoAt(lateClick + 60 * DAY), endedAt: null, endReason: null }),
  ]);
  expect(await attribute({ customerId, placedAtMs: t0 + 61 * DAY })).toMatchObject({ associated: true, associationId: `${customerId}:1` });
});

test('R-ATTR-4 the customer workflow replays deterministically from its recorded history', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const customerId = uniq('cust');
  const t = await h.clock.sync();
  await postClick(h, { customerId, usercode: a.usercode, occurredAt: t - 2 * HOUR });
  await postClick(h, { customerId, usercode: b.usercode, occurredAt: t - HOUR });
  await postClick(h, { customerId, usercode: 'nosuchcode99', occurredAt: t });
  await opsAssociation(h, customerId, 7);
  const handle = ctx.client.workflow.getHandle(associationWorkflowId(customerId));
  await keepHistory(handle, 'customer-by-update-switch-and-refusal-local-projection');
  const history = await handle.fetchHistory();
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string } }, history, associationWorkflowId(customerId)),
  ).resolves.toBeUndefined();
});
