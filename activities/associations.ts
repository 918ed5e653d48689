/** Association activities: the idempotent Postgres projection of the customer workflows (and the
 * settlement of orders whose attribution it may change). */
import type { ProjectionInput } from '../contracts/associations';
import { projectAssociations } from '../services/associations';
import type { Deps } from '../services/deps';

export function createAssociationActivities(deps: Deps) {
  return {
    /** Idempotent projection of a batch of association changes into Postgres. */
    async projectAssociation(input: ProjectionInput): Promise<void> {
      await projectAssociations(deps, input);
    },
  };
}

export type AssociationActivities = ReturnType<typeof createAssociationActivities>;
