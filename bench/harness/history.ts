/**
 * Counting from real histories: billable Temporal Cloud actions and history events per execution
 * (docs.temporal.io/cloud/actions), workflow-task queue and run times, and the time a set of
 * executions kept the system busy (the union of their workflow tasks, scheduled to completed).
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pool } from './load';

const ET = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface Cost {
  events: number;
  starts: number;
  signals: number;
  updates: number;
  timers: number;
  activities: number;
  activityRetries: number;
  localActivityBatches: number;
  localActivityRetries: number;
  wftHeartbeats: number;
  upserts: number;
  /** Of the upserts: the TemporalChangeVersion ones Core adds beside each patch marker. */
  patchUpserts: number;
  children: number;
  queries: number;
  markers: number;
  workflowTasks: number;
  closed: boolean;
  actions: number;
  /** Per workflow task: scheduled → started (queued) and started → completed (ran), ms. */
  taskQueuedMs: number[];
  taskRanMs: number[];
  eventNames: string[];
}

export type CountedKey = Exclude<keyof Cost, 'closed' | 'taskQueuedMs' | 'taskRanMs' | 'eventNames'>;

const ms = (e: HistoryEvent | undefined) => (e?.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : NaN);

export function eventTypeName(t: temporal.api.enums.v1.EventType | null | undefined): string {
  return (ET[t ?? 0] ?? String(t))
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _u: string, ch: string) => ch.toUpperCase());
}

/** Events that are one billable action each (a child workflow start counts two). */
const COUNTED = new Map<number, CountedKey>([
  [ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 'starts'],
  [ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 'signals'],
  [ET.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 'signals'],
  [ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, 'updates'],
  [ET.EVENT_TYPE_TIMER_STARTED, 'timers'],
  [ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 'activities'],
  [ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, 'children'],
  [ET.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, 'upserts'],
]);

const CLOSING = new Set<number>([
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** Billable actions of one execution from its history; `queries` made to it leave no event. */
export function costOf(history: History, queries: number): Cost {
  const events = history.events ?? [];
  const c: Cost = {
    events: events.length,
    ...{ starts: 0, signals: 0, updates: 0, timers: 0, activities: 0, activityRetries: 0, localActivityBatches: 0, localActivityRetries: 0 },
    ...{ wftHeartbeats: 0, upserts: 0, patchUpserts: 0, children: 0, queries, markers: 0, workflowTasks: 0, closed: false, actions: 0 },
    ...{ taskQueuedMs: [], taskRanMs: [], eventNames: events.map((e) => eventTypeName(e.eventType)) },
  };
  let scheduledAt = NaN;
  let startedAt = NaN;
  // Markers are commands, so they follow the WorkflowTaskCompleted of the task that recorded them:
  // the markers between two consecutive WorkflowTaskCompleted events form one local-activity batch.
  let markerInThisTask = false;
  events.forEach((e, i) => {
    const counted = COUNTED.get(e.eventType ?? 0);
    if (counted) c[counted] += counted === 'children' ? 2 : 1; // a child: the recorded intent and the start attempt
    if (CLOSING.has(e.eventType ?? 0)) c.closed = true;
    switch (e.eventType) {
      case ET.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        if (Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).includes('TemporalChangeVersion')) c.patchUpserts++;
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        c.activityRetries += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
        break;
      case ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        scheduledAt = ms(e);
        break;
      case ET.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        startedAt = ms(e);
        c.taskQueuedMs.push(startedAt - scheduledAt);
        break;
      case ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        c.workflowTasks++;
        c.taskRanMs.push(ms(e) - startedAt);
        markerInThisTask = false;
        c.localActivityRetries += Number(e.workflowTaskCompletedEventAttributes?.meteringMetadata?.nonfirstLocalActivityExecutionAttempts ?? 0);
        // A task completed with no command that asks for the next one at once: a workflow-task
        // heartbeat (a local activity ran longer than the task timeout allows), billed once each.
        if (events[i + 1]?.eventType === ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) c.wftHeartbeats++;
        break;
      case ET.EVENT_TYPE_MARKER_RECORDED:
        c.markers++;
        if (!markerInThisTask) {
          markerInThisTask = true;
          c.localActivityBatches++;
        }
        break;
      default:
        break;
    }
  });
  c.actions =
    c.starts + c.signals + c.updates + c.timers + c.activities + c.activityRetries + c.localActivityBatches + c.localActivityRetries +
    c.wftHeartbeats + c.upserts + c.children + c.queries;
  return c;
}

/** The closed histories of `workflowIds` (waits for each result first). */
export async function fetchHistories(client: Client, workflowIds: string[], concurrency = 8): Promise<History[]> {
  const out: History[] = [];
  await pool(workflowIds, concurrency, async (id) => {
    const handle = client.workflow.getHandle(id);
    await handle.result().catch(() => undefined); // a failed execution still has a history
    out.push(await handle.fetchHistory());
  });
  return out;
}

/**
 * How long the executions kept the system busy, in seconds: the union over all their workflow
 * tasks of [scheduled, completed] (a task waiting for a worker counts: the system owes it). Waits
 * on timers between tasks do not count, so executions that sleep between their steps are judged
 * by the work they caused, as executions that never sleep are.
 */
export function busySeconds(histories: History[]): number {
  const spans: [number, number][] = [];
  for (const h of histories) {
    let scheduled = NaN;
    for (const e of h.events ?? []) {
      if (e.eventType === ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) scheduled = ms(e);
      else if (e.eventType === ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && Number.isFinite(scheduled)) spans.push([scheduled, ms(e)]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [lo, hi] = [NaN, NaN];
  for (const [s, e] of spans) {
    if (!(s <= hi)) {
      if (Number.isFinite(hi)) total += hi - lo;
      [lo, hi] = [s, e];
    } else hi = Math.max(hi, e);
  }
  if (Number.isFinite(hi)) total += hi - lo;
  return total / 1000;
}
