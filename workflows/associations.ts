/**
 * One long-lived entity workflow per customer, ID `customer:<customerId>`, holds the customer's
 * association (关联) history (R-ATTR-1..7). Clicks arrive as the `click` signal (started with
 * signal-with-start), so a customer's clicks are serialized by the workflow. It sleeps until the
 * open association's end (one timer), records `expired` (R-ATTR-2), then waits for the next click
 * without a timer (R-ATTR-6). Each batch of changes is mirrored to Postgres by one idempotent
 * activity. The interval history answers "who was associated at instant T" (R-ATTR-5) through
 * the `associationAt` query. Deterministic: no I/O here, the API resolves everything first.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AssociationActivities } from '../activities/associations';
import { associationAtQuery, associationStateQuery, clickSignal, type CustomerAssociationInput } from '../contracts/associations';
import { applyPending, currentInterval, initialState, intervalAt } from '../domain/associations';

const { projectAssociation } = proxyActivities<AssociationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function customerAssociationWorkflow(input: CustomerAssociationInput): Promise<void> {
  const state = input.state ?? initialState(input.customerId);
  const { workflowId } = workflowInfo();

  setHandler(clickSignal, (click) => {
    state.pending.push(click);
  });
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
    const change = applyPending(state, Date.now());
    if (change.events.length) {
      await projectAssociation({ customerId: state.customerId, workflowId, events: change.events, intervals: [...change.intervals.values()] });
    }
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
