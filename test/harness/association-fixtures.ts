/** Helpers for the association, ambassador and customer tests: an API clock that follows the
 * time-skipping server, and small wrappers over the real HTTP endpoints. */
import request from 'supertest';
import type { Express } from 'express';
import { temporal } from '@temporalio/proto';
import { createTestApp, type TestContext } from './context';
import { associationStateQuery, customerWorkflowId as associationWorkflowId, type AssociationView } from '../../contracts/associations';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** The API's clock follows the test server: call sync() after each ctx.testEnv.sleep. */
export class TestClock {
  private offset = 0;
  constructor(private readonly ctx: TestContext) {}
  now = (): number => Date.now() + this.offset;
  async sync(): Promise<number> {
    const t = await this.ctx.testEnv.currentTimeMs();
    this.offset = t - Date.now();
    return t;
  }
  /** Skips workflow time and re-syncs the API clock; returns the new time. */
  async skip(ms: number): Promise<number> {
    await this.ctx.testEnv.sleep(ms);
    return this.sync();
  }
}

export interface Harness {
  app: Express;
  clock: TestClock;
  service: (r: request.Test) => request.Test;
  ops: (r: request.Test) => request.Test;
}

export async function createHarness(ctx: TestContext): Promise<Harness> {
  const clock = new TestClock(ctx);
  await clock.sync();
  const app = await createTestApp(ctx, { now: clock.now });
  return {
    app,
    clock,
    service: (r) => r.set('Authorization', `Bearer ${ctx.config.SERVICE_TOKEN}`),
    ops: (r) => r.set('Authorization', `Bearer ${ctx.config.OPS_TOKEN}`),
  };
}

let seq = 0;
export const uniq = (prefix: string): string => `${prefix}-${process.pid}-${++seq}`;

export interface JoinedAmbassador {
  id: string;
  token: string;
  usercode: string;
  accountId: string;
}

/** Joins through POST /v1/ambassadors (service token) and returns the token shown once. */
export async function joinAmbassador(
  h: Harness,
  body: Partial<{ accountId: string; kind: string; displayName: string; realNameVerified: boolean; joinedAt: string; level: string; identity: unknown }> = {},
): Promise<JoinedAmbassador> {
  const accountId = body.accountId ?? uniq('acct');
  const res = await h.service(request(h.app).post('/v1/ambassadors')).send({
    kind: 'individual',
    displayName: 'Test Ambassador',
    realNameVerified: true,
    ...body,
    accountId,
  });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.ambassador.id, token: res.body.token, usercode: res.body.ambassador.usercode, accountId };
}

export function postClick(h: Harness, body: { customerId: string; usercode: string; clickId?: string; occurredAt?: number | string }) {
  const occurredAt = typeof body.occurredAt === 'number' ? new Date(body.occurredAt).toISOString() : body.occurredAt;
  return h.service(request(h.app).post('/v1/clicks')).send({ ...body, clickId: body.clickId ?? uniq('click'), occurredAt });
}

/** Polls until `pred` holds (projection and workflow work are asynchronous). */
export async function waitFor<T>(get: () => Promise<T>, pred: (v: T) => boolean, what = 'condition', timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

const EventType = temporal.api.enums.v1.EventType;

/**
 * Waits until the customer's latest run is idle: open, no workflow task and no activity in
 * flight. Query a workflow that may continue as new only once it is settled: the time-skipping
 * test server leaks its time-skipping lock when a query task is answered after the run it was
 * sent to has continued as new ("workflow execution already completed"), and every later
 * testEnv.sleep in that environment then waits in real time.
 */
export async function workflowSettled(ctx: TestContext, customerId: string): Promise<void> {
  const handle = ctx.client.workflow.getHandle(associationWorkflowId(customerId));
  await waitFor(
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      let openTasks = 0;
      let openActivities = 0;
      let closed = false;
      for (const e of events) {
        switch (e.eventType) {
          case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            openTasks++;
            break;
          case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
          case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
          case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
            openTasks--;
            break;
          case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            openActivities++;
            break;
          case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
          case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
          case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
          case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
            openActivities--;
            break;
          case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
          case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
          case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
            closed = true;
            break;
        }
      }
      return !closed && openTasks === 0 && openActivities === 0;
    },
    (idle) => idle,
    `the workflow of ${customerId} to settle`,
  );
}

/** The workflow's own view (query). */
export function workflowView(ctx: TestContext, customerId: string): Promise<AssociationView> {
  return ctx.client.workflow.getHandle(associationWorkflowId(customerId)).query(associationStateQuery);
}

/** GET /v1/ops/customers/{id}/association once the projection holds at least `minEvents` events. */
export async function opsAssociation(h: Harness, customerId: string, minEvents = 1) {
  const res = await waitFor(
    () => h.ops(request(h.app).get(`/v1/ops/customers/${customerId}/association`)),
    (r) => r.status === 200 && r.body.timeline.length >= minEvents,
    `${minEvents} projected events of ${customerId}`,
  );
  return res.body as {
    customerId: string;
    workflowId: string;
    current: { associationId: string; ambassadorId: string; startedAt: string; endsAt: string } | null;
    associations: { associationId: string; ambassadorId: string; startedAt: string; endsAt: string; endedAt: string | null; endReason: string | null; ruleSetVersion: string }[];
    timeline: { seq: number; kind: string; at: string; clickId: string | null; ambassadorId: string | null; associationId: string | null; detail: Record<string, unknown> }[];
    nonAssociableReason: { code: string; reason: string } | null;
  };
}

export const kinds = (timeline: { kind: string }[]) => timeline.map((e) => e.kind);
export const isoAt = (ms: number) => new Date(ms).toISOString();
