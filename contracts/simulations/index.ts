/**
 * The what-if contract: one workflow per run (`simulation:<id>`) that judges the period's
 * customers slice by slice (activities with heartbeats and a checkpoint in Postgres) and answers
 * its progress. Workflow-safe; the typed client is client.ts beside this file.
 */
import { defineQuery } from '@temporalio/workflow';
import { workflowId } from '../ids';

export const SIMULATION_WORKFLOW = 'simulationRun';
export const simulationWorkflowId = (id: string): string => workflowId('simulation', id);

export interface SimulationInput {
  simulationId: string;
}

export interface SimulationProgress {
  status: 'running' | 'completed' | 'failed';
  customersTotal: number | null;
  customersDone: number;
  ordersDone: number;
  slices: number;
}

export const simulationProgressQuery = defineQuery<SimulationProgress>('simulationProgress');
