/**
 * What-if activities, thin over services/simulations.ts. runSimulationSlice heartbeats its
 * checkpoint after every batch; the checkpoint that counts is the run's cursor in Postgres,
 * written with the batch, so a slice retried on another worker (after a restart) resumes where the
 * last batch ended and nothing is judged twice.
 */
import { Context } from '@temporalio/activity';
import { countCustomers } from '../db/repositories/simulations';
import { failSimulation, finishSimulation, runSlice, type SliceResult } from '../services/simulations';
import type { Deps } from '../services/deps';

export function createSimulationActivities(deps: Deps) {
  return {
    planSimulation: (id: string): Promise<number> => countCustomers(deps.sql, id),
    runSimulationSlice: (id: string): Promise<SliceResult> => {
      const ctx = Context.current();
      return runSlice(deps, id, deps.config.SIMULATION_SLICE_SECONDS * 1000, (c) => ctx.heartbeat(c), () => ctx.cancellationSignal.aborted);
    },
    finishSimulation: (id: string) => finishSimulation(deps, id),
    failSimulation: (input: { id: string; error: string }): Promise<void> => failSimulation(deps, input.id, input.error),
  };
}

export type SimulationActivities = ReturnType<typeof createSimulationActivities>;
