/** The typed client of the reconciliation sweep: its one Schedule, a run on demand. */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client, type ScheduleHandle, type ScheduleSpec } from '@temporalio/client';
import {
  RECONCILIATION_SCHEDULE_ID,
  RECONCILIATION_WORKFLOW,
  RECONCILIATION_WORKFLOW_ID,
  manualReconciliationWorkflowId,
  type ReconciliationInput,
} from './index';

/**
 * Creates the Schedule, or brings an existing one to these settings: safe on every start of every
 * replica ('created' or 'updated'). A run still going when the next is due is skipped; missed
 * runs are not caught up (the next one does the same work).
 */
export async function ensureReconciliationSchedule(client: Client, opts: { taskQueue: string; everySeconds: number }): Promise<'created' | 'updated'> {
  const input: ReconciliationInput = { trigger: 'schedule' };
  const spec: ScheduleSpec = { intervals: [{ every: opts.everySeconds * 1000 }] };
  const action = { type: 'startWorkflow' as const, workflowType: RECONCILIATION_WORKFLOW, workflowId: RECONCILIATION_WORKFLOW_ID, taskQueue: opts.taskQueue, args: [input] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  try {
    await client.schedule.create({ scheduleId: RECONCILIATION_SCHEDULE_ID, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action, policies: { ...prev.policies, ...policies } }));
    return 'updated';
  }
}

export function reconciliationSchedule(client: Client): ScheduleHandle {
  return client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
}

/** Triggers the Schedule now (a scheduled run: the checks that are due). */
export async function triggerReconciliation(client: Client): Promise<void> {
  await reconciliationSchedule(client).trigger();
}

/** Starts a run on demand (every check); answers its workflow ID (two asks in the same millisecond share one run). */
export async function startReconciliation(client: Client, opts: { taskQueue: string; nowMs: number }): Promise<string> {
  const input: ReconciliationInput = { trigger: 'manual' };
  const workflowId = manualReconciliationWorkflowId(opts.nowMs);
  try {
    await client.workflow.start(RECONCILIATION_WORKFLOW, { workflowId, taskQueue: opts.taskQueue, args: [input] });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}
