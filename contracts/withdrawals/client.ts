/** The typed client of the withdrawals contract. */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Client } from '@temporalio/client';
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
