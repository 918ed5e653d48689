/**
 * The reconciliation sweep (docs/operations.md "Reconciliation"): named checks, each run on its
 * own (an activity each: a check that still throws on its last attempt is recorded as an error and
 * the others still run), its findings recorded per run and check; the latest result of each check
 * feeds /metrics and GET /v1/ops/reconciliation. One Temporal Schedule runs the sweep every
 * RECONCILIATION_EVERY_SECONDS: the withdrawal checks (./reconciliation-withdrawals.ts, which act)
 * every time, the money checks (./reconciliation-checks.ts, whole-table reads) nightly, on the
 * first scheduled run at or after RECONCILIATION_HOUR China Standard Time; a run on demand takes
 * every check. To add a check, add it to a list: the workflow asks for the checks from an
 * activity, so its code and its stored histories do not change.
 */
import type { CheckOutcome, FindingSeverity, ReconciliationFinding, ReconciliationTrigger } from '../contracts/reconciliation';
import { foldCounters } from '../db/repositories/ops-metrics';
import * as repo from '../db/repositories/reconciliation';
import { nowOf, type Deps } from './deps';
import { MONEY_CHECKS, type ReconciliationCheck, type ReconciliationDeps } from './reconciliation-checks';
import { WITHDRAWAL_CHECKS } from './reconciliation-withdrawals';

export type { CheckCadence, ReconciliationCheck, ReconciliationDeps } from './reconciliation-checks';

/** Every named check, in the order a run takes them: the withdrawal repairs first, then the money invariants (which then see the repaired state). */
export const RECONCILIATION_CHECKS: readonly ReconciliationCheck[] = [...WITHDRAWAL_CHECKS, ...MONEY_CHECKS];

export const reconciliationCheckNames = (): string[] => RECONCILIATION_CHECKS.map((c) => c.name);

/** Findings kept per check and run (the withdrawal checks take at most 200 withdrawals a run). */
const SAMPLE = 200;
/** Runs are forgotten this long after they finished (a nightly check always has a newer result). */
const KEEP_DAYS = 90;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CST_OFFSET_MS = 8 * HOUR_MS;

/** The latest instant at or before `nowMs` that is `hour`:00 China Standard Time. */
export function nightlyBoundary(nowMs: number, hour: number): number {
  const dayStart = Math.floor((nowMs + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
  const at = dayStart + hour * HOUR_MS;
  return at <= nowMs ? at : at - DAY_MS;
}

/** The checks a run takes: on demand, all; scheduled, the every-run ones and each nightly one whose latest result is older than tonight's boundary. */
export async function checksDue(deps: Pick<Deps, 'sql' | 'config' | 'now'>, trigger: ReconciliationTrigger): Promise<string[]> {
  if (trigger === 'manual') return reconciliationCheckNames();
  const boundary = nightlyBoundary(nowOf(deps), deps.config.RECONCILIATION_HOUR);
  const latest = new Map((await repo.latestResults(deps.sql, reconciliationCheckNames())).map((r) => [r.check_name, r.checked_at.getTime()]));
  return RECONCILIATION_CHECKS.filter((c) => c.cadence === 'every_run' || (latest.get(c.name) ?? -Infinity) < boundary).map((c) => c.name);
}

/** Opens the run of a workflow run (once: a retried start finds it); answers the checks it takes. */
export async function startRun(deps: Pick<Deps, 'sql' | 'config' | 'now'>, input: { runId: string; workflowId: string; trigger: ReconciliationTrigger }): Promise<{ runId: string; checks: string[] }> {
  const run = await repo.startRun(deps.sql, { ...input, checks: await checksDue(deps, input.trigger) });
  return { runId: run.run_id, checks: run.checks };
}

export const noSeverities = (): Record<FindingSeverity, number> => ({ info: 0, warning: 0, alert: 0 });

/**
 * Runs one check and records its result. A check that throws is thrown again (its activity is
 * retried) unless this is the last attempt: then it is recorded as an error, and answered.
 */
export async function runCheck(deps: ReconciliationDeps, input: { runId: string; check: string; lastAttempt: boolean }): Promise<CheckOutcome & { found: ReconciliationFinding[] }> {
  const check = RECONCILIATION_CHECKS.find((c) => c.name === input.check);
  const started = Date.now();
  const base = { run_id: input.runId, check_name: input.check };
  let found: ReconciliationFinding[] = [];
  let result: Omit<repo.ResultRow, 'checked_at'>;
  try {
    if (!check) throw new Error(`no reconciliation check is named ${input.check}`);
    found = await check.run(deps);
    result = { ...base, status: found.length ? 'findings' : 'ok', findings: found.length, sample: found.slice(0, SAMPLE), error: null, duration_ms: Date.now() - started };
  } catch (err) {
    if (check && !input.lastAttempt) throw err;
    result = { ...base, status: 'error', findings: 0, sample: [], error: (err as Error).message, duration_ms: Date.now() - started };
  }
  await repo.saveResult(deps.sql, result);
  const bySeverity = noSeverities();
  for (const f of found) bySeverity[f.severity] += 1;
  return { check: input.check, status: result.status, findings: result.findings, bySeverity, found };
}

/** Closes the run; housekeeping: folds the metric counters of backends that are gone, forgets old runs. */
export async function finishRun(deps: Pick<Deps, 'sql' | 'now'>, runId: string): Promise<{ runId: string; findings: number }> {
  await foldCounters(deps.sql);
  await repo.pruneRuns(deps.sql, new Date(nowOf(deps) - KEEP_DAYS * DAY_MS));
  const run = await repo.finishRun(deps.sql, runId);
  return { runId, findings: run?.findings ?? 0 };
}

const describe = (name: string) => RECONCILIATION_CHECKS.find((c) => c.name === name);

const resultView = (r: repo.ResultRow) => ({
  name: r.check_name,
  description: describe(r.check_name)?.description ?? null,
  status: r.status,
  findings: r.findings,
  sample: r.sample as ReconciliationFinding[],
  error: r.error,
  durationMs: r.duration_ms,
  checkedAt: r.checked_at.toISOString(),
  runId: r.run_id,
});

/** A run as ops see it (the latest finished one when `runId` is absent), each check with its description. */
export async function reconciliationRunView(deps: Pick<Deps, 'sql'>, runId?: string) {
  const found = await repo.runWithResults(deps.sql, runId);
  if (!found) return null;
  const { run, results } = found;
  return {
    runId: run.run_id,
    workflowId: run.workflow_id,
    trigger: run.trigger,
    checks: run.checks,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
    findings: run.findings,
    results: results.map(resultView),
  };
}

/** Every named check with its cadence and its latest result (null before it first ran). */
export async function reconciliationChecksView(deps: Pick<Deps, 'sql'>) {
  const latest = new Map((await repo.latestResults(deps.sql, reconciliationCheckNames())).map((r) => [r.check_name, r]));
  return RECONCILIATION_CHECKS.map((c) => {
    const r = latest.get(c.name);
    return { name: c.name, description: c.description, cadence: c.cadence, latest: r ? resultView(r) : null };
  });
}

/** What /metrics shows: the latest result of each check, and when the latest run finished. */
export async function reconciliationMetrics(deps: Pick<Deps, 'sql'>): Promise<{ finishedAt: Date | null; checks: { check: string; status: string; findings: number }[] }> {
  const [results, finishedAt] = await Promise.all([repo.latestResults(deps.sql, reconciliationCheckNames()), repo.lastFinishedAt(deps.sql)]);
  return { finishedAt, checks: results.map((r) => ({ check: r.check_name, status: r.status, findings: r.findings })) };
}
