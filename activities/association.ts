/**
 * Association activities: the Postgres projection of the customer workflows (idempotent) and
 * order attribution (R-ATTR-5) for the order-settlement code.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../db/client';
import { getAmbassador, levelAt } from '../customers/ambassadors';
import {
  associationAtQuery,
  associationWorkflowId,
  type AssociationInterval,
  type Attribution,
  type TimelineEvent,
} from '../workflows/association';
import type { ActivityDeps } from './index';

export interface ProjectionInput {
  customerId: string;
  workflowId: string;
  events: TimelineEvent[];
  intervals: AssociationInterval[];
}

const ts = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Mirrors one batch of changes: association rows are upserted (a row is only overwritten by a
 * change with a higher timeline seq), events are inserted once per (customer_id, seq). */
export async function projectAssociationChange(sql: Sql, input: ProjectionInput): Promise<void> {
  await sql.begin(async (tx) => {
    for (const i of input.intervals) {
      await tx`
        INSERT INTO associations (id, customer_id, ambassador_id, started_at, ends_at, ended_at, end_reason, workflow_id,
                                  usercode, rule_set_version, last_click_at, last_seq)
        VALUES (${i.associationId}, ${input.customerId}, ${i.ambassadorId}, ${ts(i.startedAt)}, ${ts(i.endsAt)}, ${ts(i.endedAt)},
                ${i.endReason}, ${input.workflowId}, ${i.usercode}, ${i.ruleSetVersion}, ${ts(i.lastClickAt)}, ${i.lastSeq})
        ON CONFLICT (id) DO UPDATE SET
          ends_at = EXCLUDED.ends_at, ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason,
          rule_set_version = EXCLUDED.rule_set_version, last_click_at = EXCLUDED.last_click_at,
          last_seq = EXCLUDED.last_seq, workflow_id = EXCLUDED.workflow_id, updated_at = now()
        WHERE associations.last_seq < EXCLUDED.last_seq`;
    }
    for (const e of input.events) {
      await tx`
        INSERT INTO association_events (customer_id, seq, kind, at, ambassador_id, association_id, detail, click_id, workflow_id)
        VALUES (${input.customerId}, ${e.seq}, ${e.kind}, ${ts(e.at)}, ${e.ambassadorId}, ${e.associationId},
                ${tx.json(e.detail)}, ${e.clickId}, ${input.workflowId})
        ON CONFLICT (customer_id, seq) DO NOTHING`;
    }
  });
}

export function createAssociationActivities(deps: ActivityDeps) {
  return {
    /** Idempotent projection of a batch of association changes into Postgres. */
    async projectAssociation(input: ProjectionInput): Promise<void> {
      await projectAssociationChange(deps.sql, input);
    },

    /**
     * R-ATTR-5: the association in force when the order was placed (start ≤ placedAt < end; a
     * switched association only before its switch), with the ambassador's level at that instant
     * (R-AMB-3). The workflow's interval history is the source of truth (a query); the level and
     * kind come from Postgres. The associationId is stable: cap reservations key on it.
     */
    async attributeOrder(input: { customerId: string; placedAtMs: number }): Promise<Attribution> {
      const workflowId = associationWorkflowId(input.customerId);
      let found;
      try {
        found = await deps.client.workflow.getHandle(workflowId).query(associationAtQuery, input.placedAtMs);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          return { associated: false, reasonCode: 'NO_ASSOCIATION', reason: `customer ${input.customerId} never clicked an ambassador link (no association 关联)` };
        }
        throw err;
      }
      const i = found.interval;
      if (!i) {
        return found.intervalCount === 0
          ? { associated: false, reasonCode: 'NO_ASSOCIATION', reason: `customer ${input.customerId} has no association (关联)` }
          : {
              associated: false,
              reasonCode: 'NOT_ASSOCIATED_AT_PLACEMENT',
              reason: `customer ${input.customerId} was not associated with any ambassador at ${new Date(input.placedAtMs).toISOString()}`,
            };
      }
      const [ambassador, level] = await Promise.all([getAmbassador(deps.sql, i.ambassadorId), levelAt(deps.sql, i.ambassadorId, input.placedAtMs)]);
      if (!ambassador || !level) throw new Error(`ambassador ${i.ambassadorId} of association ${i.associationId} has no row or level`);
      return {
        associated: true,
        ambassadorId: i.ambassadorId,
        associationId: i.associationId,
        associationStartedAt: i.startedAt,
        associationEndsAt: Math.min(i.endsAt, i.endedAt ?? i.endsAt),
        level,
        ambassadorKind: ambassador.kind,
        workflowId,
      };
    },
  };
}
