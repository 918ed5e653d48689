/** The typed client of the deliveries contract. */
import type { Client } from '@temporalio/client';
import { DELIVERIES_WORKFLOW, deliveriesWorkflowId, pokeSignal, type DeliveriesInput } from './index';

/** Starts the delivery workflow unless it runs, and wakes it (signal-with-start: harmless to repeat). */
export async function ensureDeliveries(client: Client, opts: { taskQueue: string; idleMaxMs: number }): Promise<void> {
  const input: DeliveriesInput = { idleMaxMs: opts.idleMaxMs };
  await client.workflow.signalWithStart(DELIVERIES_WORKFLOW, {
    workflowId: deliveriesWorkflowId(),
    taskQueue: opts.taskQueue,
    args: [input],
    signal: pokeSignal,
    signalArgs: [],
  });
}
