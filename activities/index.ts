/**
 * Activities are built by a factory that takes their dependencies (database, Temporal client,
 * config, rule book), so tests pass the real ones. Every activity is idempotent: a retry must
 * not credit, reserve or record twice. They are thin: the work is in services/.
 */
import type { ActivityDeps } from './deps';
import { createAssociationActivities } from './associations';
import { createOrderActivities } from './orders';
import { createWithdrawalActivities } from './withdrawals';
import { createReconciliationActivities } from './reconciliation';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAssociationActivities(deps),
    ...createOrderActivities(deps),
    ...createWithdrawalActivities(deps),
    ...createReconciliationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
