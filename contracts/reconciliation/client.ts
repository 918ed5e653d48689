/** The typed client of the reconciliation sweep: its schedule, registered once and kept current. */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleHandle, type ScheduleSpec } from '@temporalio/client';
import { RECONCILIATION_SCHEDULE_ID, RECONCILIATION_WORKFLOW, RECONCILIATION_WORKFLOW_ID } from './index';

/**
 * Creates the schedule, or brings an existing one to these settings: safe on every start of every
 * replica. A run still going when the next is due is skipped; missed runs are not caught up.
 */
export async function ensureReconciliationSchedule(client: Client, opts: { taskQueue: string; everySeconds: number }): Promise<ScheduleHandle> {
  const spec: ScheduleSpec = { intervals: [{ every: opts.everySeconds * 1000 }] };
  const action = { type: 'startWorkflow' as const, workflowType: RECONCILIATION_WORKFLOW, workflowId: RECONCILIATION_WORKFLOW_ID, taskQueue: opts.taskQueue, args: [] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  try {
    return await client.schedule.create({ scheduleId: RECONCILIATION_SCHEDULE_ID, spec, action, policies });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
    await handle.update((prev) => ({ ...prev, spec, action, policies: { ...prev.policies, ...policies } }));
    return handle;
  }
}

/** Runs the sweep now (ops and tests), besides its schedule. */
export async function triggerReconciliation(client: Client): Promise<void> {
  await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).trigger();
}
