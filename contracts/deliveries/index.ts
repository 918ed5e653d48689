/**
 * The webhook-deliveries contract: one long-running workflow (`delivery:webhooks`) that delivers
 * the outbox round after round, polling more slowly while idle (up to idleMaxMs); a `poke` wakes
 * it at once (a webhook registered). Workflow-safe; the typed client is client.ts beside this file.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { workflowId } from '../ids';

export const DELIVERIES_WORKFLOW = 'webhookDeliveries';
export const deliveriesWorkflowId = (): string => workflowId('delivery', 'webhooks');

export interface DeliveriesStatus {
  rounds: number;
  fannedOut: number;
  attempted: number;
  delivered: number;
  lastRoundAtMs: number | null;
}

export interface DeliveriesInput {
  idleMaxMs: number;
  /** Carried over continue-as-new. */
  status?: DeliveriesStatus;
}

export const pokeSignal = defineSignal('poke');
export const deliveriesStatusQuery = defineQuery<DeliveriesStatus>('deliveriesStatus');
