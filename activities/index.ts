/**
 * Activities are built by a factory that takes their dependencies (database, Temporal client,
 * config, rule book), so tests pass the real ones. Every activity is idempotent: a retry must
 * not credit, reserve or record twice. They are thin: the work is in services/.
 */
import type { PayoutProvider } from '../payouts/provider';
import type { Deps } from '../services/deps';
import { createAssociationActivities } from './associations';
import { createOrderActivities } from './orders';
import { createWithdrawalActivities } from './withdrawals';

export interface ActivityDeps extends Deps {
  /** Where withdrawals are paid out; default: the LocalPayoutProvider over `sql`. */
  payoutProvider?: PayoutProvider;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAssociationActivities(deps),
    ...createOrderActivities(deps),
    ...createWithdrawalActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
