/** The typed client of the what-if contract. */
import type { Client } from '@temporalio/client';
import { SIMULATION_WORKFLOW, simulationProgressQuery, simulationWorkflowId, type SimulationInput, type SimulationProgress } from './index';

export async function startSimulation(client: Client, simulationId: string, opts: { taskQueue: string }): Promise<string> {
  const input: SimulationInput = { simulationId };
  const handle = await client.workflow.start(SIMULATION_WORKFLOW, { workflowId: simulationWorkflowId(simulationId), taskQueue: opts.taskQueue, args: [input] });
  return handle.workflowId;
}

/** The run's progress as its workflow knows it; null when it cannot answer within `timeoutMs` (no worker polls, or gone from retention). */
export async function simulationProgress(client: Client, simulationId: string, timeoutMs = 1500): Promise<SimulationProgress | null> {
  try {
    const handle = client.workflow.getHandle(simulationWorkflowId(simulationId));
    return await client.connection.withDeadline(Date.now() + timeoutMs, () => handle.query(simulationProgressQuery));
  } catch {
    return null;
  }
}
