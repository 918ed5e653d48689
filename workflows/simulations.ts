/**
 * One what-if run (`simulation:<id>`): count the period's customers, judge them slice by slice
 * (each slice an activity that heartbeats; a slice cut short by a worker restart is retried and
 * resumes from the checkpoint), then total. The progress query answers at any moment; the
 * ledger is never touched.
 */
import { ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SimulationActivities } from '../activities/simulations';
import { simulationProgressQuery, type SimulationInput, type SimulationProgress } from '../contracts/simulations';

const acts = proxyActivities<SimulationActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export async function simulationRun(input: SimulationInput): Promise<SimulationProgress> {
  const id = input.simulationId;
  const progress: SimulationProgress = { status: 'running', customersTotal: null, customersDone: 0, ordersDone: 0, slices: 0 };
  setHandler(simulationProgressQuery, () => progress);
  try {
    progress.customersTotal = await acts.planSimulation(id);
    for (;;) {
      const slice = await acts.runSimulationSlice(id);
      progress.slices++;
      progress.customersDone = slice.customersDone;
      progress.ordersDone = slice.ordersDone;
      if (slice.done) break;
    }
    await acts.finishSimulation(id);
    progress.status = 'completed';
    return progress;
  } catch (err) {
    progress.status = 'failed';
    await acts.failSimulation({ id, error: err instanceof Error ? err.message : String(err) });
    throw ApplicationFailure.nonRetryable(`simulation ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
