/**
 * Reporting: every figure beside its goal with PASS or FAIL (a figure measured while other
 * processes loaded the machine says so), the cost of an order from its history, and that cost in
 * Temporal Cloud money as a markdown table for docs/performance.md.
 */
import { avg, fmt, median } from './measure';
import type { Cost, CountedKey } from './history';

/** Temporal Cloud list price, USD per billable action ($25 per million). */
export const USD_PER_ACTION = 25 / 1_000_000;

export interface GoalLine {
  what: string;
  value: string;
  /** e.g. "≥ 0.7× the empty start rate"; absent: printed for information. */
  goal?: string;
  pass?: boolean;
  note?: string;
}

/** The summary: one line per figure, its goal and verdict aligned. */
export class Summary {
  private readonly lines: GoalLine[] = [];
  add(line: GoalLine): void {
    this.lines.push(line);
  }
  get failed(): number {
    return this.lines.filter((l) => l.pass === false).length;
  }
  print(title = 'summary'): void {
    console.log(`\n${title}`);
    // Columns as wide as their widest entry, but a long entry does not push every line out.
    const w = Math.min(48, Math.max(...this.lines.map((l) => l.what.length)));
    const v = Math.min(36, Math.max(...this.lines.map((l) => l.value.length)));
    for (const l of this.lines) {
      const verdict = l.pass === undefined ? '' : l.pass ? 'PASS' : 'FAIL';
      const goal = l.goal ? `goal ${l.goal}` : '';
      console.log(`  ${l.what.padEnd(w)}  ${l.value.padStart(v)}  ${[goal, verdict, l.note].filter(Boolean).join('  ')}`);
    }
  }
}

/** "median (rounds: a / b / c)" of per-round values. */
export function medianOf(xs: number[], digits = 1, unit = ''): string {
  return `${fmt(median(xs), digits)}${unit} (rounds ${xs.map((x) => fmt(x, digits)).join(' / ')})`;
}

/** Min, average and max of a counted figure over the executions. */
export function stat(costs: Cost[], k: CountedKey): { min: number; avg: number; max: number } {
  const v = costs.map((c) => c[k]);
  return { min: Math.min(...v), avg: avg(v), max: Math.max(...v) };
}

/** The per-execution table: events, tasks and every kind of billable action. */
export function costTable(costs: Cost[]): string[] {
  const out = [`  ${'per order'.padEnd(46)} ${'min'.padStart(4)} ${'avg'.padStart(6)} ${'max'.padStart(4)}`];
  const row = (label: string, k: CountedKey, note = '') => {
    const st = stat(costs, k);
    out.push(`  ${label.padEnd(46)} ${String(st.min).padStart(4)} ${fmt(st.avg).padStart(6)} ${String(st.max).padStart(4)}${note ? `   ${note}` : ''}`);
  };
  row('history events', 'events');
  row('  workflow tasks completed', 'workflowTasks');
  row('  markers (local-activity results)', 'markers');
  out.push('  billable actions:');
  row('  workflow starts', 'starts');
  row('  signals', 'signals');
  row('  updates', 'updates');
  row('  timers (incl. condition timeouts)', 'timers');
  row('  activities scheduled', 'activities');
  row('  activity retries', 'activityRetries');
  row('  local-activity batches (markers per task)', 'localActivityBatches');
  row('  local-activity retries', 'localActivityRetries');
  row('  workflow-task heartbeats', 'wftHeartbeats');
  row('  search-attribute upserts', 'upserts', 'one per UpsertSearchAttributes command');
  row('    of which TemporalChangeVersion (patched())', 'patchUpserts', 'Core upserts it beside each patch marker');
  row('  child workflow starts', 'children');
  row('  queries (made by the activities; no event)', 'queries');
  row('  total actions', 'actions');
  const typical = costs[0];
  if (typical) out.push(`  one history: ${typical.eventNames.join(' ')}`);
  return out;
}

/** The cost of an order at list price, as docs/performance.md shows it (markdown). */
export function costMarkdown(costs: Cost[]): string[] {
  const a = stat(costs, 'actions');
  const e = stat(costs, 'events');
  const usd = (n: number) => `$${n < 1 ? n.toFixed(6) : n.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
  const rows: [string, string][] = [
    ['billable actions per settled two-installment order', `${a.max} (avg ${fmt(a.avg)})`],
    ['  of which workflow starts, timers, local-activity batches', `${stat(costs, 'starts').max}, ${stat(costs, 'timers').max}, ${stat(costs, 'localActivityBatches').max}`],
    ['  of which search-attribute upserts (TemporalChangeVersion of a patch among them), queries, signals', `${stat(costs, 'upserts').max} (${stat(costs, 'patchUpserts').max}), ${fmt(stat(costs, 'queries').max)}, ${stat(costs, 'signals').max}`],
    ['history events per order', `${e.max} (avg ${fmt(e.avg)})`],
    ['cost per order at $25 per million actions', usd(a.max * USD_PER_ACTION)],
    ['cost per 1,000 orders', usd(a.max * USD_PER_ACTION * 1_000)],
    ['cost per million orders', usd(a.max * USD_PER_ACTION * 1_000_000)],
  ];
  return ['| per settled two-installment order | measured |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k.replace(/^ {2}/, '— ')} | ${v} |`)];
}
