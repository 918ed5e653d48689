/**
 * The goals of the order benchmarks (issue 16), and the summary lines that judge a set of rounds
 * against them: bench:orders on an empty database, bench:scale on a grown one.
 */
import { loaded } from './machine';
import { fmt, median } from './measure';
import { medianOf, stat, type Summary } from './report';
import type { RoundFigures } from './round';

export const GOALS = { restToStarts: 0.7, settledToCompletions: 0.2, actions: 8, events: 25 };

/** The summary lines of item 1 and 2 from the rounds (bench:scale prints them too). */
export function judgeRounds(summary: Summary, rounds: RoundFigures[], tag = ''): void {
  const per = (f: (r: RoundFigures) => number) => rounds.map(f);
  const load = (f: (r: RoundFigures) => boolean) => (rounds.some(f) ? 'LOADED: other processes used > 0.25 cores meanwhile' : undefined);
  const restRatio = per((r) => r.rest.perSecond / r.emptyStarts.perSecond);
  const typedRatio = per((r) => r.typed.perSecond / r.emptyStarts.perSecond);
  const settledRatio = per((r) => r.settled / r.emptyCompletions);
  summary.add({ what: `${tag}empty workflow: starts/s`, value: medianOf(per((r) => r.emptyStarts.perSecond)), note: load((r) => loaded(r.cpu.empty)) });
  summary.add({ what: `${tag}empty workflow: completions/busy s`, value: medianOf(per((r) => r.emptyCompletions)) });
  summary.add({ what: `${tag}orders accepted/s, REST`, value: medianOf(per((r) => r.rest.perSecond)), note: load((r) => loaded(r.cpu.rest)) });
  summary.add({ what: `${tag}  ÷ empty start rate`, value: medianOf(restRatio, 2, '×'), goal: `≥ ${GOALS.restToStarts}×`, pass: median(restRatio) >= GOALS.restToStarts });
  summary.add({ what: `${tag}orders accepted/s, typed client`, value: medianOf(per((r) => r.typed.perSecond)), note: load((r) => loaded(r.cpu.typed)) });
  summary.add({ what: `${tag}  ÷ empty start rate`, value: medianOf(typedRatio, 2, '×') });
  summary.add({ what: `${tag}orders settled/busy s`, value: medianOf(per((r) => r.settled)), note: load((r) => loaded(r.cpu.settle)) });
  summary.add({ what: `${tag}  ÷ empty completion rate`, value: medianOf(settledRatio, 2, '×'), goal: `≥ ${GOALS.settledToCompletions}×`, pass: median(settledRatio) >= GOALS.settledToCompletions });
  const merged = rounds.reduce((a, r) => a + r.merged, 0);
  if (merged) summary.add({ what: `${tag}orders that ran two steps in one task`, value: String(merged), note: 'a step was due when reached: raise --wait (they are left out of the cost)' });
  const costs = rounds.flatMap((r) => r.costs);
  if (!costs.length) {
    summary.add({ what: `${tag}actions / events per settled order`, value: 'none settled', pass: false });
    return;
  }
  const a = stat(costs, 'actions');
  const e = stat(costs, 'events');
  summary.add({ what: `${tag}billable actions per settled order`, value: `max ${a.max} (avg ${fmt(a.avg)}, ${costs.length} orders)`, goal: `≤ ${GOALS.actions}`, pass: a.max <= GOALS.actions });
  summary.add({ what: `${tag}history events per settled order`, value: `max ${e.max} (avg ${fmt(e.avg)})`, goal: `≤ ${GOALS.events}`, pass: e.max <= GOALS.events });
}

