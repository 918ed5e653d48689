/** The typed client of the withdrawals contract. */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WITHDRAWAL_WORKFLOW, withdrawalWorkflowId, type WithdrawalWorkflowInput } from './index';

/** Starts the withdrawal's workflow unless it exists (a repeat is harmless); answers whether it started now. */
export async function startWithdrawalWorkflow(client: Client, withdrawalId: string, opts: { taskQueue: string }): Promise<boolean> {
  const input: WithdrawalWorkflowInput = { withdrawalId };
  try {
    await client.workflow.start(WITHDRAWAL_WORKFLOW, {
      workflowId: withdrawalWorkflowId(withdrawalId),
      taskQueue: opts.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** Whether the withdrawal's workflow runs, ended (how), or was never started. */
export async function withdrawalWorkflowState(client: Client, withdrawalId: string): Promise<{ state: 'missing' } | { state: 'running' } | { state: 'closed'; status: string }> {
  try {
    const d = await client.workflow.getHandle(withdrawalWorkflowId(withdrawalId)).describe();
    return d.status.name === 'RUNNING' ? { state: 'running' } : { state: 'closed', status: d.status.name };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { state: 'missing' };
    throw err;
  }
}
