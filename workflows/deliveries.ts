/**
 * Webhook deliveries (`delivery:webhooks`): round after round, an activity fans the outbox out to
 * the webhooks and POSTs what is due (services/outbox.ts); between rounds the workflow waits for
 * the next retry due, for a `poke`, or (idle) a little longer each time, up to idleMaxMs. It
 * continues as new every few hundred rounds, carrying its totals.
 */
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/deliveries';
import { deliveriesStatusQuery, pokeSignal, type DeliveriesInput, type DeliveriesStatus } from '../contracts/deliveries';

const acts = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const ROUNDS_PER_RUN = 200;

export async function webhookDeliveries(input: DeliveriesInput): Promise<void> {
  const status: DeliveriesStatus = { ...(input.status ?? { rounds: 0, fannedOut: 0, attempted: 0, delivered: 0, lastRoundAtMs: null }) };
  let poked = false;
  setHandler(pokeSignal, () => void (poked = true));
  setHandler(deliveriesStatusQuery, () => status);
  let idleMs = 0;
  for (let i = 0; i < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; i++) {
    poked = false;
    const r = await acts.deliverOutboxRound();
    status.rounds++;
    status.fannedOut += r.fannedOut;
    status.attempted += r.attempted;
    status.delivered += r.delivered;
    status.lastRoundAtMs = Date.now();
    idleMs = r.fannedOut + r.attempted > 0 ? 0 : Math.min(Math.max(idleMs * 2, 500), input.idleMaxMs);
    const waitMs = r.nextDueInMs === null ? idleMs : Math.min(idleMs, r.nextDueInMs);
    if (waitMs > 0) await condition(() => poked, waitMs);
  }
  await continueAsNew<typeof webhookDeliveries>({ ...input, status });
}
