/** The delivery round of the outbox (services/outbox.ts), as an activity: idempotent, at least once. */
import { deliverRound, type RoundResult } from '../services/outbox';
import type { Deps } from '../services/deps';

export function createDeliveryActivities(deps: Deps) {
  return {
    deliverOutboxRound: (): Promise<RoundResult> => deliverRound(deps),
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
