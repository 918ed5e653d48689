/** The typed client of the associations contract: clicks go to the customer's workflow. */
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { CustomerIdKey } from '../search-attributes';
import {
  CUSTOMER_WORKFLOW,
  associationAtQuery,
  clickSignal,
  clickUpdate,
  customerWorkflowId,
  type AssociationAtResult,
  type Click,
  type ClickOutcome,
  type CustomerAssociationInput,
} from './index';

/** A resolved click as an Update to the customer's workflow (started when it does not run):
 * answered once the click is applied and projected into Postgres. */
export async function recordClickInWorkflow(
  client: Client,
  customerId: string,
  click: Click,
  opts: { taskQueue: string; searchAttributes?: boolean },
): Promise<{ workflowId: string; outcome: ClickOutcome }> {
  const workflowId = customerWorkflowId(customerId);
  const input: CustomerAssociationInput = { customerId };
  const start = new WithStartWorkflowOperation(CUSTOMER_WORKFLOW, {
    workflowId,
    taskQueue: opts.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    ...(opts.searchAttributes ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: customerId }]) } : {}),
  });
  const outcome = await client.workflow.executeUpdateWithStart(clickUpdate, { args: [click], startWorkflowOperation: start });
  return { workflowId, outcome };
}

/** Signals a resolved click to the customer's workflow, starting it when it does not run (fire and forget). */
export async function sendClick(
  client: Client,
  customerId: string,
  click: Click,
  opts: { taskQueue: string; searchAttributes?: boolean },
): Promise<{ workflowId: string }> {
  const workflowId = customerWorkflowId(customerId);
  const input: CustomerAssociationInput = { customerId };
  await client.workflow.signalWithStart(CUSTOMER_WORKFLOW, {
    workflowId,
    taskQueue: opts.taskQueue,
    args: [input],
    signal: clickSignal,
    signalArgs: [click],
    ...(opts.searchAttributes ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: customerId }]) } : {}),
  });
  return { workflowId };
}

/** The interval history's answer at an instant; null when the customer has no workflow (never clicked). */
export async function associationAt(client: Client, customerId: string, atMs: number): Promise<AssociationAtResult | null> {
  try {
    return await client.workflow.getHandle(customerWorkflowId(customerId)).query(associationAtQuery, atMs);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
