/**
 * One long-lived entity workflow per customer, ID `customer:<customerId>`, holds the customer's
 * association (关联) history (R-ATTR-1..7). Clicks arrive as the `recordClick` Update (started with
 * update-with-start; answered once applied and projected, so an order placed right after a click
 * is judged with it) or the older `click` signal; a customer's clicks are serialized by the
 * workflow, and a late click is placed in click-time order (patch late-clicks-in-time-order). It
 * sleeps until the open association's end (one timer), records `expired` (R-ATTR-2), then waits
 * for the next click without a timer (R-ATTR-6). Each batch of changes is mirrored to Postgres by
 * one idempotent activity (a local one, inside the workflow task, since patch
 * project-association-in-workflow-task), where orders read their attribution (R-ATTR-5); the
 * batch's activity settles again the orders a changed history may attribute differently.
 * Deterministic: no I/O here, the API resolves everything first.
 */
import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AssociationActivities } from '../activities/associations';
import { associationAtQuery, associationStateQuery, clickSignal, clickUpdate, type ClickOutcome, type CustomerAssociationInput } from '../contracts/associations';
import { applyPending, clickOutcomes, currentInterval, initialState, intervalAt } from '../domain/associations';
import { lateClicksInTimeOrder } from '../domain/associations-reorder';

/** From this patch on, a late click is placed in click-time order (it was recorded and ignored). */
export const LATE_CLICKS_IN_TIME_ORDER = 'late-clicks-in-time-order';

/** From this patch on, a batch is projected by a local activity, inside the workflow task that
 * applied it: a click is answered after one workflow task instead of two and an activity task, so
 * a burst of orders keeping the server busy delays it less (bench/burst.ts). */
export const PROJECT_IN_WORKFLOW_TASK = 'project-association-in-workflow-task';

const PROJECTION_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { projectAssociation } = proxyActivities<AssociationActivities>({ startToCloseTimeout: '30 seconds', retry: PROJECTION_RETRY });
const local = proxyLocalActivities<AssociationActivities>({ startToCloseTimeout: '30 seconds', retry: PROJECTION_RETRY });

export async function customerAssociationWorkflow(input: CustomerAssociationInput): Promise<void> {
  const state = input.state ?? initialState(input.customerId);
  const { workflowId } = workflowInfo();

  setHandler(clickSignal, (click) => {
    state.pending.push(click);
  });
  // Clicks as Updates are answered once applied and projected (an order right after sees them).
  const answers = new Map<string, ClickOutcome>();
  setHandler(
    clickUpdate,
    async (click) => {
      state.pending.push(click);
      await condition(() => answers.has(click.clickId));
      return answers.get(click.clickId)!;
    },
    {
      validator: (click) => {
        if (!click?.clickId) throw new Error('a click needs its clickId');
      },
    },
  );
  setHandler(associationAtQuery, (t) => ({ interval: intervalAt(state, t) ?? null, intervalCount: state.intervals.length }));
  setHandler(associationStateQuery, () => ({
    customerId: state.customerId,
    current: currentInterval(state) ?? null,
    intervals: state.intervals,
    timeline: state.timeline,
    pendingClicks: state.pending.length,
  }));

  for (;;) {
    if (state.pending.length === 0) {
      const cur = currentInterval(state);
      // One timer while an association is open; none while waiting for a first or new click.
      if (cur && cur.endsAt > Date.now()) await condition(() => state.pending.length > 0, cur.endsAt - Date.now());
      else if (!cur) await condition(() => state.pending.length > 0);
    }
    const batch = [...state.pending];
    const change = patched(LATE_CLICKS_IN_TIME_ORDER) ? applyPending(state, Date.now(), lateClicksInTimeOrder(Date.now())) : applyPending(state, Date.now());
    if (change.events.length) {
      const project = patched(PROJECT_IN_WORKFLOW_TASK) ? local.projectAssociation : projectAssociation;
      await project({
        customerId: state.customerId,
        workflowId,
        events: change.events,
        intervals: [...change.intervals.values()],
        ...(change.superseded.length ? { superseded: change.superseded } : {}),
        ...(change.changedFromMs !== null ? { changedFromMs: change.changedFromMs, nowMs: Date.now() } : {}),
      });
    }
    for (const out of clickOutcomes(batch, change)) answers.set(out.clickId, out);
    const info = workflowInfo();
    if (state.pending.length === 0 && (info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? 10_000))) {
      await condition(allHandlersFinished);
      if (state.pending.length === 0) {
        await continueAsNew<typeof customerAssociationWorkflow>({
          customerId: state.customerId,
          state,
          continueAsNewAfterEvents: input.continueAsNewAfterEvents,
        });
      }
    }
  }
}
