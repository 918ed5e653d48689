/** The typed client of the reconciliation contract: the nightly Schedule and a run on demand. */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  RECONCILIATION_SCHEDULE_ID,
  RECONCILIATION_WORKFLOW,
  manualReconciliationWorkflowId,
  scheduledReconciliationWorkflowId,
  type ReconciliationInput,
} from './index';

/** Creates the nightly Schedule (at `hour`:00 China Standard Time), or brings an existing one to these settings. */
export async function ensureReconciliationSchedule(client: Client, opts: { taskQueue: string; hour: number }): Promise<'created' | 'updated'> {
  const input: ReconciliationInput = { trigger: 'schedule' };
  const spec = { calendars: [{ hour: opts.hour, minute: 0 }], timezone: 'Asia/Shanghai' };
  const action = { type: 'startWorkflow' as const, workflowType: RECONCILIATION_WORKFLOW, workflowId: scheduledReconciliationWorkflowId(), taskQueue: opts.taskQueue, args: [input] };
  try {
    await client.schedule.create({ scheduleId: RECONCILIATION_SCHEDULE_ID, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
    return 'updated';
  }
}

/** Starts a sweep now; answers its workflow ID. */
export async function startReconciliation(client: Client, opts: { taskQueue: string; nowMs: number }): Promise<string> {
  const input: ReconciliationInput = { trigger: 'manual' };
  const handle = await client.workflow.start(RECONCILIATION_WORKFLOW, { workflowId: manualReconciliationWorkflowId(opts.nowMs), taskQueue: opts.taskQueue, args: [input] });
  return handle.workflowId;
}
