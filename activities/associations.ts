/** Association activities: the idempotent Postgres projection of the customer workflows. */
import type { ProjectionInput } from '../contracts/associations';
import { projectAssociationChange } from '../db/repositories/associations';
import type { Deps } from '../services/deps';

export function createAssociationActivities(deps: Pick<Deps, 'sql'>) {
  return {
    /** Idempotent projection of a batch of association changes into Postgres. */
    async projectAssociation(input: ProjectionInput): Promise<void> {
      await projectAssociationChange(deps.sql, input);
    },
  };
}

export type AssociationActivities = ReturnType<typeof createAssociationActivities>;
