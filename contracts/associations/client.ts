/** The typed client of the associations contract: clicks go to the customer's workflow. */
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { CustomerIdKey } from '../search-attributes';
import { CUSTOMER_WORKFLOW, associationAtQuery, clickSignal, customerWorkflowId, type AssociationAtResult, type Click, type CustomerAssociationInput } from './index';

/** Signals a resolved click to the customer's workflow, starting it when it does not run. */
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
